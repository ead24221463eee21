"""Every write of a cycle and its applications: one keyword-only function per action, each
in a transaction, each recording an audit event (who, when, what, why, which article).

``application_transition`` is the one place an application changes state: lock, version
check, the pure guard with its article (``qaward.core.workflow``), save, audit, mail on
commit. Views, forms, the API and the apps built on this one (recommendations, notices)
call these; business rules come from the pure core and the policy the cycle is pinned to.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qaward.core.criteria.wordcount import count_words
from qaward.core.eligibility import parse_profile, screener
from qaward.core.errors import ConfigurationRequired, ProfileError, QawardError
from qaward.core.policy import Policy, given, is_silent
from qaward.core.policy.inspect import changed_values
from qaward.core.schedule import check_cycle_dates, check_cycle_open
from qaward.core.states import (
    EDITABLE_BY_APPLICANT,
    WITHDRAWN,
    End,
    StageId,
)
from qaward.core.workflow import (
    DRAFT,
    RETURNED,
    SUBMITTED,
    Facts,
    TransitionRefused,
    allowed_targets,
    plan_reinstatement,
    plan_transition,
    state,
    states,
)
from qaward.web.accounts import rules
from qaward.web.accounts.models import Jurisdiction, Role
from qaward.web.accounts.services import has_role
from qaward.web.audit.services import record_event
from qaward.web.clock import now as clock_now
from qaward.web.clock import today as office_today
from qaward.web.common.errors import (
    ServiceError,
    StaleVersion,
    in_language,
    reasons_text,
    refusal,
)
from qaward.web.common.uploads import INTERNAL_NOTICE, REPORT, check_upload, extract_text
from qaward.web.policies.models import PolicyVersion
from qaward.web.policies.services import policy_in_force, policy_of, policy_of_version

from .models import (
    Applicant,
    Application,
    Cycle,
    Document,
    EligibilityDecision,
    ManualCheckFinding,
)
from .profile_changes import profile_diff

# ---------------------------------------------------------------------------------------------
# Cycles and applications


def cycle_open(*, jurisdiction: Jurisdiction, year: int, title: str, opened_on: dt.date,
               applications_close_on: dt.date, actor: Any,
               override_reason: str = "") -> Cycle:
    """Open a cycle under the policy in force on the opening date; the policy's cycle
    frequency and the cycle's dates are checked (``qaward.core.schedule``): a cycle too soon,
    a window that is very long or runs past the cycle's year needs the office head's
    written override."""
    pv, policy = policy_in_force(jurisdiction, opened_on)
    dates = check_cycle_dates(year=year, opened_on=opened_on,
                              applications_close_on=applications_close_on,
                              article=call_cite(policy))
    if dates.refused:
        raise refusal(dates)
    freq = policy.cycle.frequency_years
    with transaction.atomic():
        Jurisdiction.objects.select_for_update().get(pk=jurisdiction.pk)
        if dates.needs_sign_off:
            why = reasons_text(dates)
            if not override_reason.strip():
                raise ServiceError(
                    _("%(why)s 请由评审办负责人填写理由后开启。") % {"why": why},
                    field="override_reason", article=dates.article)
            if not has_role(actor, jurisdiction, Role.OFFICE_HEAD):
                raise ServiceError(
                    _("%(why)s 须由评审办负责人签批。") % {"why": why},
                    field="override_reason", article=dates.article)
        if hasattr(freq, "value"):
            too_soon = jurisdiction.cycles.filter(year__gt=year - freq.value,
                                                  year__lte=year).exists()
            if too_soon:
                if not override_reason.strip():
                    raise ServiceError(
                        _("%(policy)s 每%(years)s年评选一次，%(year)s年与上一周期间隔不足；"
                          "如确需开展，须由评审办负责人填写理由")
                        % {"policy": policy.id, "years": freq.value, "year": year},
                        field="override_reason",
                        article=freq.cite)
                if not has_role(actor, jurisdiction, Role.OFFICE_HEAD):
                    raise ServiceError(_("提前开展评选须由评审办负责人签批"), article=freq.cite)
        if jurisdiction.cycles.filter(year=year).exists():
            raise ServiceError(_("%(year)s年度已有评选周期") % {"year": year}, field="year")
        cycle = Cycle.objects.create(
            jurisdiction=jurisdiction, policy=pv, year=year, title=title, opened_on=opened_on,
            applications_close_on=applications_close_on,
            frequency_override_reason=override_reason.strip(),
            frequency_override_by=actor if override_reason.strip() else None)
        record_event(actor=actor, jurisdiction=jurisdiction, entity="cycle", entity_id=cycle.pk,
                     action="cycle_open", to_state=cycle.status, reason=override_reason,
                     article=policy.in_force.cite,
                     data={"policy": pv.policy_id, "year": year,
                           "dates_signed_off": [r.code for r in dates.reasons]})
    return cycle


def call_cite(policy: Policy) -> str | None:
    """The article of the call (申报通知) or of the application stage, where the policy has it:
    what the dates of a cycle follow."""
    for stage_id in (StageId.CALL, StageId.APPLICATION):
        for s in policy.stages:
            if s.id == stage_id and s.cite:
                return s.cite
    return None


def cycle_open_today(cycle: Cycle, today: dt.date | None = None) -> bool:
    """Whether applicants are offered the cycle today: opening day to closing day."""
    return not check_cycle_open(today=today or office_today(), opened_on=cycle.opened_on,
                                applications_close_on=cycle.applications_close_on).refused


def cycle_repin(*, cycle: Cycle, to_version: PolicyVersion, actor: Any, reason: str,
                expected_from: int | None = None) -> Cycle:
    """Move a cycle to another registered content of the policy it pinned (e.g. after the
    policy file was edited): the office head only, with a written reason. The event records
    both digests and the keys of the values that change. ``expected_from`` is the version
    the head confirmed moving from; a cycle moved meanwhile is refused."""
    if not has_role(actor, cycle.jurisdiction, Role.OFFICE_HEAD):
        raise ServiceError(_("只有评审办负责人可以变更评选周期所依据的管理办法版本"),
                           field="reason")
    if not reason.strip():
        raise ServiceError(_("变更评选周期所依据的管理办法版本，须写明理由"), field="reason")
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().select_related(
            "policy", "jurisdiction").get(pk=cycle.pk)
        old = locked.policy
        if expected_from is not None and old.pk != expected_from:
            raise ServiceError(_("该评选周期所依据的版本已被他人变更，请刷新页面后重新核对"),
                               field="to_version")
        if to_version.policy_id != old.policy_id:
            raise ServiceError(
                _("只能改用同一管理办法（%(id)s）的其他版本") % {"id": old.policy_id},
                field="to_version")
        if to_version.pk == old.pk:
            raise ServiceError(_("该评选周期已依据此版本"), field="to_version")
        new_policy = policy_of_version(to_version)
        changed = changed_values(policy_of_version(old), new_policy)
        locked.policy = to_version
        locked.save(update_fields=["policy"])
        record_event(actor=actor, jurisdiction=locked.jurisdiction, entity="cycle",
                     entity_id=locked.pk, action="cycle_repin", reason=reason.strip(),
                     article=new_policy.in_force.cite,
                     data={"policy": old.policy_id, "from_digest": old.digest,
                           "to_digest": to_version.digest,
                           "changed_keys": [r.key for r in changed]})
    return locked


def application_create(*, cycle: Cycle, applicant: Applicant, track: str,
                       actor: Any, today: dt.date | None = None) -> Application:
    policy = policy_of(cycle)
    window = check_cycle_open(today=today or office_today(), opened_on=cycle.opened_on,
                              applications_close_on=cycle.applications_close_on,
                              article=call_cite(policy))
    if window.refused:
        raise refusal(window)
    if track not in policy.tracks:
        offered = _("、").join(in_language(t.name_zh, t.name_en)
                               for t in policy.tracks.values())
        raise ServiceError(_("本奖项只接受%(tracks)s申报") % {"tracks": offered}, field="track",
                           article=next(iter(policy.tracks.values())).cite)
    with transaction.atomic():
        app, created = Application.objects.get_or_create(cycle=cycle, applicant=applicant,
                                                         track=track)
        if created:
            record_event(actor=actor, jurisdiction=cycle.jurisdiction, entity="application",
                         entity_id=app.pk, action="application_create", to_state=DRAFT)
    return app


def lock_application(application: Application, expected_version: int | None) -> Application:
    app = Application.objects.select_for_update().select_related(
        "cycle__jurisdiction", "cycle__policy", "applicant").get(pk=application.pk)
    if expected_version is not None and app.version != expected_version:
        raise StaleVersion()
    return app


def facts_for(app: Application, today: dt.date) -> Facts:
    # Recommendations, invitations, notices and objections are read through their reverse
    # relations: those apps build on this one, so this module does not import them.
    rec = Application.objects.filter(pk=app.pk, recommendation__signed_at__isnull=False).exists()
    notice = None
    st = state(policy_of(app.cycle), app.state) if app.state not in (DRAFT, RETURNED) else None
    if st is not None and st.notice:
        notice = app.notices.filter(stage=st.notice).order_by("-starts_on").first()
    objections = app.objections.all()
    if notice is not None:
        objections = objections.filter(notice=notice)
    return Facts(
        today=today,
        recommendation_signed=rec,
        willingness_confirmed=not app.applicant.invitations.filter(
            cycle=app.cycle, accepted_at__isnull=True).exists(),
        internal_notice_evidence=app.documents.filter(kind=INTERNAL_NOTICE).exists(),
        notice_end=notice.ends_on if notice else None,
        open_objections=objections.filter(status__in=["received", "investigating"]).count(),
        upheld_objections=objections.filter(status="upheld").count(),
        fast_track=app.fast_track,
        open_appeal=app.appeals.filter(status="open").exists(),
        application_window_closes=app.cycle.applications_close_on,
    )


def application_transition(*, application: Application, target: str, actor: Any,
                           reason: str = "", expected_version: int | None = None,
                           today: dt.date | None = None, reinstate: bool = False) -> Application:
    """The one place an application changes state: guard, save, audit, notify.

    ``reinstate``: an upheld appeal returns the application from its refused state to the
    stage that refused it (``plan_reinstatement``), which no ordinary move allows."""
    today = today or office_today()
    with transaction.atomic():
        app = lock_application(application, expected_version)
        policy = policy_of(app.cycle)
        try:
            move = (plan_reinstatement(policy, app.state, target) if reinstate
                    else plan_transition(policy, app.state, target, facts_for(app, today)))
        except TransitionRefused as err:
            raise ServiceError(in_language(err.reason_zh, err.reason_en),
                               article=err.article) from None
        except ConfigurationRequired as err:
            raise ServiceError(str(err), field=err.key) from None
        source = app.state
        app.state = target
        app.version += 1
        if target == SUBMITTED and app.submitted_at is None:
            app.submitted_at = clock_now()
        app.save(update_fields=["state", "version", "submitted_at", "updated_at"])
        record_event(actor=actor, jurisdiction=app.cycle.jurisdiction, entity="application",
                     entity_id=app.pk, action="transition", from_state=source, to_state=target,
                     reason=reason, article=move.article)
        transaction.on_commit(lambda: notify_applicant(app, source, target, reason, move.article))
    return app


def notify_applicant(app: Application, source: str, target: str, reason: str,
                     article: str | None) -> None:
    email = app.applicant.email
    if not email:
        return
    policy = policy_of(app.cycle)
    name = state(policy, target).public_name_zh
    body = [f"{app.applicant.name}：", f"您在“{app.cycle.title}”中的申报状态已更新为：{name}。"]
    if reason:
        body.append(f"说明：{reason}")
    if article:
        body.append(f"依据：{policy.title_zh}{article}")
    send_mail(f"【{policy.award_name_zh}】申报状态更新：{name}", "\n".join(body), None, [email])


def application_submit(*, application: Application, actor: Any, expected_version: int | None,
                       report_chars: int | None, today: dt.date | None = None) -> Application:
    """Freeze the application: check the window, the report length and the profile, pin the
    policy version, then move it to `submitted`."""
    today = today or office_today()
    with transaction.atomic():
        app = lock_application(application, expected_version)
        cycle, policy = app.cycle, policy_of(app.cycle)
        if app.state not in (DRAFT, RETURNED):
            raise ServiceError(_("该申报已提交，不能重复提交"), field="state")
        if today > cycle.applications_close_on:
            raise ServiceError(_("申报已于%(date)s截止") % {"date": cycle.applications_close_on},
                               field="applications_close_on")
        limit = policy.tracks[app.track].report_max_chars
        if report_chars is None:
            raise ServiceError(_("请上传自我评价报告（.docx 或 .pdf）"), field="report")
        # {none}: the regulation sets no limit; {silent}: the office must configure it first.
        if is_silent(limit):
            key = f"tracks.{app.track}.report_max_chars"
            raise ServiceError(str(ConfigurationRequired(policy.id, key, limit.silent)),
                               field=key)
        if given(limit) and report_chars > limit.value:
            raise ServiceError(
                _("自我评价报告共%(chars)s字，超过%(limit)s字的上限，请删减后重新上传")
                % {"chars": report_chars, "limit": limit.value},
                field="report", article=limit.cite)
        profile = dict(app.applicant.profile)
        profile.update({"id": str(app.applicant.pk), "kind": app.track,
                        "name": app.applicant.name})
        try:
            parsed = parse_profile(profile)
        except ProfileError as err:
            raise ServiceError(_("申报条件信息不完整或有误：%(problems)s")
                               % {"problems": "; ".join(err.problems)},
                               field="profile") from None
        # The exact content the application is judged under: the cycle's pinned version.
        app.pinned_policy_id = policy.id
        app.pinned_version = cycle.policy
        app.profile_snapshot = parsed.model_dump(mode="json")
        app.report_chars = report_chars
        app.save(update_fields=["pinned_policy_id", "pinned_version", "profile_snapshot",
                                "report_chars"])
        # Frozen and moved in the same transaction: never a half-submitted draft.
        return application_transition(application=app, target=SUBMITTED, actor=actor,
                                      expected_version=app.version, today=today)


def application_return(*, application: Application, actor: Any, reason: str,
                       expected_version: int | None = None) -> Application:
    if not reason.strip():
        raise ServiceError(_("退回补正须写明需补正的内容"), field="reason")
    return application_transition(application=application, target=RETURNED, actor=actor,
                                   reason=reason, expected_version=expected_version)


def application_move(*, application: Application, target: str, actor: Any, reason: str = "",
                     expected_version: int | None = None) -> Application:
    """Move an application on the office's request where the target alone is given (the
    API): submission belongs to the applicant, a return needs its reason, and leaving
    eligibility review follows the recorded decision."""
    if target == SUBMITTED:
        raise ServiceError(_("申报须由申报方提交（提交时核对报告字数并冻结申报信息），"
                             "评审办不能代为提交"), field="target")
    if target == RETURNED:
        return application_return(application=application, actor=actor, reason=reason,
                                  expected_version=expected_version)
    if application.state == StageId.ELIGIBILITY and target != WITHDRAWN:
        with transaction.atomic():
            moved = eligibility_conclude(application=application, actor=actor,
                                         expected_version=expected_version)
            if moved.state != target:
                names = {s.id: in_language(s.name_zh, s.name_en)
                         for s in states(policy_of(moved.cycle))}
                raise ServiceError(
                    _("按已作出的资格审查结论，该申报应进入“%(name)s”（%(state)s），"
                      "而不是 %(target)s")
                    % {"name": names.get(moved.state, moved.state), "state": moved.state,
                       "target": target}, field="target")
        return moved
    return application_transition(application=application, target=target, actor=actor,
                                  reason=reason, expected_version=expected_version)


@dataclass(frozen=True)
class BatchOutcome:
    """One application of a batch action: moved (to ``state``) or refused (``reason``)."""

    application: Application
    moved: bool
    state: str
    reason: str = ""


def application_batch(*, applications: Iterable[Application], action: str, actor: Any,
                      next_target: Callable[[Application], str | None],
                      reason: str = "") -> list[BatchOutcome]:
    """Move several applications to their next stage (``next``) or return them for
    completion (``return``): each one on its own, through ``application_transition`` in its
    own transaction, guarded and audited; a refusal stops only that application."""
    if action not in ("next", "return"):
        raise ServiceError(_("批量操作只能是转入下一阶段或退回补正"), field="action")
    if action == "return" and not reason.strip():
        raise ServiceError(_("退回补正须写明需补正的内容"), field="reason")
    out: list[BatchOutcome] = []
    for app in applications:
        try:
            if action == "return":
                moved = application_return(application=app, actor=actor, reason=reason)
            else:
                target = next_target(app)
                if target is None:
                    raise ServiceError(
                        _("该申报没有可直接转入的下一阶段（资格审查、公示等须逐件办理）"),
                        field="action")
                moved = application_transition(application=app, target=target, actor=actor,
                                               reason=reason)
        except QawardError as err:
            out.append(BatchOutcome(app, False, app.state, str(err)))
        else:
            out.append(BatchOutcome(moved, True, moved.state))
    return out


def office_contact_update(*, jurisdiction: Jurisdiction, actor: Any, address: str,
                          telephone: str, objection_email: str) -> Jurisdiction:
    """The head of the office sets the office's contact shown on its notices."""
    if not has_role(actor, jurisdiction, Role.OFFICE_HEAD):
        raise ServiceError(_("只有评审办负责人可以修改评审办联系方式"))
    with transaction.atomic():
        j = Jurisdiction.objects.select_for_update().get(pk=jurisdiction.pk)
        j.address, j.telephone = address.strip(), telephone.strip()
        j.objection_email = objection_email.strip()
        j.save(update_fields=["address", "telephone", "objection_email"])
        record_event(actor=actor, jurisdiction=j, entity="jurisdiction", entity_id=j.pk,
                     action="office_contact_update",
                     data={"address": j.address, "telephone": j.telephone,
                           "objection_email": j.objection_email})
    return j


