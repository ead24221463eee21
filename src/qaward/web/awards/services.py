"""Every write of the award cycle: one keyword-only function per action, each in a
transaction, each recording an audit event (who, when, what, why, which article).

Views, forms and the API call these; business rules come from the pure core
(``qaward.core``) and the policy the cycle is pinned to.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from qaward.core.eligibility import check_in_force, parse_profile, screener
from qaward.core.errors import ConfigurationRequired, PolicyNotInForce, ProfileError, QawardError
from qaward.core.notices import notice_for
from qaward.core.policy import Policy, list_policies, load_policy
from qaward.core.policy.loader import policy_files
from qaward.core.workflow import (
    DRAFT,
    RETURNED,
    SUBMITTED,
    Facts,
    TransitionRefused,
    allowed_targets,
    plan_transition,
    state,
    states,
)
from qaward.web.clock import today as office_today

from .models import (
    Applicant,
    Application,
    AuditEvent,
    AuditHead,
    Consultation,
    Cycle,
    EligibilityDecision,
    Invitation,
    Jurisdiction,
    Membership,
    Notice,
    Objection,
    PolicyVersion,
    Recommendation,
    Role,
)

GENESIS = "0" * 64


class ServiceError(QawardError):
    """A user-facing refusal: says what is wrong, the rule or article, and what to do."""

    def __init__(self, message: str, *, field: str | None = None, article: str | None = None):
        self.field = field
        self.article = article
        super().__init__(message + (f"（{article}）" if article else ""))


class StaleVersion(ServiceError):
    def __init__(self) -> None:
        super().__init__("该申报已被他人修改，请刷新页面后重试。"
                         " / This application was changed by someone else: reload and try again.")


# ---------------------------------------------------------------------------------------------
# Audit chain


def _canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str).encode()


def event_payload(e: AuditEvent) -> dict[str, Any]:
    return {
        "at": e.at.isoformat(), "jurisdiction": e.jurisdiction_id, "actor": e.actor_id,
        "actor_label": e.actor_label, "entity": e.entity, "entity_id": e.entity_id,
        "action": e.action, "from": e.from_state, "to": e.to_state, "reason": e.reason,
        "article": e.article, "data": e.data,
    }


def chain_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + _canonical(payload)).hexdigest()


def _actor_label(actor: Any) -> str:
    if actor is None or isinstance(actor, AnonymousUser):
        return "public"
    return str(getattr(actor, "username", actor))


def record_event(*, actor: Any, jurisdiction: Jurisdiction | None, entity: str, entity_id: Any,
                 action: str, from_state: str = "", to_state: str = "", reason: str = "",
                 article: str | None = "", data: dict[str, Any] | None = None) -> AuditEvent:
    """Append one event to the hash chain. Must run inside the caller's transaction."""
    head, _ = AuditHead.objects.select_for_update().get_or_create(
        id=1, defaults={"last_hash": GENESIS})
    event = AuditEvent(
        at=timezone.now(), jurisdiction=jurisdiction,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_actor_label(actor), entity=entity, entity_id=str(entity_id),
        action=action, from_state=from_state, to_state=to_state, reason=reason,
        article=article or "", data=data or {}, prev_hash=head.last_hash,
    )
    event.hash = chain_hash(head.last_hash, event_payload(event))
    event.save()
    head.last_hash, head.last_seq = event.hash, event.seq
    head.save(update_fields=["last_hash", "last_seq"])
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int
    first_bad_seq: int | None
    problem: str | None


def verify_chain() -> ChainReport:
    prev = GENESIS
    count = 0
    for e in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        count += 1
        if e.prev_hash != prev:
            return ChainReport(False, count, e.seq, "prev_hash does not match the event before")
        if chain_hash(prev, event_payload(e)) != e.hash:
            return ChainReport(False, count, e.seq, "the event's content does not match its hash")
        prev = e.hash
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and head.last_hash != prev:
        return ChainReport(False, count, None, "the chain's last event was removed")
    return ChainReport(True, count, None, None)


