"""杭州高新区（滨江）政府质量奖评审管理办法 (区办〔2020〕4号): eligibility at its boundaries.

Screening on 2026-06-15 unless a boundary needs otherwise:
- 近3年 (events, failed inspections): 2023-06-15 … 2026-06-15;
- 正常运营3年以上: on or before 2023-06-15; 实施卓越绩效管理满1年: since 2025-06-15 or earlier.
No loss condition; complaints count only 因组织责任导致; the accident list (质量、安全、环境污染、
公共卫生等) names no food safety, so food safety needs a person's judgement. Only a
区政府质量奖 winner waits 5 years (五、（四）); a revocation after an accident (七、（五）)
sets no bar on applying again ({none: ...}): it does not apply, and no configuration is asked.
"""

from __future__ import annotations

from qaward.core.errors import PolicyNotInForce
from qaward.core.policy import load_policy

from ..helpers import (
    Case,
    D,
    Stops,
    city_application,
    complaint,
    district_award,
    incident,
    record,
    results,
    revoked,
)

POLICY = load_policy("binjiang-2020")

S1_2 = "一、（二）"
S3_1 = "三、（一）"
S3_3 = "三、（三）"
S3_6 = "三、（六）"
S5_4 = "五、（四）"
S7_2 = "七、（二）"

ORGANIZATION_CASES = [
    Case("the baseline organization is eligible"),
    Case("an organization registered outside the zone is ineligible",
         {"jurisdiction": "上海市虹口区"}, {"registered_in_jurisdiction": S3_1}),
    Case("the alias 杭州市滨江区 counts as registered in the zone",
         {"jurisdiction": "杭州市滨江区"}),
    Case("an organization that is not an independent legal person is ineligible",
         {"legal_person": False}, {"independent_legal_person": S3_1}),
    Case("an organization that does not state whether it is a legal person gets a manual check",
         {"legal_person": None}, manual={"independent_legal_person": S3_1}),
    Case("operating since exactly 3 years before screening is eligible",
         {"established_on": "2023-06-15"}),
    Case("operating one day less than 3 years is ineligible",
         {"established_on": "2023-06-16"}, {"min_years_established": S3_1}),
    Case("performance excellence practised for exactly 1 year is eligible",
         {"excellence_model_since": "2025-06-15"}),
    Case("performance excellence practised one day less than 1 year is ineligible",
         {"excellence_model_since": "2025-06-16"}, {"excellence_model": S3_3}),
    Case("not practising performance excellence is ineligible",
         {"excellence_model_since": None}, {"excellence_model": S3_3}),
    Case("a failed inspection exactly 3 years before screening counts",
         {"failed_inspections": ["2023-06-15"]}, {"no_failed_inspections": S3_6}),
    Case("a failed inspection one day earlier does not count",
         {"failed_inspections": ["2023-06-14"]}),
    Case("a failed inspection after the screening date is ignored",
         {"failed_inspections": ["2026-06-16"]}),
    Case("a major quality incident exactly 3 years before screening counts",
         {"incidents": [incident("2023-06-15")]}, {"no_major_incidents": S3_6}),
    Case("a major quality incident one day earlier does not count",
         {"incidents": [incident("2023-06-14")]}),
    Case("a minor incident does not count",
         {"incidents": [incident("2025-01-01", major=False)]}),
    *[Case(f"a major {kind} incident in 2025 is ineligible",
           {"incidents": [incident("2025-01-01", kind)]}, {"no_major_incidents": S3_6})
      for kind in ("safety", "environment", "public_health")],
    *[Case(f"a major {kind} incident is a manual check: not listed, the list ends with 等",
           {"incidents": [incident("2025-01-01", kind)]}, manual={"no_major_incidents": S3_6})
      for kind in ("food_safety", "drug_safety")],
    Case("a major complaint due to the organization exactly 3 years ago counts",
         {"complaints": [complaint("2023-06-15")]}, {"no_major_complaints": S3_6}),
    Case("a major complaint due to the organization one day earlier does not count",
         {"complaints": [complaint("2023-06-14")]}),
    Case("a major complaint not due to the organization does not count under 滨江",
         {"complaints": [complaint("2025-01-01", at_fault=False)]}),
    Case("a minor complaint does not count",
         {"complaints": [complaint("2025-01-01", major=False)]}),
    Case("a serious violation exactly 3 years before screening counts",
         {"violations": [record("2023-06-15")]}, {"no_serious_violations": S3_6}),
    Case("a serious violation one day earlier does not count",
         {"violations": [record("2023-06-14")]}),
    Case("a violation that is not serious does not count",
         {"violations": [record("2025-01-01", serious=False)]}),
    Case("a loss in 2025 is not a condition under 滨江",
         {"annual_results": results(2025)}),
    Case("missing annual results need no check under 滨江",
         {"annual_results": []}),
    Case("a dishonesty record is left to the credit-record manual check (三、（五）)",
         {"dishonesty": [record("2025-01-01")]}),
    Case("applying for the city award in the same year is not forbidden by 滨江",
         {"other_applications": [city_application(2026)]}),
    Case("licences are not a separate hard condition under 滨江",
         {"licensed": False}),
    Case("no chief quality officer is not a condition under 滨江",
         {"chief_quality_officer": False}),
    Case("not paying tax in the zone is not a condition under 滨江",
         {"pays_tax_locally": False}),
    Case("facts 滨江 does not ask for may be left unstated",
         {"licensed": None, "chief_quality_officer": None, "pays_tax_locally": None,
          "for_profit": None}),
    Case("a national award gives no fast track under 滨江",
         {"awards": [{"level": "national", "year": 2025}]}),
]