# ---------------------------------------------------------------------------------------------
# Eligibility review


def _eligibility_cite(policy: Policy) -> str:
    st = next((s for s in states(policy) if s.id == StageId.ELIGIBILITY), None)
    return (st.cite or "") if st is not None else ""


def eligibility_screen(*, application: Application, actor: Any = None,
                       on: dt.date | None = None) -> dict[str, Any]:
    """Run the engine on the frozen profile; the result is stored for the office to see and
    the screening recorded (verdict and fast track).

    The office's findings on manual checks whose key and article are unchanged carry over
    to the new screening; the others are archived (their check changed or is gone). A
    recorded decision that the new screening leaves without its basis (a check without a
    finding, or another verdict) is withdrawn: the office decides again."""
    on = on or office_today()
    policy = policy_of(application.cycle)
    try:
        profile = parse_profile(application.profile_snapshot or {})
    except ProfileError as err:
        raise ServiceError(_("申报条件信息不完整或有误：%(problems)s")
                               % {"problems": "; ".join(err.problems)},
                           field="profile") from None
    try:
        result = screener(policy, on).screen(profile).to_json()
    except ConfigurationRequired as err:
        raise ServiceError(str(err), field=err.key) from None
    with transaction.atomic():
        Application.objects.filter(pk=application.pk).update(
            engine_result=result, fast_track=bool(result["fast_track"]))
        application.engine_result = result
        application.fast_track = bool(result["fast_track"])
        kept, archived = _carry_findings(application, result)
        withdrawn = _withdraw_stale_decision(application)
        record_event(actor=actor, jurisdiction=application.cycle.jurisdiction,
                     entity="application", entity_id=application.pk,
                     action="eligibility_screen", article=_eligibility_cite(policy),
                     data={"verdict": result["verdict"], "fast_track": bool(result["fast_track"]),
                           "on": on.isoformat(),
                           "manual_checks": [check_key(m) for m in manual_checks_of(application)],
                           "findings_kept": kept, "findings_archived": archived,
                           "decision_withdrawn": withdrawn})
    return result