# ---------------------------------------------------------------------------------------------
# Policies


def policy_of(cycle: Cycle) -> Policy:
    return load_policy(cycle.policy.policy_id)


def sync_policies() -> list[PolicyVersion]:
    """Register every policy file in the database (jurisdictions included)."""

    out = []
    files = policy_files()
    for pid in list_policies():
        p = load_policy(pid)
        j, _ = Jurisdiction.objects.update_or_create(
            code=p.jurisdiction.id, defaults={"name_zh": p.jurisdiction.name_zh})
        sha = hashlib.sha256(files[pid].read_bytes()).hexdigest()
        pv, _ = PolicyVersion.objects.update_or_create(
            policy_id=pid,
            defaults={"jurisdiction": j, "title_zh": p.title_zh,
                      "in_force_from": p.in_force.from_ or p.in_force.from_not_later_than,
                      "in_force_until": p.in_force.until, "content_sha256": sha})
        out.append(pv)
    return out


def policy_in_force(jurisdiction: Jurisdiction, on: dt.date) -> tuple[PolicyVersion, Policy]:
    """The jurisdiction's policy version in force on ``on``; refusals cite the article."""

    refusals: list[str] = []
    for pv in jurisdiction.policies.order_by("-in_force_from"):
        p = load_policy(pv.policy_id)
        try:
            check_in_force(p, on)
        except (PolicyNotInForce, ConfigurationRequired) as err:
            refusals.append(str(err))
            continue
        return pv, p
    raise ServiceError(
        f"{on} 没有有效的管理办法，不能开启评选周期: " + "; ".join(refusals)
        if refusals else f"{jurisdiction} 没有登记任何管理办法")


# ---------------------------------------------------------------------------------------------
# Cycles


def cycle_open(*, jurisdiction: Jurisdiction, year: int, title: str, opened_on: dt.date,
               applications_close_on: dt.date, actor: Any,
               override_reason: str = "") -> Cycle:
    """Open a cycle under the policy in force on the opening date; the policy's cycle
    frequency is checked, and a cycle too soon needs the office head's written override."""
    pv, policy = policy_in_force(jurisdiction, opened_on)
    if applications_close_on < opened_on:
        raise ServiceError("申报截止日期早于发布日期", field="applications_close_on")
    freq = policy.cycle.frequency_years
    with transaction.atomic():
        Jurisdiction.objects.select_for_update().get(pk=jurisdiction.pk)
        if hasattr(freq, "value"):
            too_soon = jurisdiction.cycles.filter(year__gt=year - freq.value,
                                                  year__lte=year).exists()
            if too_soon:
                if not override_reason.strip():
                    raise ServiceError(
                        f"{policy.id} 每{freq.value}年评选一次，{year}年与上一周期间隔不足；"
                        "如确需开展，须由评审办负责人填写理由", field="override_reason",
                        article=freq.cite)
                if not has_role(actor, jurisdiction, Role.OFFICE_HEAD):
                    raise ServiceError("提前开展评选须由评审办负责人签批", article=freq.cite)
        if jurisdiction.cycles.filter(year=year).exists():
            raise ServiceError(f"{year}年度已有评选周期", field="year")
        cycle = Cycle.objects.create(
            jurisdiction=jurisdiction, policy=pv, year=year, title=title, opened_on=opened_on,
            applications_close_on=applications_close_on,
            frequency_override_reason=override_reason.strip(),
            frequency_override_by=actor if override_reason.strip() else None)
        record_event(actor=actor, jurisdiction=jurisdiction, entity="cycle", entity_id=cycle.pk,
                     action="cycle_open", to_state=cycle.status, reason=override_reason,
                     article=policy.in_force.cite,
                     data={"policy": pv.policy_id, "year": year})
    return cycle


# ---------------------------------------------------------------------------------------------
# Roles


def has_role(user: Any, jurisdiction: Jurisdiction, *roles: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, jurisdiction=jurisdiction,
                                     role__in=roles).exists()


