"""Conflicts of interest (利害关系回避): what an expert's profile says about an applicant.

The detector compares an expert's facts (employer, related organizations, sectors) with an
applicant's facts (name, 统一社会信用代码, sector, group and affiliates, the competitors it
names) and suggests the recusal relations the policy counts, each with its article and the
evidence: which field of the expert matched which field of the applicant, with both values.
A suggestion is never a decision: the office confirms or dismisses it with a reason.

Matching two organizations (kept conservative: a false match costs the office a decision, a
flood of them hides the real ones):

1. **Credit code first.** Two non-empty codes (upper-cased, spaces removed) that are equal
   match; two non-empty codes that differ never match, whatever the names say (two
   registrations are two organizations).
2. **Then the normalised name**, only when at least one side has no code: NFKC (full-width
   letters, digits and brackets become half-width), every whitespace removed, the words
   ``(集团)``/``集团`` inside brackets removed, the remaining bracket characters removed (their
   content kept: ``华创（上海）科技`` → ``华创上海科技``), then one legal-form suffix removed from
   the end (``股份有限公司``, ``有限责任公司``, ``有限公司``, ``股份公司``) and a trailing ``股份``.
   The names must then be **equal** (never a substring) and at least
   :data:`MIN_NAME_CHARS` characters long, so a short name like ``华创`` never matches.

Which relations count is the policy's (``reviewers.recusal_relations()``: relation →
article). Each fact the detector finds is a concrete relation (employed by the applicant, a
subordinate or internal unit, a business partner, a competitor, a mentor) or only an
interest (a past employer). Where the policy lists the concrete relation it is suggested
with that relation's article; otherwise, where the policy lists the general ``interest``
(利害关系), the fact is an instance of it and cites the interest article; otherwise the policy
does not count it and nothing is suggested.

- Employer: the expert's employer is the applicant (``employed_by_applicant``), or one of
  the applicant's affiliates (``subordinate_unit``, else ``internal_unit``), or an individual
  applicant's employer (a colleague: only an interest).
- Affiliates: an organization the expert lists as affiliated with the employer (group,
  subsidiary, internal unit) is the applicant or one of its affiliates (``subordinate_unit``,
  else ``internal_unit``).
- Partners: a business partner of the expert is the applicant (``business_partner``).
- Competitors: declared by the expert (a competitor relation naming the applicant), or the
  applicant names the expert's employer as its competitor **and** the expert works in the
  applicant's sector. A shared sector alone is never a conflict.
- Past employers: the expert left the applicant (or an affiliate) on or after the same day
  ``past_employer_years`` years before ``on`` (that day included); a past employer without an
  end date is suggested too (the profile does not say when the expert left), with that said.
  Past employment is only an interest: 受雇、任职 read as present employment.
- Mentoring: the expert mentors the applicant (``mentor_of_applicant``).

Relations other than past employers count while current: started on or before ``on`` (or
no start date) and not ended before ``on`` (or no end date).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

# The kinds of organizations an expert is related to (ExpertRelation.Kind in the web app).
RelationKind = Literal["affiliate", "partner", "competitor", "past_employer", "mentee"]
RELATION_KINDS: tuple[RelationKind, ...] = (
    "affiliate", "partner", "competitor", "past_employer", "mentee")

# What the detector found, before the policy names it.
Fact = Literal["employer", "employer_affiliate", "colleague", "affiliate", "partner",
               "competitor", "competitor_named", "past_employer", "mentee"]

INTEREST = "interest"

# For each fact, the policy's concrete relations that describe it, in order of preference;
# the general ``interest`` covers every fact where none of these is listed.
CONCRETE: dict[Fact, tuple[str, ...]] = {
    "employer": ("employed_by_applicant",),
    "employer_affiliate": ("subordinate_unit", "internal_unit"),
    "colleague": (),
    "affiliate": ("subordinate_unit", "internal_unit"),
    "partner": ("business_partner",),
    "competitor": ("competitor",),
    "competitor_named": ("competitor",),
    "past_employer": (),
    "mentee": ("mentor_of_applicant",),
}

MIN_NAME_CHARS = 4
_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "股份公司")
_GROUP = re.compile(r"[(\[](?:集团)[)\]]")
_BRACKETS = re.compile(r"[()\[\]【】〔〕<>《》]")


def normalise_name(name: str) -> str:
    """The name as compared: see the module's documentation for the rule."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(text.split())
    text = _GROUP.sub("", text)
    text = _BRACKETS.sub("", text)
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    if text.endswith("股份") and len(text) > 2:
        text = text[:-2]
    return text.lower()