def eligibility_decide(*, application: Application, actor: Any, decision: str, reason: str = "",
                       expected_version: int | None = None) -> EligibilityDecision:
    """The office decides; overriding the engine needs a reason and the head's sign-off.

    The engine's verdict here is the screening's with the office's findings on its manual
    checks (``eligibility_basis``): refused while a check has no finding; a check found not
    met makes it "ineligible" with that check's article."""
    if decision not in ("eligible", "ineligible"):
        raise ServiceError(_("结论只能是“符合”或“不符合”"), field="decision")
    with transaction.atomic():
        app = lock_application(application, expected_version)
        if app.state != StageId.ELIGIBILITY:
            raise ServiceError(_("该申报不在资格审查阶段"), field="state")
        if app.engine_result is None:
            eligibility_screen(application=app, actor=actor)
        basis = eligibility_basis(app)
        if basis.missing:
            raise missing_findings_error(basis)
        engine = basis.verdict
        if decision != engine and not reason.strip():
            raise ServiceError(_("与系统审查结论不一致时，须写明理由并由评审办负责人签批"),
                               field="reason")
        d, _created = EligibilityDecision.objects.update_or_create(
            application=app, defaults={"engine_verdict": engine, "decision": decision,
                                       "reason": reason.strip(), "decided_by": actor,
                                       "signed_off_by": None, "signed_off_at": None,
                                       "sign_off_opinion": "", "sign_off_refused": False})
        record_event(actor=actor, jurisdiction=app.cycle.jurisdiction, entity="application",
                     entity_id=app.pk, action="eligibility_decide", reason=reason,
                     article=state(policy_of(app.cycle), StageId.ELIGIBILITY).cite,
                     data={"engine": engine, "decision": decision,
                           "screening": basis.screening,
                           "not_met": [{"key": f.key, "article": f.article}
                                       for f in basis.not_met]})
    return d


