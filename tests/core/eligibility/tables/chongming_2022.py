"""崇明区政府质量奖管理办法 (沪崇府规〔2022〕6号): eligibility at its boundaries.

Screening on 2026-06-15 unless a boundary needs otherwise:
- 近5年 (losses): 2021 … 2025; 近5年 (events): 2021-06-15 … 2026-06-15;
- 合法生产、经营3年以上: on or before 2023-06-15.
Organizations only; in force 2022-12-18 … 2027-11-30 (第四十一条).
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

POLICY = load_policy("chongming-2022")

A2 = "第二条"
A16_1 = "第十六条第（一）项"
A16_2 = "第十六条第（二）项"
A16_3 = "第十六条第（三）项"
A16_5 = "第十六条第（五）项"
A16_6 = "第十六条第（六）项"
A17 = "第十七条"
A34 = "第三十四条"
A35 = "第三十五条"

ORGANIZATION_CASES = [
    Case("the baseline organization is eligible"),
    Case("an organization registered in another district is ineligible",
         {"jurisdiction": "上海市长宁区"}, {"registered_in_jurisdiction": A16_1}),
    Case("the alias 崇明区 counts as registered in 崇明", {"jurisdiction": "崇明区"}),
    Case("operating since exactly 3 years before screening is eligible",
         {"established_on": "2023-06-15"}),
    Case("operating one day less than 3 years is ineligible",
         {"established_on": "2023-06-16"}, {"min_years_established": A16_2}),
    Case("an organization without the required licences is ineligible",
         {"licensed": False}, {"licensed": A16_3}),
    Case("an organization without a chief quality officer system is ineligible",
         {"chief_quality_officer": False}, {"chief_quality_officer": A16_6}),
    Case("not stating the licences is a manual check citing 第十六条第（三）项, not a pass",
         {"licensed": None}, manual={"licensed": A16_3}),
    Case("not stating the chief quality officer system is a manual check, not a pass",
         {"chief_quality_officer": None}, manual={"chief_quality_officer": A16_6}),
    Case("facts 崇明 does not ask for may be left unstated",
         {"legal_person": None, "pays_tax_locally": None}),
    Case("a loss in 2021, the first of the 5 complete years, is ineligible",
         {"annual_results": results(2021)}, {"no_losses": A16_5}),
    Case("a loss in 2025, the last complete year, is ineligible",
         {"annual_results": results(2025)}, {"no_losses": A16_5}),
    Case("a loss in 2020, the year before the 5 years, is eligible",
         {"annual_results": results(2020)}),
    Case("a loss in 2026, the year of screening, is eligible",
         {"annual_results": results(2026)}),
    # 第十六条第（五）项: 从事生产、经营活动的 … 近5年未发生亏损; 从事非盈利性业务的, social
    # contribution instead.
    Case("a non-profit's deficit in 2025 is not a loss: social contribution is a manual check",
         {"for_profit": False, "annual_results": results(2025)},
         manual={"no_losses": A16_5}),
    Case("a non-profit without a deficit is judged by social contribution too",
         {"for_profit": False}, manual={"no_losses": A16_5}),
    Case("a non-profit without annual results is not asked for them",
         {"for_profit": False, "annual_results": results(missing=range(2005, 2036))},
         manual={"no_losses": A16_5}),
    Case("not stating whether it does business with a loss in 2025 is a manual check",
         {"for_profit": None, "annual_results": results(2025)},
         manual={"no_losses": A16_5}),
    Case("not stating whether it does business is a manual check even without a loss",
         {"for_profit": None}, manual={"no_losses": A16_5}),
    Case("a policy loss in 2022 is excepted",
         {"annual_results": results(2022, policy_loss=True)}),
    Case("a missing result for 2021 becomes a manual check",
         {"annual_results": results(missing=[2021])}, manual={"no_losses": A16_5}),
    Case("results for years before the organization existed are not asked for",
         {"established_on": "2022-01-01", "annual_results": results(missing=[2021])}),
    Case("a missing result for the year the organization was established is a manual check",
         {"established_on": "2021-01-01", "annual_results": results(missing=[2021])},
         manual={"no_losses": A16_5}),
    Case("a loss in the year the organization was established counts",
         {"established_on": "2021-01-01", "annual_results": results(2021)},
         {"no_losses": A16_5}),
    Case("a major quality incident exactly 5 years before screening counts",
         {"incidents": [incident("2021-06-15")]}, {"no_major_incidents": A16_6}),
    Case("a major quality incident one day earlier does not count",
         {"incidents": [incident("2021-06-14")]}),
    Case("a major incident after the screening date is ignored",
         {"incidents": [incident("2026-06-16")]}),
    Case("a minor incident does not count",
         {"incidents": [incident("2025-01-01", major=False)]}),
    *[Case(f"a major {kind} incident in 2025 is ineligible",
           {"incidents": [incident("2025-01-01", kind)]}, {"no_major_incidents": A16_6})
      for kind in ("safety", "environment", "public_health", "food_safety")],
    Case("a major drug safety incident is a manual check because the list ends with 等",
         {"incidents": [incident("2025-01-01", "drug_safety")]},
         manual={"no_major_incidents": A16_6}),
    Case("a major complaint exactly 5 years before screening counts",
         {"complaints": [complaint("2021-06-15")]}, {"no_major_complaints": A16_6}),
    Case("a major complaint one day earlier does not count",
         {"complaints": [complaint("2021-06-14")]}),
    Case("a major complaint not due to the organization still counts under 崇明",
         {"complaints": [complaint("2025-01-01", at_fault=False)]},
         {"no_major_complaints": A16_6}),
    Case("serious dishonesty exactly 5 years before screening counts",
         {"dishonesty": [record("2021-06-15")]}, {"no_serious_dishonesty": A16_6}),
    Case("serious dishonesty one day earlier does not count",
         {"dishonesty": [record("2021-06-14")]}),
    Case("dishonesty that is not serious does not count",
         {"dishonesty": [record("2025-01-01", serious=False)]}),
    Case("applying for the city award in the same year is ineligible",
         {"other_applications": [city_application(2026)]},
         {"not_applying_to_city_award_same_year": A17}),
    *[Case(f"applying for {whose}'s city award in the same year is ineligible",
           {"other_applications": [city_application(2026, whose)]},
           {"not_applying_to_city_award_same_year": A17})
      for whose in ("上海市", "上海", "Shanghai", "shanghai city")],
    # 本市: another city's award does not bar.
    Case("applying for 杭州市's city award in the same year is eligible (本市 only)",
         {"other_applications": [city_application(2026, "杭州市")]}),
    Case("applying for Luoyang's city award in the same year is eligible (本市 only)",
         {"other_applications": [city_application(2026, "Luoyang")]}),
    Case("a same-year city application naming a place the engine cannot read is a manual check",
         {"other_applications": [city_application(2026, "上海市人民政府")]},
         manual={"not_applying_to_city_award_same_year": A17}),
    Case("an unreadable place on last year's city application needs nothing",
         {"other_applications": [city_application(2025, "上海市人民政府")]}),
    Case("having applied for the city award the year before is eligible",
         {"other_applications": [city_application(2025)]}),
    Case("a failed inspection is not a condition under 崇明",
         {"failed_inspections": ["2025-01-01"]}),
    Case("a serious violation is not a separate condition under 崇明",
         {"violations": [record("2025-01-01")]}),
    Case("not being an independent legal person is not a condition under 崇明",
         {"legal_person": False}),
    Case("not paying tax in the district is not a condition under 崇明",
         {"pays_tax_locally": False}),
    Case("not practising performance excellence is not a condition under 崇明",
         {"excellence_model_since": None}),
    Case("a national award gives no fast track under 崇明",
         {"awards": [{"level": "national", "year": 2025}]}),
]

# 第十七条 不得再次申报曾获奖项: the award that was won (第二条 sets up two awards), not both.
LOCKOUT_CASES = [
    Case("a 区长质量奖 winner of 2022 is eligible but not for 区长质量奖 until 2026-12-31",
         {"awards": [district_award(POLICY, 2022, "mayor")]},
         excluded={"mayor": (A17, D(2026, 12, 31))}),
    Case("a 质量金奖 winner of 2022 is eligible but not for 质量金奖 until 2026-12-31",
         {"awards": [district_award(POLICY, 2022, "gold")]},
         excluded={"gold": (A17, D(2026, 12, 31))}),
    Case("a winner of 2021 may apply for either award in 2026 (2026 - 2021 = 5)",
         {"awards": [district_award(POLICY, 2021, "mayor")]}),
    Case("a 质量金奖 winner of 2025 is excluded from 质量金奖 until 31 December 2029",
         {"awards": [district_award(POLICY, 2025, "gold")]},
         excluded={"gold": (A17, D(2029, 12, 31))}),
    Case("a winner of both awards within 5 years is ineligible until the first exclusion ends",
         {"awards": [district_award(POLICY, 2022, "mayor"), district_award(POLICY, 2025, "gold")]},
         {"after_award_lockout": A17}, barred_until=D(2026, 12, 31),
         excluded={"mayor": (A17, D(2026, 12, 31)), "gold": (A17, D(2029, 12, 31))}),
    Case("two wins of the same award keep the later end",
         {"awards": [district_award(POLICY, 2022, "gold"), district_award(POLICY, 2024, "gold")]},
         excluded={"gold": (A17, D(2028, 12, 31))}),
    Case("a win without the tier is a manual check: the tier decides what is excluded",
         {"awards": [district_award(POLICY, 2024, None)]},
         manual={"after_award_lockout": A17}),
    Case("a win written with the English name Chongming excludes the award won",
         {"awards": [district_award(POLICY, 2024, "mayor", jurisdiction="Chongming")]},
         excluded={"mayor": (A17, D(2028, 12, 31))}),
    Case("a win written as 崇明区人民政府 is a manual check citing 第十七条",
         {"awards": [district_award(POLICY, 2024, "mayor", jurisdiction="崇明区人民政府")]},
         manual={"after_award_lockout": A17}),
    Case("a win with a misspelt place is a manual check citing 第十七条",
         {"awards": [district_award(POLICY, 2024, "gold", jurisdiction="崇名区")]},
         manual={"after_award_lockout": A17}),
    Case("a revocation written as 崇明区人民政府 is a manual check citing 第三十四条",
         {"awards": [revoked(POLICY, 2023, "2024-01-20", "fraud", jurisdiction="崇明区人民政府")]},
         manual={"revocation_lockout": A34}),
    Case("a win of a tier this regulation does not know is a manual check",
         {"awards": [district_award(POLICY, 2023, "silver")]},
         manual={"after_award_lockout": A17}),
    Case("another district's award does not bar",
         {"awards": [district_award(POLICY, 2024, "mayor", jurisdiction="上海市虹口区")]}),
    Case("a revoked award of 2023 does not count as a win: only the fraud lockout applies",
         {"awards": [revoked(POLICY, 2023, "2024-01-20", "fraud")]},
         {"revocation_lockout": A34}, barred_until=D(2029, 1, 20)),
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
    Case("an individual application is refused: 崇明 awards organizations only",
         {}, {"track_not_offered": A2}, kind="individual"),
]


IN_FORCE_CASES = [
    Case("screening works on the first day in force", on=D(2022, 12, 18)),
    Case("screening works on the last day in force", on=D(2027, 11, 30)),
    *[Case(f"screening on {when} names 第四十一条", on=on,
           stops=Stops(PolicyNotInForce, article="第四十一条"))
      for when, on in (("the day before it took effect", D(2022, 12, 17)),
                       ("the day after it expired", D(2027, 12, 1)))],
]

CASES = {
    "organization": ORGANIZATION_CASES,
    "lockouts": LOCKOUT_CASES,
    "individual": INDIVIDUAL_CASES,
    "in force": IN_FORCE_CASES,
}
