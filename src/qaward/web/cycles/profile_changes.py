"""What changed in an applicant's profile: a structured diff recorded in the audit event of
``applicant_profile_update``, and that diff in the reader's words for the history pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from qaward.core.eligibility import parse_profile
from qaward.core.errors import ProfileError

from .forms import AWARD_LEVELS, INCIDENT_KINDS, REVOCATION_CAUSES

LIST_KEYS = ("annual_results", "incidents", "complaints", "failed_inspections", "dishonesty",
             "violations", "awards", "other_applications")


def as_core_reads(profile: dict[str, Any] | None, kind: str) -> dict[str, Any]:
    """The profile with the core's defaults filled in and its values in the core's types (a
    fact left out is unknown, a profit of 100 is 100.0), so that only real changes differ; a
    profile the core cannot read is compared as stored."""
    raw = dict(profile or {})
    try:
        parsed = parse_profile({**raw, "id": "-", "kind": kind, "name": "-"})
    except ProfileError:
        return raw
    out = parsed.model_dump(mode="json")
    for key in ("id", "kind", "name"):
        out.pop(key, None)
    return out


def profile_diff(before: dict[str, Any] | None, after: dict[str, Any],
                 kind: str | None = None) -> list[dict[str, Any]]:
    """The changed fields, in a stable order: a scalar field as ``{field, before, after}``,
    a list field as ``{field, added, removed, changed: [{before, after}]}``. With the
    applicant's ``kind``, both sides are compared as the core reads them."""
    if kind is not None:
        before, after = as_core_reads(before, kind), as_core_reads(after, kind)
    before = dict(before or {})
    out: list[dict[str, Any]] = []
    for field in sorted(set(before) | set(after)):
        b, a = before.get(field), after.get(field)
        if b == a:
            continue
        if field in LIST_KEYS:
            added, removed, changed = _list_diff(list(b or []), list(a or []))
            if added or removed or changed:
                out.append({"field": field, "added": added, "removed": removed,
                            "changed": changed})
        else:
            out.append({"field": field, "before": b, "after": a})
    return out


def _list_diff(before: list[Any], after: list[Any]) -> tuple[list[Any], list[Any],
                                                              list[dict[str, Any]]]:
    removed = list(before)
    added = list(after)
    for row in before:  # rows on both sides are unchanged (as a multiset)
        if row in added:
            added.remove(row)
            removed.remove(row)
    changed = []
    for b, a in zip(before, after, strict=False):  # the same place, both sides different
        if b != a and b in removed and a in added:
            removed.remove(b)
            added.remove(a)
            changed.append({"before": b, "after": a})
    return added, removed, changed


# -- in words ---------------------------------------------------------------------------------


def field_words() -> dict[str, str]:
    return {
        "jurisdiction": _("注册地/工作地"),
        "established_on": _("成立日期"),
        "sector": _("行业领域"),
        "legal_person": _("具有独立法人资格"),
        "pays_tax_locally": _("在本区依法纳税"),
        "licensed": _("具备相关生产经营许可"),
        "chief_quality_officer": _("已设立首席质量官"),
        "for_profit": _("从事生产、经营活动"),
        "top_manager": _("是所在组织的最高管理者"),
        "excellence_model_since": _("开始实施卓越绩效管理日期"),
        "employer": _("所在组织"),
        "annual_results": _("年度经营情况"),
        "incidents": _("事故记录"),
        "complaints": _("投诉记录"),
        "failed_inspections": _("抽检不合格记录"),
        "dishonesty": _("失信记录"),
        "violations": _("违法记录"),
        "awards": _("获奖记录"),
        "other_applications": _("其他申报"),
    }


def _value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    if isinstance(value, dict):
        return str(value.get("name") or value.get("id") or "…")
    return str(value)


def _words(mapping: dict[str, Any], value: Any) -> str:
    return str(mapping.get(value, value))


def row_words(field: str, row: Any) -> str:
    """One row of a list field, briefly: "2024-03-02 质量事故"."""
    if not isinstance(row, dict):
        return _value(row)
    parts: list[str] = []
    if field == "annual_results":
        parts = [str(row.get("year", "")), _("利润 %(p)s 万元") % {"p": row.get("profit")}]
        if row.get("policy_loss"):
            parts.append(_("政策性亏损"))
    elif field in ("awards", "other_applications"):
        parts = [str(row.get("year", "")), _words(AWARD_LEVELS, row.get("level")),
                 str(row.get("jurisdiction") or ""), str(row.get("tier") or "")]
        if row.get("revoked_on"):
            parts.append(_("%(d)s 被撤销（%(why)s）") % {
                "d": row["revoked_on"],
                "why": _words(REVOCATION_CAUSES, row.get("revocation_cause"))})
    else:
        parts = [str(row.get("date", ""))]
        if field == "incidents":
            parts.append(_words(INCIDENT_KINDS, row.get("kind")))
        if row.get("major") is False:
            parts.append(_("非重大"))
        if row.get("serious") is False:
            parts.append(_("非严重"))
        if row.get("organization_at_fault") is False:
            parts.append(_("非本单位责任"))
    return " ".join(p for p in parts if p)


def change_words(changes: list[dict[str, Any]]) -> list[str]:
    """Each change as one sentence: "事故记录：新增 1 条（2024-03-02 质量事故）",
    "成立日期：2008-06-01 → 2008-07-01"."""
    names = field_words()
    sep = _("；")
    out = []
    for c in changes:
        field = str(c.get("field", ""))
        name = names.get(field, field)
        if "added" in c or "removed" in c or "changed" in c:
            parts = []
            if c.get("added"):
                parts.append(_("新增 %(n)s 条（%(rows)s）") % {
                    "n": len(c["added"]),
                    "rows": sep.join(row_words(field, r) for r in c["added"])})
            if c.get("removed"):
                parts.append(_("删除 %(n)s 条（%(rows)s）") % {
                    "n": len(c["removed"]),
                    "rows": sep.join(row_words(field, r) for r in c["removed"])})
            if c.get("changed"):
                parts.append(_("修改 %(n)s 条（%(rows)s）") % {
                    "n": len(c["changed"]),
                    "rows": sep.join(f"{row_words(field, x['before'])} → "
                                     f"{row_words(field, x['after'])}" for x in c["changed"])})
            out.append(_("%(name)s：%(what)s") % {"name": name, "what": _("，").join(parts)})
        else:
            out.append(_("%(name)s：%(before)s → %(after)s") % {
                "name": name, "before": _value(c.get("before")), "after": _value(c.get("after"))})
    return out
