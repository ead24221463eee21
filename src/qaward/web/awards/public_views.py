"""The public notice board (公示栏): no login, Chinese first, English through gettext.

Lists current and past notices of every jurisdiction with their lists, windows, rule and
article, and takes real-name objections (异议) during a notice's window. Every write goes
through ``services.objection_submit``; this module adds only what the service does not take:
the evidence files, checked for type and size and stored with their SHA-256 in the same
transaction. Public pages never show objectors' data.

The JSON API (``api.py``) uses the same helpers, so the board and the API cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.db.models.fields.json import KT
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from qaward.core.policy import Policy
from qaward.core.policy.model import Objections
from qaward.web.clock import today as office_today

from . import services
from .models import Application, Jurisdiction, Notice, Objection, ObjectionEvidence
from .services import ServiceError

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# Reading notices


def notices_qs() -> QuerySet[Notice]:
    """Notices with everything the board shows, in two queries whatever their number."""
    # Only what a listed name needs: no JSON column is decoded for a list of thousands.
    apps = (Application.objects.select_related("applicant")
            .only("pk", "applicant__name", "applicant__kind")
            .annotate(employer_name=KT("profile_snapshot__employer__name"))
            .order_by("applicant__name", "pk"))
    return (Notice.objects.select_related("cycle__jurisdiction", "cycle__policy")
            .prefetch_related(Prefetch("applications", queryset=apps))
            .order_by("-starts_on", "-pk"))


def notice_status(notice: Notice, today: dt.date) -> str:
    """``current`` (objections taken), ``upcoming`` (published, not yet open) or ``past``."""
    if today < notice.starts_on:
        return "upcoming"
    return "current" if today <= notice.ends_on else "past"


STATUS_LABELS = {"current": _lazy("公示中"), "upcoming": _lazy("即将公示"),
                 "past": _lazy("已结束")}
STAGE_LABELS = {"eligibility": _lazy("资格审查结果公示"), "shortlist": _lazy("现场评审名单公示"),
                "final": _lazy("拟奖名单公示"), "internal": _lazy("组织内部公示")}


def filter_by_status(qs: QuerySet[Notice], status: str, today: dt.date) -> QuerySet[Notice]:
    if status == "current":
        return qs.filter(starts_on__lte=today, ends_on__gte=today)
    if status == "past":
        return qs.filter(ends_on__lt=today)
    if status == "upcoming":
        return qs.filter(starts_on__gt=today)
    return qs


def listed_name(app: Application) -> str:
    """The name a notice lists: the organization's name; for a person, name and employer."""
    applicant = app.applicant
    if applicant.kind != "individual":
        return str(applicant.name)
    employer_name = getattr(app, "employer_name", None)
    if employer_name is None:
        profile = app.profile_snapshot or applicant.profile or {}
        employer = profile.get("employer") if isinstance(profile, dict) else None
        employer_name = employer.get("name") if isinstance(employer, dict) else None
    return f"{applicant.name}（{employer_name}）" if employer_name else str(applicant.name)


def _english() -> bool:
    return (get_language() or "zh-hans").startswith("en")


@dataclass(frozen=True)
class ObjectionChannel:
    """How objections to a notice are handled, as the regulation states it."""

    regulation: str  # the regulation's title
    article: str  # where objections are regulated (or the notice article, where silent)
    procedure_in_regulation: bool  # False: the regulation has no objection article
    real_name: bool
    evidence_required: bool
    reported_to_committee: bool
    silent_note: str  # what the policy records where the regulation is silent


def objection_channel(policy: Policy, notice: Notice) -> ObjectionChannel:
    rule = policy.objections
    notice_rule = policy.notice(notice.stage)
    if isinstance(rule, Objections):
        return ObjectionChannel(policy.title_zh, rule.cite, True, rule.real_name,
                                rule.evidence_required, notice_rule.issues_reported_to_committee,
                                "")
    return ObjectionChannel(policy.title_zh, getattr(rule, "cite", None) or notice_rule.cite,
                            False, True, False, notice_rule.issues_reported_to_committee,
                            getattr(rule, "silent", ""))


