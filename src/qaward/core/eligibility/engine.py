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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from qaward.core.eligibility.profile import Profile
from qaward.core.eligibility.silence import silent_checks, silent_fast_track
from qaward.core.errors import ConfigurationRequired, PolicyNotInForce
from qaward.core.policy.loader import require
from qaward.core.policy.model import (
    AfterAwardLockout,
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
        }


Finding = Reason | ManualItem


@dataclass
class _Outcome:
    findings: list[Finding] = field(default_factory=list)
    barred_until: dt.date | None = None

    def bar(self, until: dt.date) -> None:
        if self.barred_until is None or until > self.barred_until:
            self.barred_until = until


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


def _manual(out: _Outcome, rule: str, cite: str, zh: str, en: str) -> None:
    out.findings.append(ManualItem(rule, cite, zh, en))


def _in_window(d: dt.date, start: dt.date, on: dt.date) -> bool:
    return start <= d <= on


class _Compiler:
    def __init__(self, policy: Policy, on: dt.date) -> None:
        self.policy = policy
        self.on = on

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

        def check(p: Profile, out: _Outcome) -> None:
            if not j.matches(p.jurisdiction):
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

    def _flag(self, rule: str, cite: str, attr: str, zh: str, en: str) -> Check:
        def check(p: Profile, out: _Outcome) -> None:
            if not getattr(p, attr):
                _fail(out, rule, cite, zh, en)
        return check

    def _independent_legal_person(self, r: LegalPerson) -> Check:
        return self._flag(r.rule, r.cite, "legal_person", "不具有独立法人资格",
                          "not an independent legal person")

    def _pays_tax_locally(self, r: PaysTaxLocally) -> Check:
        return self._flag(r.rule, r.cite, "pays_tax_locally",
                          f"未在{self.policy.jurisdiction.name_zh}依法纳税",
                          f"does not pay tax in {self.policy.jurisdiction.name_en}")

    def _licensed(self, r: Licensed) -> Check:
        return self._flag(r.rule, r.cite, "licensed", "不具备相关资质或证照",
                          "lacks the required licences or permits")

    def _chief_quality_officer(self, r: ChiefQualityOfficer) -> Check:
        return self._flag(r.rule, r.cite, "chief_quality_officer", "未实施首席质量官制度",
                          "has no chief quality officer system")

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

        def check(p: Profile, out: _Outcome) -> None:
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
                        whose_zh: str = "", whose_en: str = "") -> Check:
        start = years_before(self.on, years)
        listed = set(kinds)

        def check(p: Profile, out: _Outcome) -> None:
            for inc in p.incidents:
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
                            "the article's list ends with 'etc.', judge whether it bars")
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
                          whose_zh: str = "", whose_en: str = "") -> Check:
        start = years_before(self.on, years) if years else dt.date.min
        span_zh = f"近{years}年" if years else ""
        span_en = f" within {years} years" if years else ""

        def check(p: Profile, out: _Outcome) -> None:
            for d in p.dishonesty:
                if d.serious and _in_window(d.date, start, self.on):
                    _fail(out, rule, cite, f"{whose_zh}{span_zh}有严重失信行为（{d.date}）",
                          f"{whose_en}serious dishonesty record on {d.date}{span_en}")
        return check

    def _no_serious_dishonesty(self, r: NoSeriousDishonesty) -> Check:
        return self._dishonesty_check(r.rule, r.cite, r.years)

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

        def check(p: Profile, out: _Outcome) -> None:
            for a in p.other_applications:
                if a.year == year and a.level in levels:
                    _fail(out, r.rule, r.cite, f"{year}年度已申报市级政府质量奖，不得同年重复申报",
                          f"already applying for the city government quality award in {year}")
        return check

    def _employer_record(self, r: EmployerRecord) -> Check:
        zh, en = "所属组织", "the person's organization: "
        parts = [
            self._incident_check(r.rule, r.cite, r.years, r.kinds, r.open_list, zh, en),
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
        j = self.policy.jurisdiction
        barred_tiers = set(lock.tiers)
        known = {t.id for t in self.policy.tiers}
        year = self.on.year

        def check(p: Profile, out: _Outcome) -> None:
            for a in p.awards:
                revoked = a.revoked_on is not None and a.revoked_on <= self.on
                if a.level != "district" or revoked:
                    continue
                if a.jurisdiction is not None and not j.matches(a.jurisdiction):
                    continue
                if not 0 <= year - a.year < lock.years:
                    continue
                if a.tier is not None and a.tier not in known:
                    _manual(out, "after_award_lockout", lock.cite,
                            f"{a.year}年获得的奖项“{a.tier}”不是本办法的奖项，须判断是否属同一奖项",
                            f"award '{a.tier}' of {a.year} is not a tier of this regulation: "
                            "judge whether it is the same award")
                    continue
                if a.tier is not None and a.tier not in barred_tiers:
                    continue
                until = dt.date(a.year + lock.years - 1, 12, 31)
                out.bar(until)
                _fail(out, "after_award_lockout", lock.cite,
                      f"{a.year}年获奖，获奖后{lock.years}年内不得再次申报（至{until}）",
                      f"won in {a.year}: may not apply again within {lock.years} years "
                      f"(barred until {until})")
        return check

    def revocations(self) -> Check:
        j = self.policy.jurisdiction
        rules = self.policy.revocation

        def check(p: Profile, out: _Outcome) -> None:
            for a in p.awards:
                if a.revoked_on is None or a.revocation_cause is None or a.level != "district":
                    continue
                if a.revoked_on > self.on:  # not yet revoked on the screening date
                    continue
                if a.jurisdiction is not None and not j.matches(a.jurisdiction):
                    continue
                rule = getattr(rules, a.revocation_cause)
                if is_none(rule.lockout_years):  # revoked, but no bar on applying again
                    continue
                years = require(
                    self.policy, rule.lockout_years,
                    f"revocation.{a.revocation_cause}.lockout_years",
                ).value
                until = years_after(a.revoked_on, years)
                if a.revoked_on <= self.on <= until:
                    out.bar(until)
                    cause_zh = "弄虚作假" if a.revocation_cause == "fraud" else "发生重大事故"
                    _fail(out, "revocation_lockout", rule.cite,
                          f"因{cause_zh}于{a.revoked_on}被撤销奖励，{years}年内不得再次申报（至{until}）",
                          f"award revoked on {a.revoked_on} ({a.revocation_cause}): barred for "
                          f"{years} years (until {until})")
        return check


def _fast_track(ft: FastTrack, on: dt.date) -> Callable[[Profile], bool]:
    levels = set(ft.levels)
    places = {level: set(names) for level, names in ft.jurisdictions.items()}

    def counts(level: str, jurisdiction: str | None) -> bool:
        # Where the policy names whose awards count (虹口: 市级 = 上海市), others do not.
        return level not in places or (jurisdiction or "").strip() in places[level]

    def qualifies(p: Profile) -> bool:
        return any(
            a.level in levels and (a.revoked_on is None or a.revoked_on > on)
            and counts(a.level, a.jurisdiction)
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
        )

    def screen_all(self, profiles: Iterable[Profile]) -> Iterator[ScreeningResult]:
        return (self.screen(p) for p in profiles)


def screener(policy: Policy, on: dt.date) -> Screener:
    """Compile ``policy`` for screening on ``on``; refuses a date outside its period in force."""
    check_in_force(policy, on)
    c = _Compiler(policy, on)
    common: list[Check] = [c.revocations()]
    if isinstance(policy.after_award_lockout, AfterAwardLockout):
        common.append(c.after_award(policy.after_award_lockout))
    common.extend(silent_checks(policy, on))  # a silent lockout stops where it would decide
    checks: dict[str, tuple[Check, ...]] = {
        track: tuple(c.compile(rule) for rule in rules) + tuple(common)
        for track, rules in policy.eligibility.items()
    }
    ft = _fast_track(policy.fast_track, on) if isinstance(policy.fast_track, FastTrack) \
        else silent_fast_track(policy, on)
    return Screener(policy, on, checks, ft)


def screen(policy: Policy, profile: Profile, on: dt.date) -> ScreeningResult:
    return screener(policy, on).screen(profile)