# ---------------------------------------------------------------------------------------------
# Applications


def application_create(*, cycle: Cycle, applicant: Applicant, track: str,
                       actor: Any) -> Application:
    policy = policy_of(cycle)
    if track not in policy.tracks:
        offered = "、".join(t.name_zh for t in policy.tracks.values())
        raise ServiceError(f"本奖项只接受{offered}申报", field="track",
                           article=next(iter(policy.tracks.values())).cite)
    with transaction.atomic():
        app, created = Application.objects.get_or_create(cycle=cycle, applicant=applicant,
                                                         track=track)
        if created:
            record_event(actor=actor, jurisdiction=cycle.jurisdiction, entity="application",
                         entity_id=app.pk, action="application_create", to_state=DRAFT)
    return app


def _lock(application: Application, expected_version: int | None) -> Application:
    app = Application.objects.select_for_update().select_related(
        "cycle__jurisdiction", "cycle__policy", "applicant").get(pk=application.pk)
    if expected_version is not None and app.version != expected_version:
        raise StaleVersion()
    return app


def facts_for(app: Application, today: dt.date) -> Facts:
    rec = Recommendation.objects.filter(application=app, signed_at__isnull=False).exists()
    notice = None
    st = state(policy_of(app.cycle), app.state) if app.state not in (DRAFT, RETURNED) else None
    if st is not None and st.notice:
        notice = app.notices.filter(stage=st.notice).order_by("-starts_on").first()
    objections = Objection.objects.filter(application=app)
    if notice is not None:
        objections = objections.filter(notice=notice)
    return Facts(
        today=today,
        recommendation_signed=rec,
        willingness_confirmed=not app.applicant.invitations.filter(
            cycle=app.cycle, accepted_at__isnull=True).exists(),
        internal_notice_evidence=app.documents.filter(kind="internal_notice").exists(),
        notice_end=notice.ends_on if notice else None,
        open_objections=objections.filter(status__in=["received", "investigating"]).count(),
        upheld_objections=objections.filter(status="upheld").count(),
        fast_track=app.fast_track,
    )


def application_transition(*, application: Application, target: str, actor: Any,
                           reason: str = "", expected_version: int | None = None,
                           today: dt.date | None = None) -> Application:
    """The one place an application changes state: guard, save, audit, notify."""
    today = today or office_today()
    with transaction.atomic():
        app = _lock(application, expected_version)
        policy = policy_of(app.cycle)
        try:
            move = plan_transition(policy, app.state, target, facts_for(app, today))
        except TransitionRefused as err:
            raise ServiceError(f"{err.reason_zh} / {err.reason_en}", article=err.article) from None
        source = app.state
        app.state = target
        app.version += 1
        if target == SUBMITTED and app.submitted_at is None:
            app.submitted_at = timezone.now()
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
    st = state(policy, target) if target not in (RETURNED, "withdrawn") else None
    name = st.public_name_zh if st else {"returned": "退回补正", "withdrawn": "已撤回"}[target]
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
        app = _lock(application, expected_version)
        cycle, policy = app.cycle, policy_of(app.cycle)
        if app.state not in (DRAFT, RETURNED):
            raise ServiceError("该申报已提交，不能重复提交", field="state")
        if today > cycle.applications_close_on:
            raise ServiceError(f"申报已于{cycle.applications_close_on}截止",
                               field="applications_close_on")
        limit = policy.tracks[app.track].report_max_chars
        if report_chars is None:
            raise ServiceError("请上传自我评价报告（.docx 或 .pdf）", field="report")
        if hasattr(limit, "value") and report_chars > limit.value:
            raise ServiceError(
                f"自我评价报告共{report_chars}字，超过{limit.value}字的上限，请删减后重新上传",
                field="report", article=limit.cite)
        profile = dict(app.applicant.profile)
        profile.update({"id": str(app.applicant.pk), "kind": app.track,
                        "name": app.applicant.name})
        try:
            parsed = parse_profile(profile)
        except ProfileError as err:
            raise ServiceError(f"申报条件信息不完整或有误：{'; '.join(err.problems)}",
                               field="profile") from None
        app.pinned_policy_id = policy.id
        app.profile_snapshot = parsed.model_dump(mode="json")
        app.report_chars = report_chars
        app.save(update_fields=["pinned_policy_id", "profile_snapshot", "report_chars"])
        # Frozen and moved in the same transaction: never a half-submitted draft.
        return application_transition(application=app, target=SUBMITTED, actor=actor,
                                      expected_version=app.version, today=today)