def eligibility_sign_off(*, decision: EligibilityDecision, actor: Any, opinion: str,
                         refuse: bool = False) -> EligibilityDecision:
    """The head signs off an override of the engine's verdict, with an opinion, or refuses it:
    a refused override goes back to the office, which must decide again."""
    app = decision.application
    cite = state(policy_of(app.cycle), StageId.ELIGIBILITY).cite
    if not has_role(actor, app.cycle.jurisdiction, Role.OFFICE_HEAD):
        raise ServiceError(_("只有评审办负责人可以签批"), article=cite)
    if not opinion.strip():
        raise ServiceError(_("签批须写明负责人意见（不同意的，评审办据此重新作出结论）"),
                           field="opinion", article=cite)
    with transaction.atomic():
        d = EligibilityDecision.objects.select_for_update().get(pk=decision.pk)
        if not d.overrides_engine:
            raise ServiceError(_("该结论与系统审查结论一致，无需签批"), field="decision")
        if d.signed_off_at is not None:
            raise ServiceError(_("该结论已由负责人签批处理"), field="decision")
        if app.state != StageId.ELIGIBILITY:
            raise ServiceError(_("该申报不在资格审查阶段"), field="state")
        d.signed_off_by, d.signed_off_at = actor, timezone.now()
        d.sign_off_opinion, d.sign_off_refused = opinion.strip(), refuse
        d.save(update_fields=["signed_off_by", "signed_off_at", "sign_off_opinion",
                              "sign_off_refused"])
        record_event(actor=actor, jurisdiction=app.cycle.jurisdiction, entity="application",
                     entity_id=app.pk,
                     action="eligibility_sign_off_refuse" if refuse else "eligibility_sign_off",
                     reason=opinion.strip(), article=cite,
                     data={"decision": d.decision, "engine": d.engine_verdict,
                           "office_reason": d.reason})
    return d


