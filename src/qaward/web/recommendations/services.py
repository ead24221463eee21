"""Every write of recommendations: the department's signed opinion, third-party invitations
and their answers, written consultations. Each in a transaction with its audit event."""

from __future__ import annotations

from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qaward.core.errors import ConfigurationRequired
from qaward.web.accounts.models import Membership, Role
from qaward.web.audit.services import record_event
from qaward.web.clock import now as clock_now
from qaward.web.common.errors import ServiceError
from qaward.web.cycles.models import Applicant, Application, Cycle
from qaward.web.cycles.services import lock_application
from qaward.web.policies.services import policy_of

from .models import Consultation, Invitation, Recommendation


def _settled(application: Application) -> None:
    """The departments act only once the recommendation rule is settled (configured where
    the text is silent)."""
    try:
        policy_of(application.cycle).recommendation_rule()
    except ConfigurationRequired as err:
        raise ServiceError(str(err), field=err.key) from None


def _undecided_recommendation(app: Application, member: Membership,
                              field: str) -> Recommendation:
    """The application's recommendation by ``member``'s department, locked, not yet signed or
    declined (inside the caller's transaction, with the application locked)."""
    rec, _created = Recommendation.objects.select_for_update().get_or_create(
        application=app, defaults={"department": member.department})
    if rec.department_id != member.department_id:
        raise ServiceError(_("该申报由其他推荐部门推荐"))
    if rec.signed_at or rec.declined_at:
        raise ServiceError(_("该申报的推荐意见已作出"), field=field)
    return rec


def recommendation_sign(*, application: Application, actor: Any, opinion: str) -> Recommendation:
    _settled(application)
    member = Membership.objects.filter(user=actor, role=Role.DEPARTMENT,
                                       jurisdiction=application.cycle.jurisdiction).first()
    if member is None or member.department is None:
        raise ServiceError(_("只有推荐部门可以签署推荐意见"))
    if not opinion.strip():
        raise ServiceError(_("请填写推荐意见"), field="opinion")
    with transaction.atomic():
        app = lock_application(application, None)
        rec = _undecided_recommendation(app, member, "opinion")
        rec.opinion, rec.signed_by, rec.signed_at = opinion.strip(), actor, clock_now()
        rec.save()
        record_event(actor=actor, jurisdiction=app.cycle.jurisdiction, entity="application",
                     entity_id=app.pk, action="recommendation_sign", reason=opinion,
                     article=policy_of(app.cycle).recommendation_cite,
                     data={"department": member.department.name})
    return rec


def recommendation_decline(*, application: Application, actor: Any,
                           reason: str) -> Recommendation:
    """The department declines to recommend (不予推荐), with its reason; the application
    cannot go on to eligibility review on this department's recommendation."""
    _settled(application)
    member = Membership.objects.filter(user=actor, role=Role.DEPARTMENT,
                                       jurisdiction=application.cycle.jurisdiction).first()
    cite = policy_of(application.cycle).recommendation_cite
    if member is None or member.department is None:
        raise ServiceError(_("只有推荐部门可以作出不予推荐的决定"), article=cite)
    if not reason.strip():
        raise ServiceError(_("不予推荐须写明理由"), field="reason", article=cite)
    with transaction.atomic():
        app = lock_application(application, None)
        rec = _undecided_recommendation(app, member, "reason")
        rec.decline_reason, rec.declined_by, rec.declined_at = reason.strip(), actor, clock_now()
        rec.save()
        record_event(actor=actor, jurisdiction=app.cycle.jurisdiction, entity="application",
                     entity_id=app.pk, action="recommendation_decline", reason=reason.strip(),
                     article=cite, data={"department": member.department.name})
    return rec


