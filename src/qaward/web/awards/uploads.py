"""Files an applicant uploads: type and size checks with a clear message, text extraction
from the self-evaluation report (.docx with python-docx, .pdf with pypdf) and its length
counted as Word counts 字数 (``qaward.core.criteria.wordcount``).

The length is checked against the policy's ``report_max_chars`` at submission by
``services.application_submit``; here it is only measured.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from qaward.core.criteria.wordcount import count_words

from .models import Application, Document
from .services import ServiceError, record_event

log = logging.getLogger(__name__)

REPORT_TYPES = (".docx", ".pdf")
EVIDENCE_TYPES = (".pdf", ".docx", ".xlsx", ".jpg", ".jpeg", ".png")
# Document kinds (Document.Kind values).
REPORT, EVIDENCE, INTERNAL_NOTICE, CONSULTATION = (
    "report", "evidence", "internal_notice", "consultation")
TYPES_BY_KIND: dict[str, tuple[str, ...]] = {
    REPORT: REPORT_TYPES, EVIDENCE: EVIDENCE_TYPES, INTERNAL_NOTICE: EVIDENCE_TYPES,
    CONSULTATION: EVIDENCE_TYPES,
}
# The first bytes each type must start with: a renamed file is refused, not stored.
_MAGIC = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


@dataclass(frozen=True)
class CheckedUpload:
    suffix: str
    report_chars: int | None  # for a report: its 字数


def _size(n: int) -> str:
    if n >= 2**20:
        return f"{n / 2**20:.1f} MB"
    return f"{-(-n // 1024)} KB"


def check_upload(upload: UploadedFile, kind: str) -> CheckedUpload:
    """Refuse a file of the wrong type or size; measure a report. Raises ValidationError
    with a message that says what is wrong and what to do."""
    allowed = TYPES_BY_KIND.get(kind, EVIDENCE_TYPES)
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in allowed:
        raise ValidationError(
            f"不接受“{suffix or '无扩展名'}”文件：请上传 {' 或 '.join(allowed)} 格式"
            f" / Only {', '.join(allowed)} files are accepted", code="type")
    limit = int(settings.QAWARD_MAX_UPLOAD_BYTES)
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            f"文件大小为{_size(upload.size)}，超过{_size(limit)}的上限，请压缩或拆分后重新上传"
            f" / The file is larger than {_size(limit)}", code="size")
    if not upload.size:
        raise ValidationError("文件是空的，请重新选择 / The file is empty", code="empty")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(m) for m in _MAGIC[suffix]):
        raise ValidationError(
            f"文件内容不是有效的 {suffix} 文件，请用原程序另存为 {suffix} 后重新上传"
            f" / The content is not a valid {suffix} file", code="content")
    chars = None
    if kind == REPORT:
        chars = count_words(extract_text(upload, suffix))
        upload.seek(0)
    return CheckedUpload(suffix, chars)


def extract_text(stream: IO[bytes] | Any, suffix: str) -> str:
    """The text of a .docx or .pdf file; a file that cannot be read raises ValidationError."""
    try:
        data = stream.read()
        if suffix == ".docx":
            return _docx_text(data)
        if suffix == ".pdf":
            return _pdf_text(data)
    except ValidationError:
        raise
    except Exception as exc:  # the parsers raise many types for a damaged file
        log.info("cannot extract text from %s file: %s", suffix, exc)
        raise ValidationError(
            f"无法读取该 {suffix} 文件的文字（文件可能已损坏或加密），请检查后重新上传"
            f" / The text of this {suffix} file cannot be read (damaged or encrypted?)",
            code="unreadable") from None
    raise ValidationError(f"无法从 {suffix} 文件中统计字数", code="type")


def _docx_text(data: bytes) -> str:
    import docx
    from docx.oxml.ns import qn

    body = docx.Document(io.BytesIO(data)).element.body
    parts: list[str] = []
    paragraph = None
    for node in body.iter(qn("w:t")):
        p = node.getparent()
        while p is not None and p.tag != qn("w:p"):
            p = p.getparent()
        if p is not paragraph:
            parts.append("\n")
            paragraph = p
        parts.append(node.text or "")
    return "".join(parts)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValidationError("该 PDF 已加密，请上传未加密的文件 / The PDF is encrypted",
                              code="encrypted")
    return "\n".join(page.extract_text() or "" for page in reader.pages)


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


# ---------------------------------------------------------------------------------------------
# The write. It belongs with the other services; it lives here until services.py takes it
# (see the web-UI report): keyword-only, one transaction, one audit event.


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
        if app.state not in ("draft", "returned"):
            raise ServiceError("申报已提交，材料不能再更改；如需补正，请联系评审办退回补正",
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