def eligibility_conclude(*, application: Application, actor: Any,
                         expected_version: int | None = None,
                         today: dt.date | None = None) -> Application:
    """Move the application on per the recorded decision (fast track where it applies)."""
    d = EligibilityDecision.objects.filter(application=application).first()
    if d is None:
        raise ServiceError(_("尚未作出资格审查结论"), field="decision")
    basis = eligibility_basis(Application.objects.get(pk=application.pk))
    if basis.missing:
        raise missing_findings_error(basis)
    if d.engine_verdict != basis.verdict:
        raise ServiceError(_("作出结论后，系统审查或人工核实结果有变化，请重新作出审查结论"),
                           field="decision")
    if d.overrides_engine and d.signed_off_at is None:
        raise ServiceError(_("改变系统审查结论须经评审办负责人签批"))
    if d.overrides_engine and d.sign_off_refused:
        raise ServiceError(_("评审办负责人不同意改变系统审查结论，请重新作出审查结论"),
                           field="decision")
    policy = policy_of(application.cycle)
    if d.decision == "ineligible":
        target = End.INELIGIBLE.value
    elif application.fast_track and hasattr(policy.fast_track, "skips_to"):
        target = policy.fast_track.skips_to
    else:
        target = allowed_targets(policy, StageId.ELIGIBILITY)[0]
        if state(policy, target).kind == "notice":
            raise ServiceError(
                _("资格审查结论已记录；符合条件的申报须通过发布资格审查公示进入公示期"),
                field="decision", article=state(policy, target).cite)
    reason = d.reason
    if d.decision == "ineligible" and not reason and basis.not_met:
        # The applicant is told which checks were found not met, with their articles (in
        # Chinese, as the stored record and the notification mail are).
        reason = "；".join(f"人工核实不符合：{f.text_zh}（{f.article}）：{f.note}"
                          for f in basis.not_met)
    return application_transition(application=application, target=target, actor=actor,
                                  reason=reason, expected_version=expected_version,
                                  today=today)