LOCKOUT_CASES = [
    Case("a 区政府质量奖 winner of 2022 is barred until 31 December 2026",
         {"awards": [district_award(POLICY, 2022, "award")]},
         {"after_award_lockout": S5_4}, barred_until=D(2026, 12, 31)),
    Case("a 区政府质量奖 winner of 2021 may apply in 2026 (自获奖年度起5年后)",
         {"awards": [district_award(POLICY, 2021, "award")]}),
    Case("a 区政府质量奖 winner of 2026 is barred until 31 December 2030",
         {"awards": [district_award(POLICY, 2026, "award")]},
         {"after_award_lockout": S5_4}, barred_until=D(2030, 12, 31)),
    Case("a 提名奖 winner of 2025 may apply again",
         {"awards": [district_award(POLICY, 2025, "nomination")]}),
    # The tier decides the bar (提名奖 winners are not barred): a record without one is a
    # manual check, never a guess either way.
    Case("a win of 2024 with no tier given is a manual check: 提名奖 winners are not barred",
         {"awards": [district_award(POLICY, 2024, None)]},
         manual={"after_award_lockout": S5_4}),
    Case("a win written with the English name Binjiang District bars",
         {"awards": [district_award(POLICY, 2024, "award", jurisdiction="Binjiang District")]},
         {"after_award_lockout": S5_4}, barred_until=D(2028, 12, 31)),
    Case("a win written with the English name in lower case bars",
         {"awards": [district_award(POLICY, 2024, "award", jurisdiction="binjiang")]},
         {"after_award_lockout": S5_4}, barred_until=D(2028, 12, 31)),
    Case("a win written as the issuing government's name is a manual check",
         {"awards": [district_award(POLICY, 2024, "award",
                                    jurisdiction="杭州高新区（滨江）管委会")]},
         manual={"after_award_lockout": S5_4}),
    Case("a win with a misspelt place is a manual check, never a clean pass",
         {"awards": [district_award(POLICY, 2024, "award", jurisdiction="滨红区")]},
         manual={"after_award_lockout": S5_4}),
    Case("an unreadable place on a win outside the 5 years needs nothing",
         {"awards": [district_award(POLICY, 2021, "award", jurisdiction="滨红区")]}),
    Case("two unreadable wins are two manual checks with their own keys",
         {"awards": [district_award(POLICY, 2024, "award", jurisdiction="滨红区"),
                     district_award(POLICY, 2025, None)]},
         manual={"after_award_lockout": S5_4}),
    Case("a win of a tier this regulation does not know is a manual check",
         {"awards": [district_award(POLICY, 2024, "gold")]},
         manual={"after_award_lockout": S5_4}),
    Case("another district's award does not bar",
         {"awards": [district_award(POLICY, 2024, "award", jurisdiction="上海市长宁区")]}),
    Case("revoked for fraud exactly 5 years before screening is still barred that day",
         {"awards": [revoked(POLICY, 2019, "2021-06-15", "fraud")]},
         {"revocation_lockout": S7_2}, barred_until=D(2026, 6, 15)),
    Case("revoked for fraud one day earlier may apply",
         {"awards": [revoked(POLICY, 2019, "2021-06-14", "fraud")]}),
    Case("a revocation with an unreadable place is a manual check citing 七、（二）",
         {"awards": [revoked(POLICY, 2019, "2021-06-15", "fraud", jurisdiction="Binjang")]},
         manual={"revocation_lockout": S7_2}),
    Case("a revocation of another known district's award does not bar",
         {"awards": [revoked(POLICY, 2019, "2021-06-15", "fraud", jurisdiction="Chongming")]}),
    Case("a revoked 区政府质量奖 does not count as a win: only the fraud lockout applies",
         {"awards": [revoked(POLICY, 2024, "2025-02-01", "fraud", tier="award")]},
         {"revocation_lockout": S7_2}, barred_until=D(2030, 2, 1)),
    Case("revoked for fraud on 29 February 2024: barred on 28 February 2029",
         {"awards": [revoked(POLICY, 2023, "2024-02-29", "fraud")]},
         {"revocation_lockout": S7_2}, barred_until=D(2029, 2, 28), on=D(2029, 2, 28)),
    Case("revoked for fraud on 29 February 2024: may apply on 1 March 2029",
         {"awards": [revoked(POLICY, 2023, "2024-02-29", "fraud")]}, on=D(2029, 3, 1)),
]