@dataclass(frozen=True)
class NoticeView:
    """One notice as the public sees it: no objector data at all."""

    notice: Notice
    status: str
    jurisdiction: str
    stage_label: str
    names: list[tuple[int, str]]  # (application id, listed name)
    channel: ObjectionChannel
    policy: Policy

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def notice_view(notice: Notice, today: dt.date) -> NoticeView:
    policy = services.policy_of(notice.cycle)
    jurisdiction = (policy.jurisdiction.name_en if _english()
                    else notice.cycle.jurisdiction.name_zh)
    return NoticeView(
        notice=notice, status=notice_status(notice, today), jurisdiction=jurisdiction,
        stage_label=str(STAGE_LABELS.get(notice.stage, notice.stage)),
        names=[(a.pk, listed_name(a)) for a in notice.applications.all()],
        channel=objection_channel(policy, notice), policy=policy)


# ---------------------------------------------------------------------------------------------
# Evidence files


@dataclass(frozen=True)
class FileKind:
    label: str
    signatures: tuple[bytes, ...]


EVIDENCE_TYPES: dict[str, FileKind] = {
    ".pdf": FileKind("PDF", (b"%PDF",)),
    ".jpg": FileKind("JPG", (b"\xff\xd8\xff",)),
    ".jpeg": FileKind("JPG", (b"\xff\xd8\xff",)),
    ".png": FileKind("PNG", (b"\x89PNG\r\n\x1a\n",)),
    ".docx": FileKind("DOCX", (b"PK\x03\x04",)),
}
MAX_EVIDENCE_FILES = 10