# ---------------------------------------------------------------------------------------------
# Manual checks (需人工核实的事项) and the office's findings on them


def check_key(check: dict[str, Any]) -> str:
    """The stable key of a stored manual check (``ManualItem.key``); results stored before
    keys existed are read the same way: ``rule`` or ``rule:detail``."""
    if check.get("key"):
        return str(check["key"])
    detail = check.get("detail") or ""
    return f"{check.get('rule', '')}:{detail}" if detail else str(check.get("rule", ""))


def manual_checks_of(application: Application) -> list[dict[str, Any]]:
    """The manual checks of the application's current screening (none before screening)."""
    return [m for m in (application.engine_result or {}).get("manual_checks") or []
            if isinstance(m, dict)]


@dataclass(frozen=True)
class EligibilityBasis:
    """What the office's eligibility decision rests on: the screening's verdict and the
    office's current findings on its manual checks.

    ``verdict`` is the engine's verdict the decision is compared with: the screening's,
    made "ineligible" by any check found not met (with that check's article)."""

    screening: str
    verdict: str
    checks: list[dict[str, Any]]
    findings: dict[str, ManualCheckFinding]
    missing: list[dict[str, Any]]
    not_met: list[ManualCheckFinding]

    @property
    def not_met_articles(self) -> list[str]:
        return [f.article for f in self.not_met]


