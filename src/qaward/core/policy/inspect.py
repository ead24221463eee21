"""Reading policies as rules: flatten to (rule key → value, article), diff, and validate.

The flat form keys list items by their identity, not their position (eligibility rules by
rule kind, tiers by id, quotas by tier and tracks, prizes by tier and track), so a diff
between two districts lines up rule by rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qaward.core.errors import PolicyFileError
from qaward.core.policy.loader import load_policy_file, policy_files
from qaward.core.policy.model import Policy

SILENT = "—"


@dataclass(frozen=True)
class FlatRule:
    key: str
    value: str
    cite: str


def _identity(item: Mapping[str, Any]) -> str | None:
    if "rule" in item:
        return str(item["id"]) if item["rule"] == "manual" else str(item["rule"])
    if "tier" in item and "track" in item:
        return f"{item['tier']}/{item['track']}"
    if "tier" in item and "tracks" in item:
        return f"{item['tier']}/{'+'.join(item['tracks'])}"
    if "level" in item and "tier" in item:
        return f"{item['level']}/{item['tier']}"
    if "tier" in item and "previously" in item:
        return f"{item['tier']}-after-{'+'.join(item['previously'])}"
    if "id" in item:
        return str(item["id"])
    return None


def _fmt(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_fmt(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def flatten(policy: Policy) -> dict[str, FlatRule]:
    """Every leaf of the policy as key → (value, nearest citation); silence shows as —."""
    out: dict[str, FlatRule] = {}

    def walk(obj: Any, key: str, cite: str) -> None:
        if isinstance(obj, Mapping):
            cite = str(obj.get("cite") or cite)
            if "silent" in obj:
                out[key] = FlatRule(key, f"{SILENT} ({obj['silent']})", cite)
                return
            if set(obj) <= {"value", "cite", "note", "source"} and "value" in obj:
                out[key] = FlatRule(key, _fmt(obj["value"]), cite)
                return
            for k, v in obj.items():
                if k in ("cite", "note", "name_en", "public_name_en", "text_en") or v is None:
                    continue
                walk(v, f"{key}.{k}" if key else str(k), cite)
        elif isinstance(obj, list | tuple) and obj and all(isinstance(i, Mapping) for i in obj):
            for i, item in enumerate(obj):
                walk(item, f"{key}[{_identity(item) or i}]", cite)
        else:
            out[key] = FlatRule(key, _fmt(obj), cite)

    dumped = policy.model_dump(mode="json", by_alias=True, exclude={"configured"})
    walk(dumped, "", "")
    return out


@dataclass(frozen=True)
class DiffRow:
    key: str
    left: FlatRule | None
    right: FlatRule | None


def diff(left: Policy, right: Policy) -> list[DiffRow]:
    """Rules that differ (by value) between two policies, in a stable order."""
    a, b = flatten(left), flatten(right)
    skip = {"id"}
    rows = []
    for key in sorted(set(a) | set(b)):
        if key in skip:
            continue
        la, rb = a.get(key), b.get(key)
        if la is not None and rb is not None and la.value == rb.value:
            continue
        rows.append(DiffRow(key, la, rb))
    return rows


# ---------------------------------------------------------------------------------------------
# Validation beyond the schema: citations must exist in the regulation's own text.

_ARTICLE = re.compile(r"第([〇零一二三四五六七八九十百]+)条")
_SECTION = re.compile(r"^([一二三四五六七八九十]+)、(?:（([一二三四五六七八九十]+)）)?")


def cited_articles_missing(policy: Policy, source_text: str) -> list[str]:
    """Citations whose article (第N条) or section (三、（六）) is not in the source text."""
    text = source_text.replace("(", "（").replace(")", "）")
    problems = []
    seen: set[str] = set()
    for key, rule in flatten(policy).items():
        cite = rule.cite
        if not cite or cite in seen:
            continue
        seen.add(cite)
        for num in _ARTICLE.findall(cite):
            if f"第{num}条" not in text:
                problems.append(f"{key}: cites 第{num}条, which is not in the regulation's text")
        m = _SECTION.match(cite)
        if m and not re.search(rf"(^|\n)\s*{m.group(1)}、", text):
            problems.append(f"{key}: cites section {m.group(1)}、, which is not in the text")
    return problems


def validate_file(path: Path) -> Policy:
    """Load a policy file strictly and check its citations against ``source.txt`` beside it."""
    policy = load_policy_file(path)
    source = path.parent / "source.txt"
    if source.is_file():
        problems = cited_articles_missing(policy, source.read_text(encoding="utf-8"))
        if problems:
            raise PolicyFileError(str(path), problems)
    return policy


def validate_all() -> Iterator[tuple[str, Policy | PolicyFileError]]:
    for pid, path in sorted(policy_files().items()):
        try:
            yield pid, validate_file(path)
        except PolicyFileError as err:
            yield pid, err
