"""Every write of notices and objections: publishing a stage's notice (which moves every
listed application into the notice state, or none), real-name objections with their
evidence files, their investigation and decision. Each in a transaction with its audit
event."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from qaward.core.errors import QawardError
from qaward.core.identity import (
    IdentityProblem,
    check_objector,
    compact_id_number,
    normalize_objector,
)
from qaward.core.notices import notice_for, notice_title
from qaward.core.policy.model import Objections
from qaward.core.schedule import check_notice_start, check_objection_date
from qaward.core.states import REMOVED_BY_OBJECTION, StageId, stage_of_notice_state
from qaward.core.workflow import notice_state_of, state
from qaward.web.accounts import rules
from qaward.web.accounts.models import Role
from qaward.web.accounts.services import has_role
from qaward.web.audit.services import actor_label, record_event
from qaward.web.clock import today as office_today
from qaward.web.common.errors import ServiceError, in_language, reasons_text, refusal
from qaward.web.cycles.models import Application, Cycle, EligibilityDecision
from qaward.web.cycles.services import application_transition
from qaward.web.policies.services import policy_of

from .models import OPEN_OBJECTION, Notice, Objection, ObjectionEvidence

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
            first_counted_on=dt.date.fromisoformat(window["first_counted_day"]),
            ends_on=dt.date.fromisoformat(window["end"]), rule=window["rule"],
            article=window["article"], counting_source=window["counting_source"],
            counting_zh=window["counting_zh"], counting_en=window["counting_en"],
            published_by=actor)
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
    name = in_language(st.name_zh, st.name_en)
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


class ObjectionRefused(ServiceError):
    """A refused objection with every problem on its field (the real-name checks)."""

    def __init__(self, problems: list[tuple[str, str]], *, article: str | None = None):
        self.problems = problems
        super().__init__("；".join(m for _f, m in problems), field=problems[0][0],
                         article=article)


def identity_message(problem: IdentityProblem) -> str:
    """The problem in the reader's language (the core carries both)."""
    return in_language(problem.message_zh, problem.message_en)


_RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # base32 without look-alikes


def new_receipt_no(today: dt.date) -> str:
    """YYYYMMDD-XXXX-XXXX: the date and 40 random bits, e.g. ``20260512-K7QD-3MZP``."""
    chars = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(8))
    return f"{today:%Y%m%d}-{chars[:4]}-{chars[4:]}"


def _same_statement(text: str) -> str:
    return re.sub(r"\s+", "", text)


def objection_submit(*, notice: Notice, application: Application, name: str, id_number: str,
                     phone: str, statement: str, email: str = "", idempotency_key: str = "",
                     today: dt.date | None = None) -> Objection:
    """A real-name objection; a resubmission (same key, or the same statement by the same
    identity number on the same application) returns the objection already received."""
    return _submit(notice=notice, application=application, name=name, id_number=id_number,
                   phone=phone, statement=statement, email=email,
                   idempotency_key=idempotency_key, today=today)[0]


def _submit(*, notice: Notice, application: Application, name: str, id_number: str,
            phone: str, statement: str, email: str, idempotency_key: str,
            today: dt.date | None) -> tuple[Objection, bool]:
    today = today or office_today()
    policy = policy_of(notice.cycle)
    rule = policy.objections
    article = getattr(rule, "cite", None) or policy.notice(notice.stage).cite
    key = idempotency_key.strip()[:100] or None
    if key:
        existing = Objection.objects.filter(notice=notice, idempotency_key=key).first()
        if existing is not None:
            return existing, False
    problems: list[tuple[str, str]] = [(p.field, identity_message(p))
                for p in check_objector(name, id_number, phone, today=today)]
    if not statement.strip():
        problems.append(("statement", _("异议须写明异议内容：请说明所异议的事实和理由。")))
    if problems:
        raise ObjectionRefused(problems, article=article)
    objector = normalize_objector(name, id_number, phone, today=today)
    when = check_objection_date(on=today, notice_starts_on=notice.starts_on,
                                notice_ends_on=notice.ends_on,
                                article=policy.notice(notice.stage).cite)
    if when.refused:
        r = when.reasons[0]
        raise ServiceError(in_language(r.message_zh, r.message_en) + _("不能受理异议。"),
                           field="notice", article=when.article)
    if not notice.applications.filter(pk=application.pk).exists():
        raise ServiceError(_("该申报不在本次公示名单中"), field="application")
    same = _same_statement(statement)
    for earlier in Objection.objects.filter(notice=notice, application=application,
                                            objector_id_number=objector.id_number):
        if _same_statement(earlier.statement) == same:
            return earlier, False  # the same objection sent twice: one objection, its receipt
    try:
        with transaction.atomic():
            obj = Objection.objects.create(
                notice=notice, application=application, receipt_no=new_receipt_no(today),
                idempotency_key=key, objector_name=objector.name,
                objector_id_number=objector.id_number, objector_phone=objector.phone,
                objector_email=email.strip(), statement=statement.strip())
            record_event(actor=None, jurisdiction=notice.cycle.jurisdiction,
                         entity="objection", entity_id=obj.pk, action="objection_submit",
                         to_state=obj.status, article=article,
                         data={"application": application.pk, "receipt_no": obj.receipt_no})
    except IntegrityError:
        # Two requests with one key at the same moment: the other one made the row.
        existing = Objection.objects.filter(notice=notice, idempotency_key=key).first()
        if key and existing is not None:
            return existing, False
        raise
    transaction.on_commit(lambda: _mail_receipt(obj))
    return obj, True