def eligibility_basis(application: Application) -> EligibilityBasis:
    checks = manual_checks_of(application)
    findings = {f.key: f for f in ManualCheckFinding.objects.filter(
        application_id=application.pk, archived_at__isnull=True).select_related("recorded_by")}
    current = {check_key(m) for m in checks}
    missing = [m for m in checks if check_key(m) not in findings]
    not_met = [findings[check_key(m)] for m in checks
               if check_key(m) in findings and not findings[check_key(m)].met]
    screening = str((application.engine_result or {}).get("verdict") or "")
    verdict = "ineligible" if not_met else screening
    return EligibilityBasis(screening=screening, verdict=verdict, checks=checks,
                            findings={k: f for k, f in findings.items() if k in current},
                            missing=missing, not_met=not_met)


def check_words(check: dict[str, Any]) -> str:
    """One check in the reader's language, with its article."""
    return _("%(text)s（%(article)s）") % {
        "text": in_language(str(check.get("text_zh") or ""),
                            str(check.get("text_en") or check.get("text_zh") or "")),
        "article": check.get("article") or "—"}


def missing_findings_error(basis: EligibilityBasis) -> ServiceError:
    """The refusal while manual checks have no finding, naming each of them."""
    return ServiceError(
        _("以下%(n)d项需人工核实的事项尚未记录核实结果，请逐项记录“符合”或“不符合”后再作出"
          "资格审查结论：%(checks)s")
        % {"n": len(basis.missing),
           "checks": "；".join(f"{i}. {check_words(m)}"
                              for i, m in enumerate(basis.missing, 1))},
        field="manual_checks")


def _carry_findings(application: Application,
                    result: dict[str, Any]) -> tuple[list[str], list[dict[str, str]]]:
    """After a screening: keep the current findings whose check (key and article) is still
    in the result, archive the others. Returns (kept keys, archived keys with articles)."""
    now = timezone.now()
    articles = {check_key(m): str(m.get("article") or "")
                for m in result.get("manual_checks") or []}
    kept: list[str] = []
    archived: list[dict[str, str]] = []
    for f in ManualCheckFinding.objects.select_for_update().filter(
            application_id=application.pk, archived_at__isnull=True).order_by("pk"):
        if articles.get(f.key) == f.article:
            kept.append(f.key)
            continue
        f.archived_at = now
        f.save(update_fields=["archived_at"])
        archived.append({"key": f.key, "article": f.article, "text_zh": f.text_zh,
                         "text_en": f.text_en})
    return kept, archived


def _withdraw_stale_decision(application: Application) -> bool:
    """Withdraw the recorded (not yet concluded) eligibility decision when its basis
    changed: a manual check without a finding, or another engine verdict. The audit chain
    keeps the decision; the office decides again."""
    if application.state != StageId.ELIGIBILITY:
        return False
    d = EligibilityDecision.objects.filter(application_id=application.pk).first()
    if d is None:
        return False
    basis = eligibility_basis(application)
    if not basis.missing and d.engine_verdict == basis.verdict:
        return False
    d.delete()
    return True


def _screened_on(application: Application) -> dt.date:
    on = (application.engine_result or {}).get("on")
    return dt.date.fromisoformat(str(on)) if on else office_today()