def application_return(*, application: Application, actor: Any, reason: str,
                       expected_version: int | None = None) -> Application:
    if not reason.strip():
        raise ServiceError("退回补正须写明需补正的内容", field="reason")
    return application_transition(application=application, target=RETURNED, actor=actor,
                                   reason=reason, expected_version=expected_version)


# ---------------------------------------------------------------------------------------------
# Recommendation


def recommendation_sign(*, application: Application, actor: Any, opinion: str) -> Recommendation:
    member = Membership.objects.filter(user=actor, role=Role.DEPARTMENT,
                                       jurisdiction=application.cycle.jurisdiction).first()
    if member is None or member.department is None:
        raise ServiceError("只有推荐部门可以签署推荐意见")
    if not opinion.strip():
        raise ServiceError("请填写推荐意见", field="opinion")
    with transaction.atomic():
        app = _lock(application, None)
        rec, _ = Recommendation.objects.select_for_update().get_or_create(
            application=app, defaults={"department": member.department})
        if rec.department_id != member.department_id:
            raise ServiceError("该申报由其他推荐部门推荐")
        if rec.signed_at:
            raise ServiceError("推荐意见已签署")
        rec.opinion, rec.signed_by, rec.signed_at = opinion.strip(), actor, timezone.now()
        rec.save()
        record_event(actor=actor, jurisdiction=app.cycle.jurisdiction, entity="application",
                     entity_id=app.pk, action="recommendation_sign", reason=opinion,
                     article=policy_of(app.cycle).recommendation.cite,
                     data={"department": member.department.name})
    return rec


# ---------------------------------------------------------------------------------------------
# Eligibility review


def eligibility_screen(*, application: Application, on: dt.date | None = None) -> dict[str, Any]:
    """Run the engine on the frozen profile; the result is stored for the office to see."""
    on = on or office_today()
    policy = policy_of(application.cycle)
    try:
        profile = parse_profile(application.profile_snapshot or {})
    except ProfileError as err:
        raise ServiceError(f"申报条件信息不完整或有误：{'; '.join(err.problems)}",
                           field="profile") from None
    try:
        result = screener(policy, on).screen(profile).to_json()
    except ConfigurationRequired as err:
        raise ServiceError(str(err)) from None
    Application.objects.filter(pk=application.pk).update(
        engine_result=result, fast_track=bool(result["fast_track"]))
    application.engine_result = result
    application.fast_track = bool(result["fast_track"])
    return result


def eligibility_decide(*, application: Application, actor: Any, decision: str, reason: str = "",
                       expected_version: int | None = None) -> EligibilityDecision:
    """The office decides; overriding the engine needs a reason and the head's sign-off."""
    if decision not in ("eligible", "ineligible"):
        raise ServiceError("结论只能是“符合”或“不符合”", field="decision")
    with transaction.atomic():
        app = _lock(application, expected_version)
        if app.state != "eligibility":
            raise ServiceError("该申报不在资格审查阶段", field="state")
        engine = (app.engine_result or eligibility_screen(application=app))["verdict"]
        if decision != engine and not reason.strip():
            raise ServiceError("与系统审查结论不一致时，须写明理由并由评审办负责人签批",
                               field="reason")
        d, _ = EligibilityDecision.objects.update_or_create(
            application=app, defaults={"engine_verdict": engine, "decision": decision,
                                       "reason": reason.strip(), "decided_by": actor,
                                       "signed_off_by": None, "signed_off_at": None})
        record_event(actor=actor, jurisdiction=app.cycle.jurisdiction, entity="application",
                     entity_id=app.pk, action="eligibility_decide", reason=reason,
                     article=state(policy_of(app.cycle), "eligibility").cite,
                     data={"engine": engine, "decision": decision})
    return d