def _mail_receipt(o: Objection) -> None:
    if o.objector_email:
        send_mail(_("异议受理回执 %(number)s") % {"number": o.receipt_no},
                  _("%(name)s：\n您的异议已受理，受理编号 %(number)s。"
                    "凭受理编号和身份证号（或统一社会信用代码）可在公示栏查询办理进度。")
                  % {"name": o.objector_name, "number": o.receipt_no},
                  None, [o.objector_email])


def objection_lookup(*, receipt_no: str, id_number: str) -> Objection | None:
    """The objection of this receipt, if the identity number is the objector's."""
    number = compact_id_number(id_number)
    o = Objection.objects.filter(receipt_no=receipt_no.strip().upper()).select_related(
        "notice", "application__applicant").first()
    if o is None or not number or o.objector_id_number != number:
        return None
    return o


def objection_assign(*, objection: Objection, investigator: Any, actor: Any) -> Objection:
    with transaction.atomic():
        o = Objection.objects.select_for_update().get(pk=objection.pk)
        if not o.is_open:
            raise ServiceError(_("该异议已处理完毕"), field="investigator")
        source = o.status
        o.investigator, o.status = investigator, Objection.Status.INVESTIGATING
        o.save(update_fields=["investigator", "status"])
        record_event(actor=actor, jurisdiction=o.notice.cycle.jurisdiction, entity="objection",
                     entity_id=o.pk, action="objection_assign", from_state=source,
                     to_state=o.status, data={"investigator": actor_label(investigator)})
    return o


def may_decide(user: Any, o: Objection) -> bool:
    """An assigned objection is decided by its investigator or an office head."""
    return (o.investigator_id is None or o.investigator_id == getattr(user, "pk", None)
            or rules.is_office_head(user, o))


OUTCOMES = ("upheld", "dismissed", "not_accepted", "duplicate")


def objection_decide(*, objection: Objection, actor: Any, outcome: str = "",
                     findings: str, reason: str, upheld: bool | None = None,
                     not_accepted_reason: str = "", duplicate_of: Objection | None = None,
                     today: dt.date | None = None) -> Objection:
    """Decide an objection. An upheld one does not move the application: it waits for the
    removal decision of whom the policy names (``objection_removal_decide``)."""
    if upheld is not None and not outcome:
        outcome = "upheld" if upheld else "dismissed"
    if outcome not in OUTCOMES:
        raise ServiceError(_("请选择处理结论"), field="outcome")
    if not findings.strip():
        raise ServiceError(_("请填写调查核实情况"), field="findings")
    if not reason.strip():
        raise ServiceError(_("请填写处理理由"), field="reason")
    if outcome == "not_accepted" and not_accepted_reason not in Objection.NotAccepted.values:
        raise ServiceError(
            _("不予受理须选择原因：超出公示期、与本次公示无关或未提供必要的证明材料"),
            field="not_accepted_reason")
    with transaction.atomic():  # the decision and its consequence, or neither
        o = Objection.objects.select_for_update().select_related("notice__cycle").get(
            pk=objection.pk)
        if not o.is_open:
            raise ServiceError(_("该异议已处理完毕"), field="outcome")
        if not may_decide(actor, o):
            raise ServiceError(_("该异议已指定%(who)s调查核实，只有调查核实人或评审办负责人"
                                 "可以作出处理结论") % {"who": actor_label(o.investigator)},
                               field="outcome")
        if outcome == "duplicate" and (duplicate_of is None or duplicate_of.pk == o.pk
                                       or duplicate_of.application_id != o.application_id):
            raise ServiceError(_("重复异议须指明针对同一申报的在先异议"), field="duplicate_of")
        policy = policy_of(o.notice.cycle)
        notice_rule = policy.notice(o.notice.stage)
        article = getattr(policy.objections, "cite", "") or notice_rule.cite
        source = o.status
        o.status = outcome
        o.not_accepted_reason = not_accepted_reason if outcome == "not_accepted" else ""
        o.duplicate_of = duplicate_of if outcome == "duplicate" else None
        o.findings, o.decision_reason = findings.strip(), reason.strip()
        o.decided_at, o.decided_by = timezone.now(), actor
        o.reported_to_committee = notice_rule.issues_reported_to_committee
        if outcome == "upheld":
            o.removal = Objection.Removal.PENDING
            o.removal_by = policy.objection_removal_decider
        o.save()
        record_event(actor=actor, jurisdiction=o.notice.cycle.jurisdiction, entity="objection",
                     entity_id=o.pk, action="objection_decide", from_state=source,
                     to_state=o.status, reason=reason, article=article,
                     data={"not_accepted_reason": o.not_accepted_reason,
                           "duplicate_of": o.duplicate_of_id, "removal_by": o.removal_by})
        _remove_if_settled(o.application, actor=actor, today=today)
    transaction.on_commit(lambda: _notify_objector(o))
    return o


