"""The one upload checker: every uploaded file (an applicant's documents, an objector's
evidence) is checked here for type, size and content (a renamed file is refused, not stored),
with a message that says what is wrong and what to do. A self-evaluation report's text is
extracted (.docx with python-docx, .pdf with pypdf) and its length counted as Word counts
字数 (``qaward.core.criteria.wordcount``); the length is checked against the policy's
``report_max_chars`` at submission (``cycles.services.application_submit``).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from qaward.core.criteria.wordcount import count_words

log = logging.getLogger(__name__)

# The first bytes each type must start with: a renamed file is refused, not stored.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}

# ---------------------------------------------------------------------------------------------
# An application's documents


REPORT_TYPES = (".docx", ".pdf")


EVIDENCE_TYPES = (".pdf", ".docx", ".xlsx", ".jpg", ".jpeg", ".png")


REPORT, EVIDENCE, INTERNAL_NOTICE, CONSULTATION = (
    "report", "evidence", "internal_notice", "consultation")


TYPES_BY_KIND: dict[str, tuple[str, ...]] = {
    REPORT: REPORT_TYPES, EVIDENCE: EVIDENCE_TYPES, INTERNAL_NOTICE: EVIDENCE_TYPES,
    CONSULTATION: EVIDENCE_TYPES,
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
            _("不接受“%(suffix)s”文件：请上传 %(allowed)s 格式")
            % {"suffix": suffix or _("无扩展名"), "allowed": _(" 或 ").join(allowed)},
            code="type")
    limit = int(settings.QAWARD_MAX_UPLOAD_BYTES)
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("文件大小为%(size)s，超过%(limit)s的上限，请压缩或拆分后重新上传")
            % {"size": _size(upload.size), "limit": _size(limit)}, code="size")
    if not upload.size:
        raise ValidationError(_("文件是空的，请重新选择"), code="empty")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(m) for m in SIGNATURES[suffix]):
        raise ValidationError(
            _("文件内容不是有效的 %(suffix)s 文件，请用原程序另存为 %(suffix)s 后重新上传")
            % {"suffix": suffix}, code="content")
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
            _("无法读取该 %(suffix)s 文件的文字（文件可能已损坏或加密），请检查后重新上传")
            % {"suffix": suffix}, code="unreadable") from None
    raise ValidationError(_("无法从 %(suffix)s 文件中统计字数") % {"suffix": suffix},
                          code="type")


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
        raise ValidationError(_("该 PDF 已加密，请上传未加密的文件"),
                              code="encrypted")
    return "\n".join(page.extract_text() or "" for page in reader.pages)



# ---------------------------------------------------------------------------------------------
# An objection's evidence files


@dataclass(frozen=True)
class FileKind:
    label: str
    signatures: tuple[bytes, ...]


OBJECTION_EVIDENCE_TYPES: dict[str, FileKind] = {
    ".pdf": FileKind("PDF", SIGNATURES[".pdf"]),
    ".jpg": FileKind("JPG", SIGNATURES[".jpg"]),
    ".jpeg": FileKind("JPG", SIGNATURES[".jpeg"]),
    ".png": FileKind("PNG", SIGNATURES[".png"]),
    ".docx": FileKind("DOCX", SIGNATURES[".docx"]),
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
        kind = OBJECTION_EVIDENCE_TYPES.get(ext)
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

