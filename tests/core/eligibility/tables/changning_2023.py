"""上海市长宁区政府质量奖管理办法 (2023): eligibility at its boundaries.

Screening on 2026-06-15 unless a boundary needs otherwise:
- 近3年 (losses): 2023, 2024, 2025; 近3年 (events): 2023-06-15 … 2026-06-15;
- 生产经营3年以上: on or before 2023-06-15; individuals 从事质量工作5年以上: 2021-06-15.
On 2028-02-29 the dates N years back are 28 February (conventions: 29 February shifts to 28).
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
    employer,
    incident,
    record,
    results,
    revoked,
)

POLICY = load_policy("changning-2023")

A16_1 = "第十六条第（一）项"
A16_2 = "第十六条第（二）项"
A16_5 = "第十六条第（五）项"
A16_6 = "第十六条第（六）项"
A17_1 = "第十七条第（一）项"
A17_4 = "第十七条第（四）项"
A18 = "第十八条"
A34 = "第三十四条"
A35 = "第三十五条"
LEAP = D(2028, 2, 29)

ORGANIZATION_CASES = [
    Case("the baseline organization is eligible"),
    Case("an organization registered in another district is ineligible",
         {"jurisdiction": "上海市虹口区"}, {"registered_in_jurisdiction": A16_1}),
    Case("the alias 长宁区 counts as registered in 长宁", {"jurisdiction": "长宁区"}),
    Case("established exactly 3 years before screening is eligible",
         {"established_on": "2023-06-15"}),
    Case("established one day later than 3 years before screening is ineligible",
         {"established_on": "2023-06-16"}, {"min_years_established": A16_1}),
    Case("on 29 February 2028, established on 28 February 2025 is eligible",
         {"established_on": "2025-02-28"}, on=LEAP),
    Case("on 29 February 2028, established on 1 March 2025 is ineligible",
         {"established_on": "2025-03-01"}, {"min_years_established": A16_1}, on=LEAP),
    Case("an organization without the required licences is ineligible",
         {"licensed": False}, {"licensed": A16_2}),
    Case("an organization without a chief quality officer system is ineligible",
         {"chief_quality_officer": False}, {"chief_quality_officer": A16_5}),
    Case("not stating the licences is a manual check citing 第十六条第（二）项, not a pass",
         {"licensed": None}, manual={"licensed": A16_2}),
    Case("not stating the chief quality officer system is a manual check, not a pass",
         {"chief_quality_officer": None}, manual={"chief_quality_officer": A16_5}),
    Case("a non-profit's loss still counts: 长宁 第十六条第（六）项 covers every organization",
         {"for_profit": False, "annual_results": results(2025)}, {"no_losses": A16_6}),
    Case("a loss in 2023, the first of the 3 complete years, is ineligible",
         {"annual_results": results(2023)}, {"no_losses": A16_6}),
    Case("a loss in 2025, the last complete year, is ineligible",
         {"annual_results": results(2025)}, {"no_losses": A16_6}),
    Case("a loss in 2022, the year before the 3 years, is eligible",
         {"annual_results": results(2022)}),
    Case("a loss in 2026, the year of screening, is eligible",
         {"annual_results": results(2026)}),
    Case("a policy loss in 2023 is excepted",
         {"annual_results": results(2023, policy_loss=True)}),
    Case("a missing result for 2023 becomes a manual check",
         {"annual_results": results(missing=[2023])}, manual={"no_losses": A16_6}),
    Case("a major quality incident exactly 3 years before screening counts",
         {"incidents": [incident("2023-06-15")]}, {"no_major_incidents": A16_6}),
    Case("a major quality incident one day earlier does not count",
         {"incidents": [incident("2023-06-14")]}),
    Case("on 29 February 2028, an incident on 28 February 2025 counts",
         {"incidents": [incident("2025-02-28")]}, {"no_major_incidents": A16_6}, on=LEAP),
    Case("on 29 February 2028, an incident on 27 February 2025 does not count",
         {"incidents": [incident("2025-02-27")]}, on=LEAP),
    Case("a major incident after the screening date is ignored",
         {"incidents": [incident("2026-06-16")]}),
    Case("a minor incident does not count",
         {"incidents": [incident("2025-01-01", major=False)]}),
    *[Case(f"a major {kind} incident in 2025 is ineligible",
           {"incidents": [incident("2025-01-01", kind)]}, {"no_major_incidents": A16_6})
      for kind in ("safety", "environment", "public_health", "food_safety")],
    Case("a major drug safety incident is ineligible: 长宁 lists 食品药品安全",
         {"incidents": [incident("2025-01-01", "drug_safety")]},
         {"no_major_incidents": A16_6}),
    Case("a major complaint exactly 3 years before screening counts",
         {"complaints": [complaint("2023-06-15")]}, {"no_major_complaints": A16_6}),
    Case("a major complaint one day earlier does not count",
         {"complaints": [complaint("2023-06-14")]}),
    Case("a major complaint not due to the organization still counts under 长宁",
         {"complaints": [complaint("2025-01-01", at_fault=False)]},
         {"no_major_complaints": A16_6}),
    Case("serious dishonesty exactly 3 years before screening counts",
         {"dishonesty": [record("2023-06-15")]}, {"no_serious_dishonesty": A16_6}),
    Case("serious dishonesty one day earlier does not count",
         {"dishonesty": [record("2023-06-14")]}),
    Case("dishonesty that is not serious does not count",
         {"dishonesty": [record("2025-01-01", serious=False)]}),
    Case("applying for the city award in the same year is ineligible",
         {"other_applications": [city_application(2026)]},
         {"not_applying_to_city_award_same_year": A18}),
    Case("having applied for the city award the year before is eligible",
         {"other_applications": [city_application(2025)]}),
    Case("a failed inspection is not a condition under 长宁",
         {"failed_inspections": ["2025-01-01"]}),
    Case("a serious violation is not a separate condition under 长宁",
         {"violations": [record("2025-01-01")]}),
    Case("not being an independent legal person is not a condition under 长宁",
         {"legal_person": False}),
    Case("not paying tax in the district is not a condition under 长宁",
         {"pays_tax_locally": False}),
    Case("not practising performance excellence is not a condition under 长宁",
         {"excellence_model_since": None}),
    Case("a national award gives no fast track under 长宁",
         {"awards": [{"level": "national", "year": 2025}]}),
]

# 第十八条 不得再次申报曾获奖项: the award that was won (第二条 sets up two awards), not both.
# (The draft's 不得再次申报区政府质量奖 was dropped from the final text.)
LOCKOUT_CASES = [
    Case("a 区长质量奖 winner of 2022 may still receive 质量金奖, not 区长质量奖 until 2026",
         {"awards": [district_award(POLICY, 2022, "mayor")]},
         excluded={"mayor": (A18, D(2026, 12, 31))}),
    Case("a 质量金奖 winner of 2022 is eligible but not for 质量金奖 until 2026-12-31",
         {"awards": [district_award(POLICY, 2022, "gold")]},
         excluded={"gold": (A18, D(2026, 12, 31))}),
    Case("a winner of 2021 may apply for either award in 2026 (2026 - 2021 = 5)",
         {"awards": [district_award(POLICY, 2021, "mayor")]}),
    Case("a 质量金奖 winner of 2026 is excluded from 质量金奖 until 31 December 2030",
         {"awards": [district_award(POLICY, 2026, "gold")]},
         excluded={"gold": (A18, D(2030, 12, 31))}),
    Case("a winner of both awards within 5 years is ineligible until the first exclusion ends",
         {"awards": [district_award(POLICY, 2025, "mayor"), district_award(POLICY, 2023, "gold")]},
         {"after_award_lockout": A18}, barred_until=D(2027, 12, 31),
         excluded={"mayor": (A18, D(2029, 12, 31)), "gold": (A18, D(2027, 12, 31))}),
    Case("a win without the tier is a manual check: the tier decides what is excluded",
         {"awards": [district_award(POLICY, 2024, None)]},
         manual={"after_award_lockout": A18}),
    Case("a win written with the English name Changning District excludes the award won",
         {"awards": [district_award(POLICY, 2024, "gold", jurisdiction="Changning District")]},
         excluded={"gold": (A18, D(2028, 12, 31))}),
    Case("a win written as 长宁区人民政府 is a manual check citing 第十八条",
         {"awards": [district_award(POLICY, 2024, "gold", jurisdiction="长宁区人民政府")]},
         manual={"after_award_lockout": A18}),
    Case("a win of a tier this regulation does not know is a manual check",
         {"awards": [district_award(POLICY, 2024, "silver")]},
         manual={"after_award_lockout": A18}),
    Case("another district's award does not bar",
         {"awards": [district_award(POLICY, 2024, "mayor", jurisdiction="上海市虹口区")]}),
    Case("a revoked award of 2024 does not count as a win: only the fraud lockout applies",
         {"awards": [revoked(POLICY, 2024, "2025-03-01", "fraud")]},
         {"revocation_lockout": A34}, barred_until=D(2030, 3, 1)),
    Case("revoked for fraud exactly 5 years before screening is still barred that day",
         {"awards": [revoked(POLICY, 2019, "2021-06-15", "fraud")]},
         {"revocation_lockout": A34}, barred_until=D(2026, 6, 15)),
    Case("revoked for fraud one day earlier may apply",
         {"awards": [revoked(POLICY, 2019, "2021-06-14", "fraud")]}),
    Case("revoked for an incident exactly 5 years before screening is still barred",
         {"awards": [revoked(POLICY, 2019, "2021-06-15", "incident")]},
         {"revocation_lockout": A35}, barred_until=D(2026, 6, 15)),
    Case("revoked for an incident one day earlier may apply",
         {"awards": [revoked(POLICY, 2019, "2021-06-14", "incident")]}),
]

INDIVIDUAL_CASES = [
    Case("the baseline individual is eligible", kind="individual"),
    Case("quality work in the district since exactly 5 years before screening is eligible",
         {"established_on": "2021-06-15"}, kind="individual"),
    Case("quality work in the district one day less than 5 years is ineligible",
         {"established_on": "2021-06-16"}, {"min_years_established": A17_1},
         kind="individual"),
    Case("an individual working in another district is ineligible",
         {"jurisdiction": "上海市虹口区"}, {"registered_in_jurisdiction": A17_1},
         kind="individual"),
    Case("the organization's major incident exactly 3 years ago fails the person",
         {"employer": employer(POLICY, incidents=[incident("2023-06-15", "environment")])},
         {"employer_record": A17_4}, kind="individual"),
    Case("the organization's incident one day earlier does not",
         {"employer": employer(POLICY, incidents=[incident("2023-06-14", "environment")])},
         kind="individual"),
    Case("the organization's record counts even when the person is not its top manager",
         {"top_manager": False, "employer": employer(POLICY, incidents=[incident("2025-01-01")])},
         {"employer_record": A17_4}, kind="individual"),
    Case("the organization's drug safety incident fails the person",
         {"employer": employer(POLICY, incidents=[incident("2025-01-01", "drug_safety")])},
         {"employer_record": A17_4}, kind="individual"),
    Case("the organization's major complaint fails the person",
         {"employer": employer(POLICY, complaints=[complaint("2024-01-01")])},
         {"employer_record": A17_4}, kind="individual"),
    Case("the organization's serious dishonesty within 3 years fails the person",
         {"employer": employer(POLICY, dishonesty=[record("2023-06-15")])},
         {"employer_record": A17_4}, kind="individual"),
    Case("the organization's dishonesty one day too old does not",
         {"employer": employer(POLICY, dishonesty=[record("2023-06-14")])},
         kind="individual"),
    Case("without the organization's record, a manual check (even if not top manager)",
         {"employer": None, "top_manager": False}, manual={"employer_record": A17_4},
         kind="individual"),
    Case("the person's own dishonesty record is not a condition of 第十七条",
         {"dishonesty": [record("2025-01-01")]}, kind="individual"),
    Case("an individual applying for the city award in the same year is ineligible",
         {"other_applications": [city_application(2026)]},
         {"not_applying_to_city_award_same_year": A18}, kind="individual"),
    Case("an individual 质量金奖 winner of 2023 may still receive 区长质量奖",
         {"awards": [district_award(POLICY, 2023, "gold")]},
         excluded={"gold": (A18, D(2027, 12, 31))}, kind="individual"),
    Case("an individual who won both awards within 5 years is ineligible",
         {"awards": [district_award(POLICY, 2023, "gold"), district_award(POLICY, 2024, "mayor")]},
         {"after_award_lockout": A18}, barred_until=D(2027, 12, 31),
         excluded={"gold": (A18, D(2027, 12, 31)), "mayor": (A18, D(2028, 12, 31))},
         kind="individual"),
    Case("an individual whose award was revoked for an incident is barred 5 years",
         {"awards": [revoked(POLICY, 2021, "2022-09-01", "incident")]},
         {"revocation_lockout": A35}, barred_until=D(2027, 9, 1), kind="individual"),
]


IN_FORCE_CASES = [
    *[Case(f"the baseline {kind} is eligible on {when}", on=on, kind=kind)
      for when, on in (("the first day in force", D(2023, 11, 15)),
                       ("the last day in force", D(2028, 11, 14)))
      for kind in ("organization", "individual")],
    *[Case(f"screening on {when} names 第三十九条", on=on,
           stops=Stops(PolicyNotInForce, article="第三十九条"))
      for when, on in (("the day before it took effect", D(2023, 11, 14)),
                       ("the day after it expired", D(2028, 11, 15)))],
]

CASES = {
    "organization": ORGANIZATION_CASES,
    "lockouts": LOCKOUT_CASES,
    "individual": INDIVIDUAL_CASES,
    "in force": IN_FORCE_CASES,
}