def evidence_problems(files: Sequence[UploadedFile]) -> list[str]:
    """Every problem with the uploaded evidence, each naming the file and what to do."""
    limit = int(settings.QAWARD_MAX_UPLOAD_BYTES)
    problems: list[str] = []
    if len(files) > MAX_EVIDENCE_FILES:
        problems.append(_("最多上传%(n)d个证明材料文件，请合并后重新上传")
                        % {"n": MAX_EVIDENCE_FILES})
    for f in files:
        name = f.name or ""
        ext = PurePath(name).suffix.lower()
        kind = EVIDENCE_TYPES.get(ext)
        if kind is None:
            problems.append(_("“%(name)s”的文件类型不允许：请上传 PDF、JPG、PNG 或 DOCX 文件")
                            % {"name": name})
            continue
        size = f.size or 0
        if size == 0:
            problems.append(_("“%(name)s”是空文件，请重新选择") % {"name": name})
            continue
        if size > limit:
            problems.append(
                _("“%(name)s”有%(size).1f MB，超过%(limit).1f MB 的上限，请压缩或拆分后重新上传")
                % {"name": name, "size": size / 2**20, "limit": limit / 2**20})
            continue
        f.seek(0)
        head = f.read(8)
        f.seek(0)
        if not any(head.startswith(sig) for sig in kind.signatures):
            problems.append(_("“%(name)s”的内容不是%(kind)s文件，请检查后重新上传")
                            % {"name": name, "kind": kind.label})
    return problems


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
    policy = services.policy_of(notice.cycle)
    stored: list[ObjectionEvidence] = []
    try:
        with transaction.atomic():
            objection = services.objection_submit(
                notice=notice, application=application, name=name, id_number=id_number,
                phone=phone, statement=statement, email=email)
            rule = policy.objections
            if isinstance(rule, Objections) and rule.evidence_required and not files:
                raise ServiceError("请上传必要的证明材料（PDF、JPG、PNG 或 DOCX 文件）",
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
                services.record_event(
                    actor=None, jurisdiction=notice.cycle.jurisdiction, entity="objection",
                    entity_id=objection.pk, action="objection_evidence_add",
                    data={"files": [{"sha256": ev.sha256, "size": ev.size} for ev in stored]})
    except BaseException:
        for ev in stored:  # the rows are rolled back; do not leave their files behind
            ev.file.delete(save=False)
        raise
    return objection


# ---------------------------------------------------------------------------------------------
# The objection form


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(
            attrs={"accept": ",".join(EVIDENCE_TYPES)}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(d, initial) for d in items]


class ObjectionForm(forms.Form):
    """The real-name fields are not required here on purpose: the service refuses an
    anonymous objection with its own message citing the article, and that message is what
    the objector must see."""

    name = forms.CharField(label=_lazy("姓名或单位名称"), max_length=200, required=False)
    id_number = forms.CharField(label=_lazy("身份证号或统一社会信用代码"), max_length=32,
                                required=False)
    phone = forms.CharField(label=_lazy("联系电话"), max_length=32, required=False)
    email = forms.EmailField(label=_lazy("电子邮箱（选填）"), required=False)
    application = forms.TypedChoiceField(label=_lazy("异议针对的申报对象"), coerce=int,
                                         empty_value=None)
    statement = forms.CharField(label=_lazy("异议内容"), required=False,
                                widget=forms.Textarea(attrs={"rows": 6}))
    evidence = MultipleFileField(label=_lazy("证明材料"), required=False,
                                 help_text=_lazy("PDF、JPG、PNG 或 DOCX，可多选"))

    def __init__(self, *args: Any, listed: Iterable[tuple[int, str]] = (), **kwargs: Any):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        field = self.fields["application"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("请选择")), *listed]

    def clean_evidence(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data.get("evidence") or []
        problems = evidence_problems(files)
        if problems:
            raise forms.ValidationError(problems)
        return files


# ---------------------------------------------------------------------------------------------
# Views


def notice_list(request: HttpRequest) -> HttpResponse:
    today = office_today()
    jurisdiction = request.GET.get("jurisdiction", "")
    status = request.GET.get("status", "")
    qs = notices_qs()
    if jurisdiction:
        qs = qs.filter(cycle__jurisdiction__code=jurisdiction)
    if status in STATUS_LABELS:
        qs = filter_by_status(qs, status, today)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "awards/public/notice_list.html", {
        "page": page,
        "notices": [notice_view(n, today) for n in page.object_list],
        "jurisdictions": Jurisdiction.objects.filter(cycles__notices__isnull=False)
        .distinct().order_by("name_zh"),
        "selected_jurisdiction": jurisdiction,
        "selected_status": status if status in STATUS_LABELS else "",
        "statuses": list(STATUS_LABELS.items()),
        "today": today,
    })


def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(notices_qs(), pk=pk)
    today = office_today()
    view = notice_view(notice, today)
    error: ServiceError | None = None
    if request.method == "POST":
        form = ObjectionForm(request.POST, request.FILES, listed=view.names)
        if form.is_valid():
            data = form.cleaned_data
            application = notice.applications.get(pk=data["application"])
            try:
                objection = objection_submit_with_evidence(
                    notice=notice, application=application, name=data["name"],
                    id_number=data["id_number"], phone=data["phone"],
                    statement=data["statement"], email=data["email"] or "",
                    files=data["evidence"])
            except ServiceError as err:
                # Shown above the form, with the regulation; what was typed stays in the form.
                error = err
            else:
                messages.success(request, _(
                    "您的异议已受理，受理编号 %(number)s。评审办将调查核实，"
                    "并将处理结果告知您和被异议的申报方。") % {"number": objection.pk})
                return redirect("public:notice_detail", pk=notice.pk)
    else:
        form = ObjectionForm(listed=view.names)
    return render(request, "awards/public/notice_detail.html", {
        "n": view, "form": form, "service_error": error,
        "files_dropped": request.method == "POST" and bool(request.FILES),
    })