def eligibility_sign_off(*, decision: EligibilityDecision, actor: Any) -> EligibilityDecision:
    app = decision.application
    if not has_role(actor, app.cycle.jurisdiction, Role.OFFICE_HEAD):
        raise ServiceError("只有评审办负责人可以签批")
    with transaction.atomic():
        d = EligibilityDecision.objects.select_for_update().get(pk=decision.pk)
        d.signed_off_by, d.signed_off_at = actor, timezone.now()
        d.save(update_fields=["signed_off_by", "signed_off_at"])
        record_event(actor=actor, jurisdiction=app.cycle.jurisdiction, entity="application",
                     entity_id=app.pk, action="eligibility_sign_off", reason=d.reason)
    return d


def eligibility_conclude(*, application: Application, actor: Any,
                         expected_version: int | None = None,
                         today: dt.date | None = None) -> Application:
    """Move the application on per the recorded decision (fast track where it applies)."""
    d = EligibilityDecision.objects.filter(application=application).first()
    if d is None:
        raise ServiceError("尚未作出资格审查结论", field="decision")
    if d.overrides_engine and d.signed_off_at is None:
        raise ServiceError("改变系统审查结论须经评审办负责人签批")
    policy = policy_of(application.cycle)
    if d.decision == "ineligible":
        target = "ineligible"
    elif application.fast_track and hasattr(policy.fast_track, "skips_to"):
        target = policy.fast_track.skips_to
    else:
        target = allowed_targets(policy, "eligibility")[0]
        if state(policy, target).kind == "notice":
            raise ServiceError("资格审查结论已记录；符合条件的申报须通过发布资格审查公示进入公示期",
                               field="decision", article=state(policy, target).cite)
    return application_transition(application=application, target=target, actor=actor,
                                  reason=d.reason, expected_version=expected_version,
                                  today=today)


# ---------------------------------------------------------------------------------------------
# Notices and objections


def notice_publish(*, cycle: Cycle, stage: str, starts_on: dt.date, actor: Any,
                   applications: Iterable[Application]) -> Notice:
    """Publish the notice of a stage; its window comes from the policy and the calendar."""

    policy = policy_of(cycle)
    try:
        window = notice_for(policy, stage, starts_on)
    except QawardError as err:
        raise ServiceError(str(err), field="stage") from None
    apps = list(applications)
    notice_state = next((x for x in states(policy) if x.kind == "notice" and x.notice == stage),
                        None)
    if notice_state is None:
        raise ServiceError(f"{policy.id} 的评审流程中没有“{stage}”公示", field="stage")
    if Notice.objects.filter(cycle=cycle, stage=stage).exists():
        raise ServiceError("本周期该阶段的公示已经发布，不能重复发布", field="stage")
    with transaction.atomic():
        notice = Notice.objects.create(
            cycle=cycle, stage=stage, title=f"{cycle.title}{_NOTICE_TITLES.get(stage, '')}公示",
            starts_on=dt.date.fromisoformat(window["start"]),
            ends_on=dt.date.fromisoformat(window["end"]), rule=window["rule"],
            article=window["article"], published_by=actor)
        notice.applications.set(apps)
        record_event(actor=actor, jurisdiction=cycle.jurisdiction, entity="notice",
                     entity_id=notice.pk, action="notice_publish", article=window["article"],
                     data={"stage": stage, **window, "applications": [a.pk for a in apps]})
        # Publishing puts every listed application into the notice state, or none at all.
        for app in apps:
            application_transition(application=app, target=notice_state.id, actor=actor,
                                   reason=notice.title, today=starts_on)
    return notice