def invitation_create(*, cycle: Cycle, applicant: Applicant, recommender: str,
                      recommender_kind: str, reason: str, actor: Any) -> Invitation:
    """Record a third-party recommendation (e.g. 崇明 第二十条): the organization is invited
    and nothing is filed for it until it accepts."""
    policy = policy_of(cycle)
    try:
        rec = policy.recommendation_rule()
    except ConfigurationRequired as err:
        raise ServiceError(str(err), field=err.key) from None
    if not rec.third_party_allowed:
        raise ServiceError(_("%(regulation)s未规定由第三方推荐组织参评")
                           % {"regulation": policy.title_zh}, field="recommender",
                           article=rec.cite)
    if applicant.jurisdiction_id != cycle.jurisdiction_id:
        raise ServiceError(_("被推荐组织不属于本辖区"), field="applicant")
    if not recommender.strip() or not reason.strip():
        raise ServiceError(_("请填写推荐方和推荐理由"),
                           field="recommender" if not recommender.strip() else "reason")
    with transaction.atomic():
        if Invitation.objects.filter(cycle=cycle, applicant=applicant, accepted_at__isnull=True,
                                     declined_at__isnull=True).exists():
            raise ServiceError(_("已向该组织发出推荐邀请，正在等待其确认"), field="applicant")
        inv = Invitation.objects.create(
            jurisdiction=cycle.jurisdiction, cycle=cycle, applicant=applicant,
            recommender=recommender.strip(), recommender_kind=recommender_kind.strip(),
            reason=reason.strip())
        record_event(actor=actor, jurisdiction=cycle.jurisdiction, entity="invitation",
                     entity_id=inv.pk, action="invitation_create", article=rec.cite,
                     data={"applicant": applicant.pk, "recommender": inv.recommender})
    if applicant.email:
        transaction.on_commit(lambda: send_mail(
            f"【{policy.award_name_zh}】推荐参评确认",
            f"{applicant.name}：\n{inv.recommender}推荐贵单位参加“{cycle.title}”。"
            f"推荐理由：{inv.reason}\n请登录申报系统确认是否申报（{policy.title_zh}{rec.cite}）。",
            None, [applicant.email]))
    return inv


def invitation_respond(*, invitation: Invitation, actor: Any, accept: bool) -> Invitation:
    """The invited organization confirms (or declines) that it wants to apply."""
    with transaction.atomic():
        inv = Invitation.objects.select_for_update().select_related("cycle__policy").get(
            pk=invitation.pk)
        if inv.accepted_at or inv.declined_at:
            raise ServiceError(_("该推荐邀请已经答复过"))
        now = timezone.now()
        if accept:
            inv.accepted_at = now
        else:
            inv.declined_at = now
        inv.save(update_fields=["accepted_at", "declined_at"])
        record_event(
            actor=actor, jurisdiction=inv.jurisdiction, entity="invitation", entity_id=inv.pk,
            action="invitation_accept" if accept else "invitation_decline",
            article=policy_of(inv.cycle).recommendation_cite,
            data={"recommender": inv.recommender})
    return inv


def consultation_record(*, application: Application, actor: Any, department_name: str,
                        question: str, answer: str = "") -> Consultation:
    """Record a written consultation of another department (书面征求意见)."""
    if not department_name.strip() or not question.strip():
        raise ServiceError(_("请填写征求意见部门和事项"), field="question")
    with transaction.atomic():
        app = Application.objects.select_for_update().select_related(
            "cycle__jurisdiction").get(pk=application.pk)
        c = Consultation.objects.create(
            application=app, department_name=department_name.strip(), question=question.strip(),
            answer=answer.strip(), answered_at=timezone.now() if answer.strip() else None)
        record_event(actor=actor, jurisdiction=app.cycle.jurisdiction,
                              entity="application", entity_id=app.pk,
                              action="consultation_record", reason=question.strip(),
                              data={"consultation": c.pk, "department": c.department_name,
                                    "answered": bool(c.answer)})
    return c


def consultation_answer(*, consultation: Consultation, actor: Any, answer: str) -> Consultation:
    if not answer.strip():
        raise ServiceError(_("请填写书面回复"), field="answer")
    with transaction.atomic():
        c = Consultation.objects.select_for_update().select_related(
            "application__cycle__jurisdiction").get(pk=consultation.pk)
        if c.answered_at is not None:
            raise ServiceError(_("该征求意见已登记回复"), field="answer")
        c.answer, c.answered_at = answer.strip(), timezone.now()
        c.save(update_fields=["answer", "answered_at"])
        record_event(actor=actor, jurisdiction=c.application.cycle.jurisdiction,
                              entity="application", entity_id=c.application_id,
                              action="consultation_answer", reason=c.answer,
                              data={"consultation": c.pk, "department": c.department_name})
    return c