INDIVIDUAL_CASES = [
    Case("an individual application is refused: 滨江 awards organizations only",
         {}, {"track_not_offered": S1_2}, kind="individual"),
]


SPECIAL_CASES = [
    *[Case(f"a revocation after an accident sets no bar on applying again ({when})",
           {"awards": [revoked(POLICY, 2011, revoked_on, "incident")]})
      for when, revoked_on in (("revoked last year", "2025-09-01"),
                               ("revoked long ago", "2012-09-01"))],
    Case("won 2025, revoked for an accident only after the screening date",
         {"awards": [revoked(POLICY, 2025, "2026-07-01", "incident", tier="award")]},
         {"after_award_lockout": S5_4}, barred_until=D(2029, 12, 31)),
    Case("an individual with an incident revocation is still just refused",
         {"awards": [revoked(POLICY, 2020, "2025-09-01", "incident")]},
         {"track_not_offered": S1_2}, kind="individual"),
]

IN_FORCE_CASES = [
    Case("screening works on the first day in force", on=D(2020, 8, 10)),
    Case("screening works with no end date", on=D(2040, 1, 1)),
    Case("screening before 10 August 2020 is refused citing the final section",
         on=D(2020, 8, 9), stops=Stops(PolicyNotInForce, article="八、附则")),
]

CASES = {
    "organization": ORGANIZATION_CASES,
    "lockouts": LOCKOUT_CASES,
    "individual": INDIVIDUAL_CASES,
    "special": SPECIAL_CASES,
    "in force": IN_FORCE_CASES,
}