_NOTICE_TITLES = {"eligibility": "资格审查结果", "shortlist": "现场评审名单", "final": "拟奖名单"}


def objection_submit(*, notice: Notice, application: Application, name: str, id_number: str,
                     phone: str, statement: str, email: str = "",
                     today: dt.date | None = None) -> Objection:
    today = today or office_today()
    policy = policy_of(notice.cycle)
    rule = policy.objections
    article = getattr(rule, "cite", None) or policy.notice(notice.stage).cite
    missing = [f for f, v in (("name", name), ("id_number", id_number), ("phone", phone),
                              ("statement", statement)) if not v.strip()]
    if missing:
        raise ServiceError("异议须实名提出：请填写姓名或单位名称、身份证号或统一社会信用代码、"
                           "联系电话和异议内容", field=missing[0], article=article)
    if not (notice.starts_on <= today <= notice.ends_on):
        raise ServiceError(f"公示期为{notice.starts_on}至{notice.ends_on}，现已不在公示期内，"
                           "不能受理异议", field="notice", article=policy.notice(notice.stage).cite)
    if not notice.applications.filter(pk=application.pk).exists():
        raise ServiceError("该申报不在本次公示名单中", field="application")
    with transaction.atomic():
        obj = Objection.objects.create(
            notice=notice, application=application, objector_name=name.strip(),
            objector_id_number=id_number.strip(), objector_phone=phone.strip(),
            objector_email=email.strip(), statement=statement.strip())
        record_event(actor=None, jurisdiction=notice.cycle.jurisdiction, entity="objection",
                     entity_id=obj.pk, action="objection_submit", to_state=obj.status,
                     article=article, data={"application": application.pk})
    return obj


def objection_assign(*, objection: Objection, investigator: Any, actor: Any) -> Objection:
    with transaction.atomic():
        o = Objection.objects.select_for_update().get(pk=objection.pk)
        if o.status not in ("received", "investigating"):
            raise ServiceError("该异议已处理完毕")
        source = o.status
        o.investigator, o.status = investigator, Objection.Status.INVESTIGATING
        o.save(update_fields=["investigator", "status"])
        record_event(actor=actor, jurisdiction=o.notice.cycle.jurisdiction, entity="objection",
                     entity_id=o.pk, action="objection_assign", from_state=source,
                     to_state=o.status, data={"investigator": _actor_label(investigator)})
    return o


def objection_decide(*, objection: Objection, actor: Any, upheld: bool, findings: str,
                     reason: str, today: dt.date | None = None) -> Objection:
    if not findings.strip() or not reason.strip():
        raise ServiceError("请填写调查核实情况和处理理由", field="findings" if not findings.strip()
                           else "reason")
    with transaction.atomic():  # the decision and its consequence, or neither
        o = Objection.objects.select_for_update().select_related("notice__cycle").get(
            pk=objection.pk)
        if o.status not in ("received", "investigating"):
            raise ServiceError("该异议已处理完毕")
        policy = policy_of(o.notice.cycle)
        notice_rule = policy.notice(o.notice.stage)
        source = o.status
        o.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
        o.findings, o.decision_reason, o.decided_at = findings.strip(), reason.strip(), \
            timezone.now()
        o.reported_to_committee = notice_rule.issues_reported_to_committee
        o.save()
        record_event(actor=actor, jurisdiction=o.notice.cycle.jurisdiction, entity="objection",
                     entity_id=o.pk, action="objection_decide", from_state=source,
                     to_state=o.status, reason=reason,
                     article=getattr(policy.objections, "cite", "") or notice_rule.cite)
        if upheld:
            application_transition(application=o.application, target="removed_by_objection",
                                   actor=actor, reason=reason, today=today)
    transaction.on_commit(lambda: _notify_objector(o))
    return o


def _notify_objector(o: Objection) -> None:
    if o.objector_email:
        verdict = "异议成立" if o.status == Objection.Status.UPHELD else "异议不成立"
        send_mail(f"异议处理结果：{verdict}",
                  f"{o.objector_name}：\n您对“{o.application.applicant.name}”提出的异议经调查核实，"
                  f"{verdict}。\n处理理由：{o.decision_reason}", None, [o.objector_email])