def normalise_code(code: str) -> str:
    return "".join(unicodedata.normalize("NFKC", code).split()).upper()


@dataclass(frozen=True)
class Organization:
    name: str
    code: str = ""


@dataclass(frozen=True)
class Relation:
    """An organization the expert is related to, with the dates of the relation."""

    kind: RelationKind
    organization: Organization
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class ExpertFacts:
    name: str
    employer: Organization | None = None
    relations: tuple[Relation, ...] = ()
    sectors: tuple[str, ...] = ()


@dataclass(frozen=True)
class ApplicantFacts:
    name: str
    credit_code: str = ""
    sector: str = ""
    # The applicant's group, parent, subsidiaries and internal units, where the profile has them.
    affiliates: tuple[Organization, ...] = ()
    # Competitors the applicant names, where the profile has them.
    competitors: tuple[Organization, ...] = ()
    # An individual applicant's employer (个人奖): an expert working there is a colleague.
    employer: Organization | None = None


@dataclass(frozen=True)
class Evidence:
    """One match: the expert's field and value, the applicant's field and value, and how."""

    expert_field: str
    expert_value: str
    applicant_field: str
    applicant_value: str
    by: Literal["code", "name", "sector", "date"]

    def as_dict(self) -> dict[str, str]:
        return {"expert_field": self.expert_field, "expert_value": self.expert_value,
                "applicant_field": self.applicant_field,
                "applicant_value": self.applicant_value, "by": self.by}


@dataclass(frozen=True)
class Suggestion:
    relation: str  # a policy RecusalRelation
    article: str
    fact: Fact
    evidence: tuple[Evidence, ...]
    reason_zh: str
    reason_en: str

    def evidence_dicts(self) -> list[dict[str, str]]:
        return [e.as_dict() for e in self.evidence]


@dataclass(frozen=True)
class _Found:
    fact: Fact
    evidence: tuple[Evidence, ...]
    note_zh: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class _Side:
    """One organization of the applicant with the field it came from."""

    organization: Organization
    name_field: str
    code_field: str
    role: Literal["self", "affiliate", "employer"]


def match(expert_org: Organization, expert_field: str, side: _Side) -> Evidence | None:
    """The evidence that ``expert_org`` is ``side``'s organization, or None."""
    a, b = normalise_code(expert_org.code), normalise_code(side.organization.code)
    if a and b:
        if a != b:
            return None
        return Evidence(f"{expert_field}.code", expert_org.code, side.code_field,
                        side.organization.code, "code")
    na, nb = normalise_name(expert_org.name), normalise_name(side.organization.name)
    if len(na) >= MIN_NAME_CHARS and na == nb:
        return Evidence(f"{expert_field}.name", expert_org.name, side.name_field,
                        side.organization.name, "name")
    return None


def _sides(applicant: ApplicantFacts) -> list[_Side]:
    out = [_Side(Organization(applicant.name, applicant.credit_code), "name", "credit_code",
                 "self")]
    out += [_Side(o, f"affiliates[{i}].name", f"affiliates[{i}].code", "affiliate")
            for i, o in enumerate(applicant.affiliates)]
    if applicant.employer is not None:
        out.append(_Side(applicant.employer, "employer.name", "employer.credit_code",
                         "employer"))
    return out