REMOVAL_DECIDERS = {"committee": _lazy("评审委员会"), "office_head": _lazy("评审办负责人"),
                    "office": _lazy("评审办"), "government": _lazy("区人民政府")}


def removal_article(policy: Any) -> str:
    v = policy.objection_removal_by
    return getattr(v, "cite", "") or ""


def may_record_removal(user: Any, o: Objection) -> bool:
    """Who records the removal decision: the head signs off himself; a committee's or the
    government's decision is recorded by the office; where the office decides, the office."""
    if o.removal_by == "office_head":
        return bool(rules.is_office_head(user, o))
    return bool(rules.is_office(user, o))


def objection_removal_decide(*, objection: Objection, actor: Any, approve: bool, opinion: str,
                             resolution_on: dt.date | None = None, reference: str = "",
                             today: dt.date | None = None) -> Objection:
    """Record the decision whether an upheld objection removes the application, by whom the
    policy names (``objection_removal_by``); the application leaves the review only once
    this is approved and no objection on it is still open."""
    if not opinion.strip():
        raise ServiceError(_("请填写意见"), field="opinion")
    with transaction.atomic():
        o = Objection.objects.select_for_update().select_related("notice__cycle").get(
            pk=objection.pk)
        policy = policy_of(o.notice.cycle)
        article = removal_article(policy)
        if o.removal != Objection.Removal.PENDING:
            raise ServiceError(_("该异议没有待作出的退出评审决定"), field="opinion",
                               article=article or None)
        if not may_record_removal(actor, o):
            raise ServiceError(_("是否退出评审由%(who)s决定") % {
                "who": REMOVAL_DECIDERS.get(o.removal_by, o.removal_by)}, field="opinion",
                article=article or None)
        if o.removal_by in ("committee", "government") and (
                resolution_on is None or not reference.strip()):
            raise ServiceError(_("请填写%(who)s作出决定的日期和文件（会议纪要）编号") % {
                "who": REMOVAL_DECIDERS[o.removal_by]},
                field="resolution_on" if resolution_on is None else "reference",
                article=article or None)
        o.removal = Objection.Removal.APPROVED if approve else Objection.Removal.REFUSED
        o.removal_decided_by, o.removal_decided_at = actor, timezone.now()
        o.removal_opinion = opinion.strip()
        o.removal_resolution_on, o.removal_reference = resolution_on, reference.strip()
        o.save()
        record_event(actor=actor, jurisdiction=o.notice.cycle.jurisdiction, entity="objection",
                     entity_id=o.pk, action="objection_removal_decide", reason=opinion,
                     article=article, data={
                         "removal": o.removal, "by": o.removal_by,
                         "resolution_on": str(resolution_on or ""), "reference": reference})
        _remove_if_settled(o.application, actor=actor, today=today)
    return o


def _remove_if_settled(application: Application, *, actor: Any,
                       today: dt.date | None) -> None:
    """Remove the application once an upheld objection's removal is approved and no
    objection on it is open or awaiting its removal decision."""
    objections = Objection.objects.filter(application=application)
    if not objections.filter(removal=Objection.Removal.APPROVED).exists():
        return
    if objections.filter(Q(status__in=OPEN_OBJECTION)
                         | Q(removal=Objection.Removal.PENDING)).exists():
        return
    app = Application.objects.get(pk=application.pk)
    if app.state == REMOVED_BY_OBJECTION:
        return
    upheld = objections.filter(removal=Objection.Removal.APPROVED).order_by("pk")
    application_transition(application=app, target=REMOVED_BY_OBJECTION, actor=actor,
                           reason="；".join(o.decision_reason for o in upheld), today=today)


_VERDICTS = {"upheld": "异议成立", "dismissed": "异议不成立", "not_accepted": "不予受理",
             "duplicate": "重复异议"}


def _notify_objector(o: Objection) -> None:
    if o.objector_email:
        verdict = _VERDICTS[o.status]
        send_mail(f"异议处理结果：{verdict}（{o.receipt_no}）",
                  f"{o.objector_name}：\n您对“{o.application.applicant.name}”提出的异议"
                  f"（受理编号 {o.receipt_no}）经调查核实，"
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
                                   files: Sequence[UploadedFile] = (),
                                   idempotency_key: str = "") -> Objection:
    """Submit an objection through the service and store its evidence in one transaction.

    The service refuses anonymous and late objections (citing the article); where the
    regulation asks for supporting material (长宁/崇明 第三十一条, 虹口 第二十五条) an objection
    without any file is refused too. Files must already have passed ``evidence_problems``.
    """
    policy = policy_of(notice.cycle)
    stored: list[ObjectionEvidence] = []
    try:
        with transaction.atomic():
            objection, created = _submit(
                notice=notice, application=application, name=name, id_number=id_number,
                phone=phone, statement=statement, email=email,
                idempotency_key=idempotency_key, today=None)
            if not created:  # a resubmission: the evidence came with the first one
                return objection
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

