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
from qaward.core.notices import notice_for
from qaward.core.policy.model import Objections
from qaward.core.workflow import states
from qaward.web.audit.services import actor_label, record_event
from qaward.web.clock import today as office_today
from qaward.web.common.errors import ServiceError
from qaward.web.cycles.models import Application, Cycle
from qaward.web.cycles.services import application_transition
from qaward.web.policies.services import policy_of

from .models import Notice, Objection, ObjectionEvidence

# ---------------------------------------------------------------------------------------------
# Notices


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
        raise ServiceError(_("%(policy)s 的评审流程中没有“%(stage)s”公示")
                           % {"policy": policy.id, "stage": stage}, field="stage")
    if Notice.objects.filter(cycle=cycle, stage=stage).exists():
        raise ServiceError(_("本周期该阶段的公示已经发布，不能重复发布"), field="stage")
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
    if not (notice.starts_on <= today <= notice.ends_on):
        raise ServiceError(_("公示期为%(start)s至%(end)s，现已不在公示期内，不能受理异议")
                           % {"start": notice.starts_on, "end": notice.ends_on}, field="notice",
                           article=policy.notice(notice.stage).cite)
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

