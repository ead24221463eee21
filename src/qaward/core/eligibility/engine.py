"""The eligibility engine: screens applicant profiles against a policy on a date.

Pure functions of (policy, date, profile). Every failed hard condition becomes a
:class:`Reason` naming the rule and the article; qualitative conditions become
:class:`ManualCheck` items a person must judge. The policy is compiled once per
(policy, date) into plain closures so that screening a large file stays cheap.

Counting conventions (docs/conventions.md):
- "近N年" for annual results: the N complete calendar years before the screening year.
- "近N年" for events: dated from the same day N years before the screening date up to it.
- "N年以上" operating: established on or before the same day N years before screening.
- "获奖后N年内": barred while (screening year − award year) < N; ``barred_until`` is then
  31 December of (award year + N − 1), the last barred day.
- A revocation bars until the revocation date + N years (that day included); a revoked award
  does not also count as a win for the after-award lockout.
- 曾获奖项 (``bars: tier_won``) excludes the tier that was won (``excluded_tiers``); the
  applicant is ineligible only when every tier of its track is excluded.
- A fact the profile does not state (None) is never a pass: the rule needing it becomes a
  manual check citing the rule. So is an award record naming a place the engine cannot match
  to a known jurisdiction, and a record without the tier where the tier decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from qaward.core.eligibility.profile import AwardRecord, Profile
from qaward.core.eligibility.silence import silent_checks, silent_fast_track
from qaward.core.errors import ConfigurationRequired, PolicyNotInForce
from qaward.core.policy.loader import KnownPlaces, known_places, require
from qaward.core.policy.model import (
    AfterAwardLockout,
    AwardLevel,
    ChiefQualityOfficer,
    EligibilityRule,
    EmployerRecord,
    ExcellenceModel,
    FastTrack,
    IncidentKind,
    LegalPerson,
    Licensed,
    ManualCheck,
    MinYears,
    NoFailedInspections,
    NoLosses,
    NoMajorComplaints,
    NoMajorIncidents,
    NoSeriousDishonesty,
    NoSeriousViolations,
    NotAppliedToCitySameYear,
    PaysTaxLocally,
    Policy,
    RegisteredInJurisdiction,
    is_none,
    place_key,
)

INCIDENT_KIND_ZH: dict[str, str] = {
    "quality": "质量",
    "safety": "安全",
    "environment": "环境污染",
    "public_health": "公共卫生",
    "food_safety": "食品安全",
    "drug_safety": "药品安全",
}


_KIND_ZH = {"organization": "组织", "individual": "个人"}


@dataclass(frozen=True)
class Reason:
    rule: str
    article: str
    message_zh: str
    message_en: str


@dataclass(frozen=True)
class ManualItem:
    rule: str
    article: str
    text_zh: str
    text_en: str
    # Distinguishes two items of one rule in one result (e.g. one per award record).
    detail: str = ""

    @property
    def key(self) -> str:
        """Stable id of this check within a screening result, for recording a finding."""
        return f"{self.rule}:{self.detail}" if self.detail else self.rule


@dataclass(frozen=True)
class ExcludedTier:
    """A tier the applicant may not receive (曾获奖项), until the last barred day."""

    tier: str
    article: str
    until: dt.date

    def to_json(self) -> dict[str, str]:
        return {"tier": self.tier, "article": self.article, "until": self.until.isoformat()}


@dataclass(frozen=True)
class ScreeningResult:
    id: str
    name: str
    policy: str
    on: dt.date
    verdict: Literal["eligible", "ineligible"]
    reasons: tuple[Reason, ...]
    manual_checks: tuple[ManualItem, ...]
    fast_track: bool
    fast_track_article: str | None
    barred_until: dt.date | None
    excluded_tiers: tuple[ExcludedTier, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "policy": self.policy,
            "on": self.on.isoformat(),
            "verdict": self.verdict,
            "reasons": [r.__dict__ for r in self.reasons],
            "manual_checks": [{**m.__dict__, "key": m.key} for m in self.manual_checks],
            "fast_track": self.fast_track,
            "fast_track_article": self.fast_track_article,
            "barred_until": self.barred_until.isoformat() if self.barred_until else None,
            "excluded_tiers": [e.to_json() for e in self.excluded_tiers],
        }


Finding = Reason | ManualItem


@dataclass
class _Outcome:
    findings: list[Finding] = field(default_factory=list)
    barred_until: dt.date | None = None
    excluded: dict[str, ExcludedTier] = field(default_factory=dict)

    def bar(self, until: dt.date) -> None:
        if self.barred_until is None or until > self.barred_until:
            self.barred_until = until

    def exclude(self, tier: str, article: str, until: dt.date) -> None:
        known = self.excluded.get(tier)
        if known is None or until > known.until:
            self.excluded[tier] = ExcludedTier(tier, article, until)


Check = Callable[[Profile, _Outcome], None]


def years_before(on: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def years_after(on: dt.date, years: int) -> dt.date:
    try:
        return on.replace(year=on.year + years)
    except ValueError:
        return on.replace(year=on.year + years, day=28)


# ---------------------------------------------------------------------------------------------
# Period in force


def check_in_force(policy: Policy, on: dt.date) -> None:
    """Raise unless ``on`` lies inside the period the regulation version is in force."""
    f = policy.in_force
    if f.until is not None and on > f.until:
        raise PolicyNotInForce(policy.id, on, f.cite, f"it expired on {f.until}")
    if f.first_day is not None:
        if on < f.first_day:
            raise PolicyNotInForce(policy.id, on, f.cite, f"it takes effect on {f.first_day}")
        return
    if f.from_not_later_than is None:  # `from: {silent: ...}` and no bound: configure it
        require(policy, f.from_, "in_force.from")
    if f.from_not_earlier_than is not None and on < f.from_not_earlier_than:
        raise PolicyNotInForce(
            policy.id, on, f.cite, f"it was not issued before {f.from_not_earlier_than}"
        )
    if f.from_not_later_than is not None and on < f.from_not_later_than:
        raise ConfigurationRequired(
            policy.id,
            "in_force.from",
            f"the text gives no date for taking effect ({f.cite}); it is certainly in force "
            f"from {f.from_not_later_than} on, but {on} needs the exact date",
        )


# ---------------------------------------------------------------------------------------------
# Rule compilers: each turns a rule of the policy into a check for one screening date.


def _fail(out: _Outcome, rule: str, cite: str, zh: str, en: str) -> None:
    out.findings.append(Reason(rule, cite, zh, en))


def _manual(out: _Outcome, rule: str, cite: str, zh: str, en: str, detail: str = "") -> None:
    out.findings.append(ManualItem(rule, cite, zh, en, detail))


def _keys(names: Iterable[str]) -> frozenset[str]:
    """Place names as written and as compared (docs/conventions.md): without spaces,
    case-folded."""
    out: set[str] = set()
    for n in names:
        out.update((n, place_key(n)))
    return frozenset(out)


def _named(text: str | None, keys: frozenset[str]) -> bool:
    return text is not None and (text in keys or place_key(text) in keys)


def _in_window(d: dt.date, start: dt.date, on: dt.date) -> bool:
    return start <= d <= on


Where = Literal["here", "elsewhere", "unknown"]


class _Compiler:
    def __init__(self, policy: Policy, on: dt.date, known: KnownPlaces) -> None:
        self.policy = policy
        self.on = on
        self.known = known
        self.here = _keys(policy.jurisdiction.names())
        self.other_districts = _keys(n for d in known.districts for n in d.names())
        self.cities = _keys(n for c in known.cities for n in c.names())

    def district_of(self, text: str | None) -> Where:
        """Whose district award a record is: no jurisdiction given is this district's."""
        if text is None or _named(text, self.here):
            return "here"
        if _named(text, self.other_districts):
            return "elsewhere"
        return "unknown"

    def _unreadable_place(self, out: _Outcome, rule: str, cite: str, what_zh: str,
                          what_en: str, text: str, detail: str, consequence_zh: str,
                          consequence_en: str) -> None:
        _manual(out, rule, cite,
                f"{what_zh}的地区“{text}”无法识别为已知的行政区：须核实是否为"
                f"{self.policy.jurisdiction.name_zh}（是则{consequence_zh}）",
                f"{what_en}: the place '{text}' matches no known jurisdiction; verify whether it "
                f"is {self.policy.jurisdiction.name_en} (if so, {consequence_en})", detail)

    def compile(self, rule: EligibilityRule) -> Check:
        match rule:
            case RegisteredInJurisdiction():
                return self._registered_in_jurisdiction(rule)
            case MinYears():
                return self._min_years_established(rule)
            case LegalPerson():
                return self._independent_legal_person(rule)
            case PaysTaxLocally():
                return self._pays_tax_locally(rule)
            case Licensed():
                return self._licensed(rule)
            case ChiefQualityOfficer():
                return self._chief_quality_officer(rule)
            case ExcellenceModel():
                return self._excellence_model(rule)
            case NoLosses():
                return self._no_losses(rule)
            case NoMajorIncidents():
                return self._no_major_incidents(rule)
            case NoMajorComplaints():
                return self._no_major_complaints(rule)
            case NoSeriousDishonesty():
                return self._no_serious_dishonesty(rule)
            case NoSeriousViolations():
                return self._no_serious_violations(rule)
            case NoFailedInspections():
                return self._no_failed_inspections(rule)
            case NotAppliedToCitySameYear():
                return self._not_applying_to_city_award_same_year(rule)
            case EmployerRecord():
                return self._employer_record(rule)
            case ManualCheck():
                return self._manual_check(rule)

    def _registered_in_jurisdiction(self, r: RegisteredInJurisdiction) -> Check:
        j = self.policy.jurisdiction
        here = self.here

        def check(p: Profile, out: _Outcome) -> None:
            if not _named(p.jurisdiction, here):
                _fail(out, r.rule, r.cite,
                      f"登记注册地（或工作所在地）为“{p.jurisdiction}”，不在{j.name_zh}",
                      f"registered (or working) in '{p.jurisdiction}', not in {j.name_en}")
        return check

    def _min_years_established(self, r: MinYears) -> Check:
        latest = years_before(self.on, r.years)

        def check(p: Profile, out: _Outcome) -> None:
            if p.established_on > latest:
                what_zh = "在本区从事质量工作" if p.kind == "individual" else "生产经营"
                what_en = ("doing quality work in the district" if p.kind == "individual"
                           else "operating")
                _fail(out, r.rule, r.cite,
                      f"{what_zh}自{p.established_on}起，不满{r.years}年（须在{latest}或之前）",
                      f"{what_en} since {p.established_on}: less than {r.years} years "
                      f"(must be on or before {latest})")
        return check

    def _flag(self, rule: str, cite: str, attr: str, zh: str, en: str, fact_zh: str,
              fact_en: str) -> Check:
        def check(p: Profile, out: _Outcome) -> None:
            value = getattr(p, attr)
            if value is None:
                _manual(out, rule, cite, f"申报材料未说明是否{fact_zh}，须核实",
                        f"the profile does not state whether it {fact_en} "
                        f"(`{attr}`): verify")
            elif not value:
                _fail(out, rule, cite, zh, en)
        return check

    def _independent_legal_person(self, r: LegalPerson) -> Check:
        return self._flag(r.rule, r.cite, "legal_person", "不具有独立法人资格",
                          "not an independent legal person", "具有独立法人资格",
                          "is an independent legal person")

    def _pays_tax_locally(self, r: PaysTaxLocally) -> Check:
        j = self.policy.jurisdiction
        return self._flag(r.rule, r.cite, "pays_tax_locally", f"未在{j.name_zh}依法纳税",
                          f"does not pay tax in {j.name_en}", f"在{j.name_zh}依法纳税",
                          f"pays tax in {j.name_en}")

    def _licensed(self, r: Licensed) -> Check:
        return self._flag(r.rule, r.cite, "licensed", "不具备相关资质或证照",
                          "lacks the required licences or permits", "具备相关资质或证照",
                          "holds the required licences or permits")

    def _chief_quality_officer(self, r: ChiefQualityOfficer) -> Check:
        return self._flag(r.rule, r.cite, "chief_quality_officer", "未实施首席质量官制度",
                          "has no chief quality officer system", "实施首席质量官制度",
                          "has a chief quality officer system")

    def _excellence_model(self, r: ExcellenceModel) -> Check:
        latest = years_before(self.on, r.min_years) if r.min_years else self.on

        def check(p: Profile, out: _Outcome) -> None:
            since = p.excellence_model_since
            if since is None or since > latest:
                if r.min_years:
                    zh = f"实施卓越绩效管理不满{r.min_years}年（须在{latest}或之前开始）"
                    en = (f"has not practised performance excellence for {r.min_years} year(s) "
                          f"(must have started on or before {latest})")
                else:
                    zh, en = "未开展卓越绩效评价", "does not practise performance excellence"
                _fail(out, r.rule, r.cite, zh, en)
        return check

    def _no_losses(self, r: NoLosses) -> Check:
        years = range(self.on.year - r.years, self.on.year)

        np = r.non_profit

        def losses(p: Profile) -> list[int]:
            return [a.year for a in p.annual_results if a.year in years and a.profit < 0]

        def check(p: Profile, out: _Outcome) -> None:
            if np is not None and p.for_profit is False:
                # 从事非盈利性业务: a deficit is not a loss; the text's other test applies.
                _manual(out, r.rule, r.cite, np.text_zh, np.text_en, "non_profit")
                return
            if np is not None and p.for_profit is None:
                found = losses(p)
                years_zh = "、".join(map(str, found))
                zh = f"；申报的经营结果中{years_zh}年度为负" if found else ""
                en = (f"; the results show a deficit in {', '.join(map(str, found))}"
                      if found else "")
                _manual(out, r.rule, r.cite,
                        "申报材料未说明是否从事生产、经营活动（`for_profit`）：从事的，须近"
                        f"{r.years}年未发生亏损；{np.text_zh}{zh}",
                        "the profile does not state whether it does business for profit "
                        f"(`for_profit`): if so, no loss in the last {r.years} years; "
                        f"otherwise - {np.text_en}{en}", "for_profit")
                return
            by_year = {a.year: a for a in p.annual_results}
            # Years before the organization existed have no results to ask for.
            missing = [y for y in years if y not in by_year and y >= p.established_on.year]
            for y in years:
                a = by_year.get(y)
                if a is None or a.profit >= 0:
                    continue
                if a.policy_loss and r.policy_losses_excepted:
                    continue
                why_zh = "（政策性亏损亦不除外）" if a.policy_loss else ""
                why_en = " (policy losses are not excepted)" if a.policy_loss else ""
                _fail(out, r.rule, r.cite, f"{y}年度亏损{why_zh}", f"made a loss in {y}{why_en}")
            if missing:
                ys = "、".join(str(y) for y in missing)
                _manual(out, r.rule, r.cite, f"未提供{ys}年度经营结果，须核实是否亏损",
                        f"no annual result given for {', '.join(map(str, missing))}: "
                        "verify there was no loss")
        return check

    def _incident_check(self, rule: str, cite: str, years: int,
                        kinds: tuple[IncidentKind, ...], open_list: bool,
                        whose_zh: str = "", whose_en: str = "", detail: str = "") -> Check:
        start = years_before(self.on, years)
        listed = set(kinds)

        def check(p: Profile, out: _Outcome) -> None:
            for i, inc in enumerate(p.incidents):
                if not inc.major or not _in_window(inc.date, start, self.on):
                    continue
                kind_zh = INCIDENT_KIND_ZH[inc.kind]
                if inc.kind in listed:
                    _fail(out, rule, cite,
                          f"{whose_zh}近{years}年发生重大{kind_zh}事故（{inc.date}）",
                          f"{whose_en}major {inc.kind.replace('_', ' ')} incident on {inc.date} "
                          f"within {years} years")
                elif open_list:
                    _manual(out, rule, cite,
                            f"{whose_zh}{inc.date}发生重大{kind_zh}事故：条文以“等”列举事故类型，"
                            "须判断是否属于不得申报的事故",
                            f"{whose_en}major {inc.kind.replace('_', ' ')} incident on {inc.date}: "
                            "the article's list ends with 'etc.', judge whether it bars",
                            f"{detail}incidents.{i}")
        return check

    def _no_major_incidents(self, r: NoMajorIncidents) -> Check:
        return self._incident_check(r.rule, r.cite, r.years, r.kinds, r.open_list)

    def _complaint_check(self, rule: str, cite: str, years: int, at_fault_only: bool,
                         whose_zh: str = "", whose_en: str = "") -> Check:
        start = years_before(self.on, years)

        def check(p: Profile, out: _Outcome) -> None:
            for c in p.complaints:
                if not c.major or not _in_window(c.date, start, self.on):
                    continue
                if at_fault_only and not c.organization_at_fault:
                    continue
                _fail(out, rule, cite,
                      f"{whose_zh}近{years}年有重大质量投诉（{c.date}）",
                      f"{whose_en}major quality complaint on {c.date} within {years} years")
        return check

    def _no_major_complaints(self, r: NoMajorComplaints) -> Check:
        return self._complaint_check(r.rule, r.cite, r.years, r.organization_at_fault_only)

    def _dishonesty_check(self, rule: str, cite: str, years: int | None,
                          whose_zh: str = "", whose_en: str = "", judged: bool = False) -> Check:
        start = years_before(self.on, years) if years else dt.date.min
        span_zh = f"近{years}年" if years else ""
        span_en = f" within {years} years" if years else ""

        def check(p: Profile, out: _Outcome) -> None:
            for i, d in enumerate(p.dishonesty):
                if not d.serious or not _in_window(d.date, start, self.on):
                    continue
                if judged:
                    _manual(out, rule, cite,
                            f"{whose_zh}有严重失信记录（{d.date}）：条文要求信用记录良好，"
                            "须判断其目前的信用记录",
                            f"{whose_en}serious dishonesty record on {d.date}: the article asks "
                            "for a good credit record; judge the current record",
                            f"dishonesty.{i}")
                else:
                    _fail(out, rule, cite, f"{whose_zh}{span_zh}有严重失信行为（{d.date}）",
                          f"{whose_en}serious dishonesty record on {d.date}{span_en}")
        return check

    def _no_serious_dishonesty(self, r: NoSeriousDishonesty) -> Check:
        return self._dishonesty_check(r.rule, r.cite, r.years, judged=r.judged)

    def _no_serious_violations(self, r: NoSeriousViolations) -> Check:
        start = years_before(self.on, r.years)

        def check(p: Profile, out: _Outcome) -> None:
            for v in p.violations:
                if v.serious and _in_window(v.date, start, self.on):
                    _fail(out, r.rule, r.cite, f"近{r.years}年有严重违法违规行为（{v.date}）",
                          f"serious violation of law on {v.date} within {r.years} years")
        return check

    def _no_failed_inspections(self, r: NoFailedInspections) -> Check:
        start = years_before(self.on, r.years)

        def check(p: Profile, out: _Outcome) -> None:
            for d in p.failed_inspections:
                if _in_window(d, start, self.on):
                    _fail(out, r.rule, r.cite, f"近{r.years}年质量安全监督检查不合格（{d}）",
                          f"failed a quality-safety inspection on {d} within {r.years} years")
        return check

    def _not_applying_to_city_award_same_year(self, r: NotAppliedToCitySameYear) -> Check:
        year = self.on.year
        levels = set(r.levels)
        places = {"city": self.cities, "district": self.other_districts | self.here}
        covers = {level: _keys(names) for level, names in r.jurisdictions.items()}

        def covered(level: AwardLevel, text: str | None) -> Where:
            keys = covers.get(level)
            if keys is None or text is None or _named(text, keys):
                return "here"  # any jurisdiction's, or the one the rule names
            if _named(text, places.get(level, frozenset())):
                return "elsewhere"
            return "unknown"

        def check(p: Profile, out: _Outcome) -> None:
            for i, a in enumerate(p.other_applications):
                if a.year != year or a.level not in levels:
                    continue
                where = covered(a.level, a.jurisdiction)
                if where == "elsewhere":
                    continue
                if where == "unknown":
                    names = "、".join(r.jurisdictions.get(a.level, ()))
                    _manual(out, r.rule, r.cite,
                            f"{year}年度另行申报的政府质量奖地区“{a.jurisdiction}”无法识别：须核实"
                            f"是否为{names}的奖项（是则不得同年重复申报）",
                            f"another {a.level} award applied for in {year}: the place "
                            f"'{a.jurisdiction}' matches no known jurisdiction; verify whether "
                            f"it is {names}'s (if so, the applicant may not apply in the same "
                            "year)", f"other_applications.{i}")
                    continue
                whose = a.jurisdiction or ""
                _fail(out, r.rule, r.cite,
                      f"{year}年度已申报{whose}市级政府质量奖，不得同年重复申报",
                      f"already applying for the {a.jurisdiction + ' ' if a.jurisdiction else ''}"
                      f"city government quality award in {year}")
        return check

    def _employer_record(self, r: EmployerRecord) -> Check:
        zh, en = "所属组织", "the person's organization: "
        parts = [
            self._incident_check(r.rule, r.cite, r.years, r.kinds, r.open_list, zh, en,
                                 "employer."),
            self._complaint_check(r.rule, r.cite, r.years, False, zh, en),
            self._dishonesty_check(r.rule, r.cite, r.years, zh, en),
        ]

        def check(p: Profile, out: _Outcome) -> None:
            if r.only_if_top_manager and not p.top_manager:
                return
            if p.employer is None:
                _manual(out, r.rule, r.cite, "未提供所属组织情况，须核实其近年事故、投诉和失信记录",
                        "the person's organization is not given: verify its incident, "
                        "complaint and dishonesty record")
                return
            for part in parts:
                part(p.employer, out)
        return check

    def _manual_check(self, r: ManualCheck) -> Check:
        item = ManualItem(r.id, r.cite, r.text_zh, r.text_en)

        def check(p: Profile, out: _Outcome) -> None:
            out.findings.append(item)
        return check

    # -- lockouts -----------------------------------------------------------------------------

    def after_award(self, lock: AfterAwardLockout) -> Check:
        policy = self.policy
        barred_tiers = set(lock.tiers)
        names = {t.id: t.name_zh for t in policy.tiers}
        names_en = {t.id: t.name_en for t in policy.tiers}
        # Where every tier bars the application, a record without a tier bars all the same.
        tier_decides = lock.bars == "tier_won" or not barred_tiers >= set(names)
        exempt = [t for t in names if t not in barred_tiers]
        year = self.on.year
        rule = "after_award_lockout"

        def check(p: Profile, out: _Outcome) -> None:
            for i, a in enumerate(p.awards):
                revoked = a.revoked_on is not None and a.revoked_on <= self.on
                if a.level != "district" or revoked:
                    continue
                if not 0 <= year - a.year < lock.years:
                    continue
                until = dt.date(a.year + lock.years - 1, 12, 31)
                detail = f"awards.{i}"
                where = self.district_of(a.jurisdiction)
                if where == "elsewhere":
                    continue
                if where == "unknown":
                    self._unreadable_place(
                        out, rule, lock.cite, f"{a.year}年的获奖记录",
                        f"award record of {a.year}", a.jurisdiction or "", detail,
                        f"获奖后{lock.years}年内不得再次申报，至{until}",
                        f"barred from applying again within {lock.years} years, "
                        f"until {until}")
                    continue
                if a.tier is not None and a.tier not in names:
                    _manual(out, rule, lock.cite,
                            f"{a.year}年获得的奖项“{a.tier}”不是本办法的奖项，须判断是否属同一奖项",
                            f"award '{a.tier}' of {a.year} is not a tier of this regulation: "
                            "judge whether it is the same award", detail)
                    continue
                if a.tier is None and tier_decides:
                    if lock.bars == "tier_won":
                        zh = f"所获奖项至{until}不得再次申报（{lock.cite}）"
                        en = f"the award won may not be applied for again until {until}"
                    else:
                        zh = ("获得" + "、".join(names[t] for t in lock.tiers)
                              + f"的，至{until}不得再次申报；"
                              + "、".join(names[t] for t in exempt) + "获奖者不受限制")
                        en = (f"winners of {', '.join(names_en[t] for t in lock.tiers)} are "
                              f"barred until {until}; winners of "
                              f"{', '.join(names_en[t] for t in exempt)} are not")
                    _manual(out, rule, lock.cite,
                            f"{a.year}年的获奖记录未写明所获奖项：须核实，{zh}",
                            f"the award record of {a.year} does not give the tier won: verify "
                            f"it; {en}", detail)
                    continue
                if a.tier is not None and a.tier not in barred_tiers:
                    continue
                if lock.bars == "tier_won":
                    assert a.tier is not None
                    out.exclude(a.tier, lock.cite, until)
                    continue
                out.bar(until)
                _fail(out, rule, lock.cite,
                      f"{a.year}年获奖，获奖后{lock.years}年内不得再次申报（至{until}）",
                      f"won in {a.year}: may not apply again within {lock.years} years "
                      f"(barred until {until})")
            track = [t.id for t in policy.tiers if p.kind in t.tracks]
            if lock.bars == "tier_won" and track and all(t in out.excluded for t in track):
                until = min(out.excluded[t].until for t in track)
                out.bar(until)
                _fail(out, rule, lock.cite,
                      f"获奖后{lock.years}年内不得再次申报曾获奖项："
                      + "、".join(names[t] for t in track) + f"均已获得，至{until}不得申报",
                      f"has won every award of its track ({', '.join(names_en[t] for t in track)}) "
                      f"within {lock.years} years: barred until {until}")
        return check

    def revocations(self) -> Check:
        rules = self.policy.revocation

        def check(p: Profile, out: _Outcome) -> None:
            for i, a in enumerate(p.awards):
                if a.revoked_on is None or a.revocation_cause is None or a.level != "district":
                    continue
                if a.revoked_on > self.on:  # not yet revoked on the screening date
                    continue
                where = self.district_of(a.jurisdiction)
                if where == "elsewhere":
                    continue
                rule = getattr(rules, a.revocation_cause)
                if is_none(rule.lockout_years):  # revoked, but no bar on applying again
                    continue
                years = require(
                    self.policy, rule.lockout_years,
                    f"revocation.{a.revocation_cause}.lockout_years",
                ).value
                until = years_after(a.revoked_on, years)
                if not a.revoked_on <= self.on <= until:
                    continue
                cause_zh = "弄虚作假" if a.revocation_cause == "fraud" else "发生重大事故"
                if where == "unknown":
                    self._unreadable_place(
                        out, "revocation_lockout", rule.cite,
                        f"{a.revoked_on}被撤销奖励的记录", f"award revoked on {a.revoked_on}",
                        a.jurisdiction or "", f"awards.{i}",
                        f"因{cause_zh}被撤销，{years}年内不得再次申报，至{until}",
                        f"barred for {years} years, until {until}")
                    continue
                out.bar(until)
                _fail(out, "revocation_lockout", rule.cite,
                      f"因{cause_zh}于{a.revoked_on}被撤销奖励，{years}年内不得再次申报（至{until}）",
                      f"award revoked on {a.revoked_on} ({a.revocation_cause}): barred for "
                      f"{years} years (until {until})")
        return check


