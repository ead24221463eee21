"""Filing and deciding appeals (申诉/复核); each write records its audit event with the article.

An appeal is filed by the applicant within the policy's time limit, counted from the
notification of the decision (the audit event that moved the application to its refused
state). It is decided by someone other than the one who made the decision; upheld, the
application returns to the stage that refused it; dismissed, it stays where it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qaward.core.appeals import DECISION_OF_STATE, AppealRefused, appeal_rules, check_filing
from qaward.core.errors import ConfigurationRequired
from qaward.core.policy.model import given
from qaward.web.accounts.models import Membership, Role
from qaward.web.accounts.services import has_role
from qaward.web.audit.models import AuditEvent
from qaward.web.audit.services import record_event
from qaward.web.clock import today as office_today
from qaward.web.common.errors import ServiceError
from qaward.web.cycles.models import Application
from qaward.web.cycles.services import application_transition, lock_application
from qaward.web.policies.services import policy_of

from .models import Appeal

# Who may decide an appeal, per the policy's `appeals.decided_by` (silence: the office head).
DECIDER_ROLES: dict[str, tuple[Any, ...]] = {
    "review_team": (Role.REVIEWER, Role.OFFICE_HEAD),
    "office_head": (Role.OFFICE_HEAD,),
    "office": (Role.OFFICE, Role.OFFICE_HEAD),
    "committee": (Role.COMMITTEE, Role.OFFICE_HEAD),
}


def _refusal(err: AppealRefused) -> ServiceError:
    return ServiceError(f"{_(err.reason_zh)} / {err.reason_en}", field=err.field,
                        article=err.article)


def decision_event(app: Application) -> AuditEvent | None:
    """The audit event that moved the application to its current (refused) state."""
    return AuditEvent.objects.filter(
        entity="application", entity_id=str(app.pk), action="transition",
        to_state=app.state).order_by("-seq").first()


def appeal_deadline_for(app: Application) -> dt.date | None:
    """The last day to appeal the decision that left ``app`` where it is, or None where no
    appeal is possible (for the portal's button)."""
    if app.state not in DECISION_OF_STATE or app.appeals.exists():
        return None
    ev = decision_event(app)
    if ev is None:
        return None
    try:
        return check_filing(policy_of(app.cycle), app.state, timezone.localdate(ev.at),
                            timezone.localdate(ev.at)).last_day
    except (AppealRefused, ConfigurationRequired):
        return None


def appeal_file(*, application: Application, actor: Any, reason: str,
                today: dt.date | None = None) -> Appeal:
    today = today or office_today()
    if not reason.strip():
        raise ServiceError(_("请写明申诉理由"), field="reason")
    with transaction.atomic():
        app = lock_application(application, None)
        if not Membership.objects.filter(user=actor, role=Role.APPLICANT,
                                         applicant=app.applicant).exists():
            raise ServiceError(_("只有申报方本人可以提出申诉"), field="application")
        policy = policy_of(app.cycle)
        ev = decision_event(app)
        if app.state not in DECISION_OF_STATE or ev is None:
            raise ServiceError(_("只有资格审查或入围结论可以申诉"), field="state")
        notified_on = timezone.localdate(ev.at)
        try:
            deadline = check_filing(policy, app.state, notified_on, today)
        except AppealRefused as err:
            raise _refusal(err) from None
        except ConfigurationRequired as err:
            raise ServiceError(str(err), field=err.key) from None
        if Appeal.objects.filter(application=app, decision_event=ev).exists():
            raise ServiceError(_("对该结论已提出过申诉，不能重复申诉"), field="application",
                               article=deadline.article)
        appeal = Appeal.objects.create(
            application=app, decision=DECISION_OF_STATE[app.state], refused_state=app.state,
            refused_from=ev.from_state, decision_event=ev, decided_originally_by=ev.actor,
            notified_on=notified_on, deadline=deadline.last_day, reason=reason.strip(),
            filed_by=actor, article=deadline.article)
        record_event(actor=actor, jurisdiction=app.cycle.jurisdiction, entity="application",
                     entity_id=app.pk, action="appeal_file", reason=appeal.reason,
                     article=deadline.article,
                     data={"appeal": appeal.pk, "decision": appeal.decision,
                           "decision_event": ev.seq, "notified_on": notified_on.isoformat(),
                           "deadline": deadline.last_day.isoformat(), "filed_on":
                           today.isoformat()})
    return appeal


def appeal_decide(*, appeal: Appeal, actor: Any, upheld: bool, findings: str,
                  today: dt.date | None = None) -> Appeal:
    """Decide an open appeal; upheld, the application returns to the stage that refused it."""
    if not findings.strip():
        raise ServiceError(_("请写明复核结论的理由"), field="findings")
    with transaction.atomic():
        a = Appeal.objects.select_for_update().select_related(
            "application__cycle__jurisdiction").get(pk=appeal.pk)
        app = a.application
        policy = policy_of(app.cycle)
        try:
            rules = appeal_rules(policy, a.refused_state)
        except AppealRefused as err:
            raise _refusal(err) from None
        decider = rules.decided_by.value if given(rules.decided_by) else "office_head"
        article = rules.decided_by.cite or rules.cite
        if a.status != Appeal.Status.OPEN:
            raise ServiceError(_("该申诉已处理"), field="status")
        if not has_role(actor, app.cycle.jurisdiction, *DECIDER_ROLES[decider]):
            raise ServiceError(_("您无权处理该申诉"), field="decided_by", article=article)
        if a.decided_originally_by_id is not None and actor.pk == a.decided_originally_by_id:
            raise ServiceError(_("作出原结论的人员不能处理对该结论的申诉，请由其他人员复核"),
                               field="decided_by", article=article)
        a.status = Appeal.Status.UPHELD if upheld else Appeal.Status.DISMISSED
        a.decided_by, a.decided_at, a.findings = actor, timezone.now(), findings.strip()
        a.save(update_fields=["status", "decided_by", "decided_at", "findings"])
        record_event(actor=actor, jurisdiction=app.cycle.jurisdiction, entity="application",
                     entity_id=app.pk, action="appeal_decide", reason=a.findings,
                     article=article, data={"appeal": a.pk, "upheld": upheld})
        if upheld:
            application_transition(application=app, target=a.refused_from, actor=actor,
                                   reason=a.findings, today=today, reinstate=True)
    return a