def manual_check_record(*, application: Application, actor: Any, key: str, met: bool,
                        note: str = "") -> ManualCheckFinding:
    """The office records (or changes) its finding on one manual check of the current
    screening: met or not met, with a note (required when not met). Only office staff who
    may decide eligibility (``rules.can_decide_eligibility``), in eligibility review. The
    event names the check's article; a change that alters the engine's verdict withdraws a
    decision already recorded."""
    note = note.strip()
    with transaction.atomic():
        app = lock_application(application, None)
        cite = _eligibility_cite(policy_of(app.cycle))
        if not rules.is_office(actor, app):
            raise ServiceError(_("只有评审办工作人员可以记录人工核实结果"), article=cite)
        if not rules.can_decide_eligibility(actor, app):
            raise ServiceError(_("该申报不在资格审查阶段，不能记录人工核实结果"), field="state",
                               article=cite)
        check = next((m for m in manual_checks_of(app) if check_key(m) == key), None)
        if check is None:
            raise ServiceError(
                _("本次系统审查没有需人工核实的事项“%(key)s”（可能已重新运行系统审查），"
                  "请刷新页面后按当前事项记录") % {"key": key}, field="key")
        article = str(check.get("article") or "")
        if not met and not note:
            raise ServiceError(_("核实结果为“不符合”时，须在核实说明中写明不符合的事实"),
                               field="note", article=article or None)
        f = ManualCheckFinding.objects.select_for_update().filter(
            application=app, key=key, archived_at__isnull=True).first()
        previous = None if f is None else {"met": f.met, "note": f.note}
        if f is not None and f.met == met and f.note == note:
            return f  # nothing changed: nothing to record
        if f is None:
            f = ManualCheckFinding(application=app, key=key)
        f.rule = str(check.get("rule") or "")
        f.article = article
        f.text_zh = str(check.get("text_zh") or "")
        f.text_en = str(check.get("text_en") or "")
        f.met, f.note = met, note
        f.screened_on = _screened_on(app)
        f.recorded_by, f.recorded_at = actor, timezone.now()
        f.save()
        withdrawn = _withdraw_stale_decision(app)
        record_event(actor=actor, jurisdiction=app.cycle.jurisdiction, entity="application",
                     entity_id=app.pk, action="manual_check_record", reason=note,
                     article=article,
                     data={"key": key, "rule": f.rule, "text_zh": f.text_zh,
                           "text_en": f.text_en, "met": met, "note": note,
                           "previous": previous, "screened_on": f.screened_on.isoformat(),
                           "decision_withdrawn": withdrawn})
    return f



# ---------------------------------------------------------------------------------------------
# Applicant profiles and documents


def applicant_profile_update(*, applicant: Applicant, actor: Any,
                             profile: dict[str, Any]) -> Applicant:
    """Replace the applicant's eligibility profile (submitted applications keep their
    frozen snapshot); the event records what changed, field by field (``profile_diff``)."""
    with transaction.atomic():
        a = Applicant.objects.select_for_update().select_related("jurisdiction").get(
            pk=applicant.pk)
        changes = profile_diff(a.profile, profile, kind=a.kind)
        a.profile = profile
        a.sector = str(profile.get("sector", a.sector) or "")[:100]
        a.save(update_fields=["profile", "sector"])
        record_event(actor=actor, jurisdiction=a.jurisdiction, entity="applicant",
                     entity_id=a.pk, action="profile_update",
                     data={"fields": sorted(profile), "changes": changes})
    return a



def latest_report(application: Application) -> Document | None:
    return application.documents.filter(kind=REPORT).order_by("-uploaded_at",
                                                                            "-pk").first()


def report_chars(application: Application) -> int | None:
    """字数 of the latest uploaded report, or None when there is none."""
    doc = latest_report(application)
    if doc is None:
        return None
    suffix = PurePath(doc.original_name).suffix.lower()
    with doc.file.open("rb") as fh:
        return count_words(extract_text(fh, suffix))


def document_add(*, application: Application, actor: Any, kind: str,
                 upload: UploadedFile) -> Document:
    """Store a checked file for an application that the applicant may still change."""
    checked = check_upload(upload, kind)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        app = Application.objects.select_for_update().select_related(
            "cycle__jurisdiction").get(pk=application.pk)
        if app.state not in EDITABLE_BY_APPLICANT:
            raise ServiceError(_("申报已提交，材料不能再更改；如需补正，请联系评审办退回补正"),
                               field="file")
        doc = Document(application=app, kind=kind, original_name=(upload.name or "")[:255],
                       sha256=digest.hexdigest(), size=upload.size or 0, uploaded_by=actor)
        doc.file.save(PurePath(upload.name or f"file{checked.suffix}").name, upload, save=False)
        try:
            doc.save()
            record_event(actor=actor, jurisdiction=app.cycle.jurisdiction, entity="application",
                         entity_id=app.pk, action="document_add",
                         data={"kind": kind, "name": doc.original_name, "sha256": doc.sha256,
                               "size": doc.size, "report_chars": checked.report_chars})
        except Exception:
            doc.file.delete(save=False)
            raise
    return doc