def _fast_track(ft: FastTrack, on: dt.date) -> Callable[[Profile], bool]:
    whose = [(c, _keys(c.jurisdictions or ())) for c in ft.awards]

    def counts(a: AwardRecord) -> bool:
        return any(
            a.level == c.level
            and (not c.jurisdictions or _named(a.jurisdiction, keys))
            and (not c.tiers or a.tier in c.tiers)
            for c, keys in whose
        )

    def qualifies(p: Profile) -> bool:
        return any(
            (a.revoked_on is None or a.revoked_on > on) and counts(a)
            and 0 <= on.year - a.year < ft.within_years
            for a in p.awards
        )
    return qualifies


# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Screener:
    """A policy compiled for one screening date. Build with :func:`screener`."""

    policy: Policy
    on: dt.date
    checks: Mapping[str, tuple[Check, ...]]
    fast_track: Callable[[Profile], bool] | None

    def screen(self, profile: Profile) -> ScreeningResult:
        out = _Outcome()
        checks = self.checks.get(profile.kind)
        if checks is None:
            offered = "、".join(t.name_zh for t in self.policy.tracks.values())
            cite = next(iter(self.policy.tracks.values())).cite
            out.findings.append(Reason(
                "track_not_offered", cite,
                f"本奖项只接受{offered}申报，不接受{_KIND_ZH[profile.kind]}申报",
                f"this award does not take {profile.kind} applications",
            ))
        else:
            for check in checks:
                check(profile, out)
        reasons = tuple(f for f in out.findings if isinstance(f, Reason))
        manual = tuple(f for f in out.findings if isinstance(f, ManualItem))
        fast = bool(self.fast_track and self.fast_track(profile))
        ft = self.policy.fast_track
        excluded: tuple[ExcludedTier, ...] = ()
        if out.excluded:  # highest honour first
            rank = {t.id: t.rank for t in self.policy.tiers}
            excluded = tuple(sorted(out.excluded.values(), key=lambda e: rank.get(e.tier, 0)))
        return ScreeningResult(
            id=profile.id,
            name=profile.name,
            policy=self.policy.id,
            on=self.on,
            verdict="ineligible" if reasons else "eligible",
            reasons=reasons,
            manual_checks=manual,
            fast_track=fast,
            fast_track_article=ft.cite if fast and isinstance(ft, FastTrack) else None,
            barred_until=out.barred_until,
            excluded_tiers=excluded,
        )

    def screen_all(self, profiles: Iterable[Profile]) -> Iterator[ScreeningResult]:
        return (self.screen(p) for p in profiles)


def screener(policy: Policy, on: dt.date, known: KnownPlaces | None = None) -> Screener:
    """Compile ``policy`` for screening on ``on``; refuses a date outside its period in force.

    ``known``: the districts and cities an award record may name (default: those of every
    known policy, :func:`~qaward.core.policy.loader.known_places`)."""
    check_in_force(policy, on)
    c = _Compiler(policy, on, known if known is not None else known_places())
    common: list[Check] = [c.revocations()]
    if isinstance(policy.after_award_lockout, AfterAwardLockout):
        common.append(c.after_award(policy.after_award_lockout))
    # A silent lockout stops where it would decide.
    common.extend(silent_checks(policy, on, lambda text: c.district_of(text) == "here"))
    checks: dict[str, tuple[Check, ...]] = {
        track: tuple(c.compile(rule) for rule in rules) + tuple(common)
        for track, rules in policy.eligibility.items()
    }
    ft = _fast_track(policy.fast_track, on) if isinstance(policy.fast_track, FastTrack) \
        else silent_fast_track(policy, on)
    return Screener(policy, on, checks, ft)


def screen(policy: Policy, profile: Profile, on: dt.date) -> ScreeningResult:
    return screener(policy, on).screen(profile)