def _current(rel: Relation, on: dt.date) -> bool:
    return (rel.since is None or rel.since <= on) and (rel.until is None or rel.until >= on)


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` years before (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _found(expert: ExpertFacts, applicant: ApplicantFacts, on: dt.date,
           past_employer_years: int) -> list[_Found]:
    sides = _sides(applicant)
    out: list[_Found] = []
    if expert.employer is not None and (expert.employer.name or expert.employer.code):
        for s in sides:
            ev = match(expert.employer, "employer", s)
            if ev is not None:
                fact: Fact = {"self": "employer", "affiliate": "employer_affiliate",
                              "employer": "colleague"}[s.role]  # type: ignore[assignment]
                out.append(_Found(fact, (ev,)))
                break
    window_start = years_before(on, past_employer_years)
    organizations = [s for s in sides if s.role != "employer"]
    for i, rel in enumerate(expert.relations):
        field_ = f"relations.{rel.kind}[{i}]"
        if rel.kind == "past_employer":
            if rel.since is not None and rel.since > on:
                continue
            if rel.until is not None and rel.until < window_start:
                continue
            targets = organizations
        elif not _current(rel, on):
            continue
        elif rel.kind == "affiliate":
            targets = organizations
        else:
            targets = sides[:1]
        for s in targets:
            ev = match(rel.organization, field_, s)
            if ev is None:
                continue
            if rel.kind == "past_employer":
                if rel.until is None:
                    note_zh = "未填写离职日期，须核实"
                    note_en = "no end date given; to be checked"
                else:
                    note_zh = (f"{rel.until.isoformat()}离职，在{on.isoformat()}前"
                               f"{past_employer_years}年内")
                    note_en = (f"left on {rel.until.isoformat()}, within "
                               f"{past_employer_years} years before {on.isoformat()}")
                dated = (Evidence(f"{field_}.until", rel.until.isoformat() if rel.until else "",
                                  "on", on.isoformat(), "date"),)
                out.append(_Found("past_employer", (ev, *dated), note_zh, note_en))
            else:
                out.append(_Found(rel.kind, (ev,)))
            break
    # Competitor named by the applicant: the expert's employer, and the same sector.
    if (expert.employer is not None and applicant.sector
            and applicant.sector in expert.sectors):
        for i, comp in enumerate(applicant.competitors):
            s = _Side(comp, f"competitors[{i}].name", f"competitors[{i}].code", "affiliate")
            ev = match(expert.employer, "employer", s)
            if ev is not None:
                sector = Evidence("sectors", "、".join(expert.sectors), "sector",
                                  applicant.sector, "sector")
                out.append(_Found("competitor_named", (ev, sector)))
                break
    return out


_FACT_TEXT: dict[Fact, tuple[str, str]] = {
    "employer": ("专家受雇或任职于申报单位", "the expert is employed by the applicant"),
    "employer_affiliate": ("专家的工作单位是申报单位的关联（集团、内设或隶属）单位",
                           "the expert's employer is an affiliate (group, internal or "
                           "subordinate unit) of the applicant"),
    "colleague": ("专家与申报人在同一单位工作", "the expert works for the applicant's employer"),
    "affiliate": ("专家工作单位的关联单位是申报单位或其关联单位",
                  "an affiliate of the expert's employer is the applicant or its affiliate"),
    "partner": ("申报单位是专家的业务往来单位",
                "the applicant is a business partner of the expert"),
    "competitor": ("专家申报申报单位为竞争对手单位",
                   "the expert declared the applicant a competitor"),
    "competitor_named": ("申报单位将专家的工作单位列为竞争对手，且专家专业领域与申报单位行业相同",
                         "the applicant names the expert's employer as a competitor and the "
                         "expert works in the applicant's sector"),
    "past_employer": ("专家曾任职于申报单位或其关联单位",
                      "the expert was formerly employed by the applicant or its affiliate"),
    "mentee": ("专家曾指导申报单位", "the expert mentors the applicant"),
}


def relation_for(fact: Fact, relations: Mapping[str, str]) -> tuple[str, str] | None:
    """The policy relation (and its article) a fact is counted as, or None if not counted."""
    for r in CONCRETE[fact]:
        if r in relations:
            return r, relations[r]
    if INTEREST in relations:
        return INTEREST, relations[INTEREST]
    return None


def detect(expert: ExpertFacts, applicant: ApplicantFacts, relations: Mapping[str, str], *,
           on: dt.date, past_employer_years: int) -> list[Suggestion]:
    """The conflicts the profiles suggest between ``expert`` and ``applicant`` on ``on``.

    ``relations`` is the policy's recusal list with articles
    (``policy.reviewers.recusal_relations()``). One suggestion per policy relation: two facts
    counted as the same relation (e.g. a partner and a past employer, both ``interest``)
    become one suggestion with the evidence of both.
    """
    if past_employer_years < 0:
        raise ValueError("past_employer_years must not be negative")
    merged: dict[str, tuple[str, Fact, list[Evidence], list[str], list[str]]] = {}
    for f in _found(expert, applicant, on, past_employer_years):
        named = relation_for(f.fact, relations)
        if named is None:
            continue
        relation, article = named
        zh, en = _FACT_TEXT[f.fact]
        if f.note_zh:
            zh, en = f"{zh}（{f.note_zh}）", f"{en} ({f.note_en})"
        if relation not in merged:
            merged[relation] = (article, f.fact, [], [], [])
        entry = merged[relation]
        entry[2].extend(f.evidence)
        entry[3].append(zh)
        entry[4].append(en)
    return [Suggestion(relation=r, article=a, fact=fact, evidence=tuple(ev),
                       reason_zh="；".join(zh) + f"（{a}）",
                       reason_en="; ".join(en) + f" ({a})")
            for r, (a, fact, ev, zh, en) in merged.items()]


# The policy's recusal relations (RecusalRelation) as a reviewer reads them in the pledge and
# the declaration form.
RELATION_TEXT: dict[str, tuple[str, str]] = {
    "interest": ("与申报组织存在利害关系（任何种类）", "an interest of any kind in the applicant"),
    "employed_by_applicant": ("受雇于申报组织", "employed by the applicant"),
    "serving_applicant": ("在申报组织任职", "holding a post at the applicant"),
    "internal_unit": ("受雇、任职于申报组织的内设单位",
                      "employed by or serving an internal unit of the applicant"),
    "subordinate_unit": ("受雇、任职于申报组织的隶属单位",
                         "employed by or serving a subordinate unit of the applicant"),
    "business_partner": ("受雇、任职于申报组织的业务往来单位",
                         "employed by or serving a business partner of the applicant"),
    "competitor": ("受雇、任职于申报组织的竞争对手单位",
                   "employed by or serving a competitor of the applicant"),
    "mentor_of_applicant": ("担任申报组织的指导专家", "mentoring the applicant"),
}


def relation_text(relation: str) -> tuple[str, str]:
    return RELATION_TEXT.get(relation, (relation, relation))


_FIELD_TEXT: dict[str, tuple[str, str]] = {
    "employer": ("工作单位", "employer"),
    "affiliates": ("关联单位", "affiliate"),
    "competitors": ("竞争对手单位", "competitor"),
    "relations.affiliate": ("关联单位", "affiliate"),
    "relations.partner": ("业务往来单位", "business partner"),
    "relations.competitor": ("竞争对手单位", "competitor"),
    "relations.past_employer": ("曾任职单位", "past employer"),
    "relations.mentee": ("指导的组织", "mentored organization"),
}
_PART_TEXT: dict[str, tuple[str, str]] = {
    "name": ("名称", "name"), "code": ("统一社会信用代码", "credit code"),
    "credit_code": ("统一社会信用代码", "credit code"), "until": ("终止日期", "end date"),
    "sectors": ("专业领域", "sectors"), "sector": ("行业", "sector"), "on": ("比对日", "check day"),
}


def field_text(path: str) -> tuple[str, str]:
    """An evidence field (``relations.partner[0].name``, ``credit_code``) as a reader reads it
    (业务往来单位名称 / business partner name)."""
    head, _, last = path.rpartition(".")
    if not head:
        return _PART_TEXT.get(last, (last, last))
    base = re.sub(r"\[\d+\]$", "", head)
    owner = _FIELD_TEXT.get(base, (base, base))
    part = _PART_TEXT.get(last, (last, last))
    return owner[0] + part[0], f"{owner[1]} {part[1]}"