# ---------------------------------------------------------------------------------------------
# Applicant profiles, invitations, consultations

def applicant_profile_update(*, applicant: Applicant, actor: Any,
                             profile: dict[str, Any]) -> Applicant:
    """Replace the applicant's eligibility profile (submitted applications keep their
    frozen snapshot)."""
    with transaction.atomic():
        a = Applicant.objects.select_for_update().select_related("jurisdiction").get(
            pk=applicant.pk)
        a.profile = profile
        a.sector = str(profile.get("sector", a.sector) or "")[:100]
        a.save(update_fields=["profile", "sector"])
        record_event(actor=actor, jurisdiction=a.jurisdiction, entity="applicant",
                              entity_id=a.pk, action="profile_update",
                              data={"fields": sorted(profile)})
    return a


def invitation_respond(*, invitation: Invitation, actor: Any, accept: bool) -> Invitation:
    """The invited organization confirms (or declines) that it wants to apply."""
    with transaction.atomic():
        inv = Invitation.objects.select_for_update().select_related("cycle__policy").get(
            pk=invitation.pk)
        if inv.accepted_at or inv.declined_at:
            raise ServiceError("该推荐邀请已经答复过")
        now = timezone.now()
        if accept:
            inv.accepted_at = now
        else:
            inv.declined_at = now
        inv.save(update_fields=["accepted_at", "declined_at"])
        record_event(
            actor=actor, jurisdiction=inv.jurisdiction, entity="invitation", entity_id=inv.pk,
            action="invitation_accept" if accept else "invitation_decline",
            article=policy_of(inv.cycle).recommendation.cite,
            data={"recommender": inv.recommender})
    return inv


def consultation_record(*, application: Application, actor: Any, department_name: str,
                        question: str, answer: str = "") -> Consultation:
    """Record a written consultation of another department (书面征求意见)."""
    if not department_name.strip() or not question.strip():
        raise ServiceError("请填写征求意见部门和事项", field="question")
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
        raise ServiceError("请填写书面回复", field="answer")
    with transaction.atomic():
        c = Consultation.objects.select_for_update().select_related(
            "application__cycle__jurisdiction").get(pk=consultation.pk)
        if c.answered_at is not None:
            raise ServiceError("该征求意见已登记回复", field="answer")
        c.answer, c.answered_at = answer.strip(), timezone.now()
        c.save(update_fields=["answer", "answered_at"])
        record_event(actor=actor, jurisdiction=c.application.cycle.jurisdiction,
                              entity="application", entity_id=c.application_id,
                              action="consultation_answer", reason=c.answer,
                              data={"consultation": c.pk, "department": c.department_name})
    return c



def invitation_create(*, cycle: Cycle, applicant: Applicant, recommender: str,
                      recommender_kind: str, reason: str, actor: Any) -> Invitation:
    """Record a third-party recommendation (e.g. 崇明 第二十条): the organization is invited
    and nothing is filed for it until it accepts."""
    policy = policy_of(cycle)
    rec = policy.recommendation
    if not rec.third_party_allowed:
        raise ServiceError(f"{policy.title_zh}未规定由第三方推荐组织参评", field="recommender",
                           article=rec.cite)
    if applicant.jurisdiction_id != cycle.jurisdiction_id:
        raise ServiceError("被推荐组织不属于本辖区", field="applicant")
    if not recommender.strip() or not reason.strip():
        raise ServiceError("请填写推荐方和推荐理由",
                           field="recommender" if not recommender.strip() else "reason")
    with transaction.atomic():
        if Invitation.objects.filter(cycle=cycle, applicant=applicant, accepted_at__isnull=True,
                                     declined_at__isnull=True).exists():
            raise ServiceError("已向该组织发出推荐邀请，正在等待其确认", field="applicant")
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
