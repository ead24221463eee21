"""Every write of notices and objections: publishing a stage's notice (which moves every
listed application into the notice state, or none), real-name objections with their
evidence files, their investigation and decision. Each in a transaction with its audit
event."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qaward.core.errors import QawardError
from qaward.core.notices import notice_for, notice_title
from qaward.core.policy.model import Objections
from qaward.core.schedule import check_notice_start, check_objection_date
from qaward.core.states import REMOVED_BY_OBJECTION, StageId, stage_of_notice_state
from qaward.core.workflow import notice_state_of, state
from qaward.web.accounts.models import Role
from qaward.web.accounts.services import has_role
from qaward.web.audit.services import actor_label, record_event
from qaward.web.clock import today as office_today
from qaward.web.common.errors import ServiceError, bilingual, reasons_text, refusal
from qaward.web.cycles.models import Application, Cycle, EligibilityDecision
from qaward.web.cycles.services import application_transition
from qaward.web.policies.services import policy_of

from .models import Notice, Objection, ObjectionEvidence

# ---------------------------------------------------------------------------------------------
# Notices


def notice_publish(*, cycle: Cycle, stage: str, starts_on: dt.date, actor: Any,
                   applications: Iterable[Application], today: dt.date | None = None,
                   sign_off_reason: str = "") -> Notice:
    """Publish the notice of a stage; its window comes from the policy and the calendar.

    Refused when a listed application has not reached the stage the notice follows, and when
    the start is backdated or falls on or before the closing date of applications
    (``qaward.core.schedule.check_notice_start``). A start far ahead or outside the cycle's
    year needs the office head: only a head may publish it, giving a reason that the audit
    event records."""
    today = today or office_today()
    policy = policy_of(cycle)
    try:
        window = notice_for(policy, stage, starts_on)
    except QawardError as err:
        raise ServiceError(str(err), field="stage") from None
    apps = list(applications)
    notice_state = notice_state_of(policy, stage)
    if notice_state is None:
        raise ServiceError(_("%(policy)s 的评审流程中没有“%(stage)s”公示")
                           % {"policy": policy.id, "stage": stage}, field="stage")
    if Notice.objects.filter(cycle=cycle, stage=stage).exists():
        raise ServiceError(_("本周期该阶段的公示已经发布，不能重复发布"), field="stage")
    _check_stage_reached(policy, notice_state.id, apps)
    start = check_notice_start(
        starts_on=starts_on, today=today, applications_close_on=cycle.applications_close_on,
        cycle_year=cycle.year, reviewed_on_arrival=policy.reviewed_on_arrival,
        article=notice_state.cite)
    if start.refused:
        raise refusal(start)
    signed_off = ""
    if start.needs_sign_off:
        why = reasons_text(start)
        if not has_role(actor, cycle.jurisdiction, Role.OFFICE_HEAD):
            raise ServiceError(_("%(why)s 请由评审办负责人发布本公示。") % {"why": why},
                               field="starts_on", article=start.article)
        if not sign_off_reason.strip():
            raise ServiceError(_("%(why)s 请填写确认理由。") % {"why": why},
                               field="sign_off_reason", article=start.article)
        signed_off = sign_off_reason.strip()
    title_zh, _title_en = notice_title(policy, stage)
    with transaction.atomic():
        notice = Notice.objects.create(
            cycle=cycle, stage=stage, title=f"{cycle.title}{title_zh}公示",
            starts_on=dt.date.fromisoformat(window["start"]),
            ends_on=dt.date.fromisoformat(window["end"]), rule=window["rule"],
            article=window["article"], published_by=actor)
        notice.applications.set(apps)
        record_event(actor=actor, jurisdiction=cycle.jurisdiction, entity="notice",
                     entity_id=notice.pk, action="notice_publish", article=window["article"],
                     reason=signed_off,
                     data={"stage": stage, **window, "applications": [a.pk for a in apps],
                           "signed_off": [r.code for r in start.reasons]})
        # Publishing puts every listed application into the notice state, or none at all.
        for app in apps:
            application_transition(application=app, target=notice_state.id, actor=actor,
                                   reason=notice.title, today=starts_on)
    return notice


def _check_stage_reached(policy: Any, notice_state_id: str, apps: list[Application]) -> None:
    """Every listed application is in the stage the notice follows (for the eligibility
    notice: with an eligible decision, signed off where it overrides the engine); a notice
    listing nobody is refused too."""
    stage = stage_of_notice_state(notice_state_id)
    assert stage is not None
    st = state(policy, stage)
    name = bilingual(st.name_zh, st.name_en)
    if not apps:
        raise ServiceError(_("尚无申报进入“%(stage)s”阶段，不能发布该阶段的公示。")
                           % {"stage": name}, field="applications", article=st.cite)
    current = dict(Application.objects.filter(pk__in=[a.pk for a in apps])
                   .values_list("pk", "state"))
    for app in apps:
        ok = current.get(app.pk) == stage
        if ok and stage == StageId.ELIGIBILITY:
            d = EligibilityDecision.objects.filter(application=app).first()
            ok = d is not None and d.decision == "eligible" and not (
                d.overrides_engine and d.signed_off_at is None)
        if not ok:
            raise ServiceError(
                _("“%(name)s”尚未完成“%(stage)s”阶段，不能列入该阶段的公示。")
                % {"name": app.applicant.name, "stage": name},
                field="applications", article=st.cite)


# ---------------------------------------------------------------------------------------------
# Objections


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
        raise ServiceError(_("异议须实名提出：请填写姓名或单位名称、身份证号或统一社会信用代码、"
                             "联系电话和异议内容"), field=missing[0], article=article)
    when = check_objection_date(on=today, notice_starts_on=notice.starts_on,
                                notice_ends_on=notice.ends_on,
                                article=policy.notice(notice.stage).cite)
    if when.refused:
        r = when.reasons[0]
        raise ServiceError(bilingual(r.message_zh, r.message_en) + _("不能受理异议。"),
                           field="notice", article=when.article)
    if not notice.applications.filter(pk=application.pk).exists():
        raise ServiceError(_("该申报不在本次公示名单中"), field="application")
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
            raise ServiceError(_("该异议已处理完毕"))
        source = o.status
        o.investigator, o.status = investigator, Objection.Status.INVESTIGATING
        o.save(update_fields=["investigator", "status"])
        record_event(actor=actor, jurisdiction=o.notice.cycle.jurisdiction, entity="objection",
                     entity_id=o.pk, action="objection_assign", from_state=source,
                     to_state=o.status, data={"investigator": actor_label(investigator)})
    return o


def objection_decide(*, objection: Objection, actor: Any, upheld: bool, findings: str,
                     reason: str, today: dt.date | None = None) -> Objection:
    if not findings.strip() or not reason.strip():
        raise ServiceError(_("请填写调查核实情况和处理理由"),
                           field="findings" if not findings.strip() else "reason")
    with transaction.atomic():  # the decision and its consequence, or neither
        o = Objection.objects.select_for_update().select_related("notice__cycle").get(
            pk=objection.pk)
        if o.status not in ("received", "investigating"):
            raise ServiceError(_("该异议已处理完毕"))
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
            application_transition(application=o.application, target=REMOVED_BY_OBJECTION,
                                   actor=actor, reason=reason, today=today)
    transaction.on_commit(lambda: _notify_objector(o))
    return o


def _notify_objector(o: Objection) -> None:
    if o.objector_email:
        verdict = "异议成立" if o.status == Objection.Status.UPHELD else "异议不成立"
        send_mail(f"异议处理结果：{verdict}",
                  f"{o.objector_name}：\n您对“{o.application.applicant.name}”提出的异议经调查核实，"
                  f"{verdict}。\n处理理由：{o.decision_reason}", None, [o.objector_email])



def _sha256(f: UploadedFile) -> str:
    digest = hashlib.sha256()
    f.seek(0)
    for chunk in f.chunks():
        digest.update(chunk)
    f.seek(0)
    return digest.hexdigest()


def objection_submit_with_evidence(*, notice: Notice, application: Application, name: str,
                                   id_number: str, phone: str, statement: str, email: str = "",
                                   files: Sequence[UploadedFile] = ()) -> Objection:
    """Submit an objection through the service and store its evidence in one transaction.

    The service refuses anonymous and late objections (citing the article); where the
    regulation asks for supporting material (长宁/崇明 第三十一条, 虹口 第二十五条) an objection
    without any file is refused too. Files must already have passed ``evidence_problems``.
    """
    policy = policy_of(notice.cycle)
    stored: list[ObjectionEvidence] = []
    try:
        with transaction.atomic():
            objection = objection_submit(
                notice=notice, application=application, name=name, id_number=id_number,
                phone=phone, statement=statement, email=email)
            rule = policy.objections
            if isinstance(rule, Objections) and rule.evidence_required and not files:
                raise ServiceError(_("请上传必要的证明材料（PDF、JPG、PNG 或 DOCX 文件）"),
                                   field="evidence", article=rule.cite)
            for f in files:
                sha = _sha256(f)
                ext = PurePath(f.name or "").suffix.lower()
                ev = ObjectionEvidence(objection=objection, original_name=(f.name or "")[:255],
                                       sha256=sha, size=f.size or 0)
                ev.file.save(f"{objection.pk}-{sha[:16]}{ext}", f, save=False)
                stored.append(ev)
                ev.save()
            if stored:
                record_event(
                    actor=None, jurisdiction=notice.cycle.jurisdiction, entity="objection",
                    entity_id=objection.pk, action="objection_evidence_add",
                    data={"files": [{"sha256": ev.sha256, "size": ev.size} for ev in stored]})
    except BaseException:
        for ev in stored:  # the rows are rolled back; do not leave their files behind
            ev.file.delete(save=False)
        raise
    return objection

