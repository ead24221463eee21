"""瀍河回族区区长质量奖管理办法 (瀍政〔2021〕10号): eligibility at its boundaries.

Screening on 2026-06-15 unless a boundary needs otherwise:
- 近2年 (losses, 无生产经营亏损情况): 2024, 2025 — policy losses are NOT excepted;
- 近2年 (events): 2024-06-15 … 2026-06-15; 主体业务正常运行3年以上: on or before 2023-06-15.
The text requires paying tax in 瀍河, not registration there; it sets no lockout after a win
and takes no individual applications. It takes effect 自印发之日起 with no printed date.
"""

from __future__ import annotations

from qaward.core.errors import ConfigurationRequired, PolicyNotInForce
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

POLICY = load_policy("chanhe-2021")

A2 = "第二条"
A10 = "第十条"
A11 = "第十一条"
A28 = "第二十八条"
A29 = "第二十九条"

ORGANIZATION_CASES = [
    Case("the baseline organization is eligible"),
    Case("registered elsewhere but paying tax in 瀍河 is eligible (登记注册手续完备 only)",
         {"jurisdiction": "上海市虹口区"}),
    Case("an organization not paying tax in 瀍河 is ineligible",
         {"pays_tax_locally": False}, {"pays_tax_locally": A10}),
    Case("not stating where tax is paid is a manual check citing 第十条, not a pass",
         {"pays_tax_locally": None}, manual={"pays_tax_locally": A10}),
    Case("an organization without the required licences is ineligible",
         {"licensed": False}, {"licensed": A10}),
    Case("not stating the licences is a manual check citing 第十条, not a pass",
         {"licensed": None}, manual={"licensed": A10}),
    Case("a non-profit's deficit is still a loss under 瀍河 (no exception for non-profits)",
         {"for_profit": False, "annual_results": results(2025)}, {"no_losses": A11}),
    Case("operating since exactly 3 years before screening is eligible",
         {"established_on": "2023-06-15"}),
    Case("operating one day less than 3 years is ineligible",
         {"established_on": "2023-06-16"}, {"min_years_established": A10}),
    Case("an organization that does not practise performance excellence is ineligible",
         {"excellence_model_since": None}, {"excellence_model": A10}),
    Case("performance excellence practised from the screening date on is enough",
         {"excellence_model_since": "2026-06-15"}),
    Case("performance excellence starting after the screening date is not",
         {"excellence_model_since": "2026-06-16"}, {"excellence_model": A10}),
    Case("a loss in 2024, the first of the 2 complete years, is ineligible",
         {"annual_results": results(2024)}, {"no_losses": A11}),
    Case("a loss in 2025, the last complete year, is ineligible",
         {"annual_results": results(2025)}, {"no_losses": A11}),
    Case("a loss in 2023, the year before the 2 years, is eligible",
         {"annual_results": results(2023)}),
    Case("a loss in 2026, the year of screening, is eligible",
         {"annual_results": results(2026)}),
    Case("a policy loss in 2024 is NOT excepted under 瀍河",
         {"annual_results": results(2024, policy_loss=True)}, {"no_losses": A11}),
    Case("a missing result for 2025 becomes a manual check",
         {"annual_results": results(missing=[2025])}, manual={"no_losses": A11}),
    Case("a missing result for 2023 is outside the 2 years and needs nothing",
         {"annual_results": results(missing=[2023])}),
    Case("a major quality incident exactly 2 years before screening counts",
         {"incidents": [incident("2024-06-15")]}, {"no_major_incidents": A11}),
    Case("a major quality incident one day earlier does not count",
         {"incidents": [incident("2024-06-14")]}),
    Case("a major incident after the screening date is ignored",
         {"incidents": [incident("2026-06-16")]}),
    Case("a minor incident does not count",
         {"incidents": [incident("2025-01-01", major=False)]}),
    *[Case(f"a major {kind} incident in 2025 is ineligible",
           {"incidents": [incident("2025-01-01", kind)]}, {"no_major_incidents": A11})
      for kind in ("safety", "environment", "public_health", "food_safety")],
    Case("a major drug safety incident is a manual check because the list ends with 等",
         {"incidents": [incident("2025-01-01", "drug_safety")]},
         manual={"no_major_incidents": A11}),
    Case("a major complaint exactly 2 years before screening counts",
         {"complaints": [complaint("2024-06-15")]}, {"no_major_complaints": A11}),
    Case("a major complaint one day earlier does not count",
         {"complaints": [complaint("2024-06-14")]}),
    Case("a major complaint not due to the organization still counts under 瀍河",
         {"complaints": [complaint("2025-01-01", at_fault=False)]},
         {"no_major_complaints": A11}),
    Case("serious dishonesty exactly 2 years before screening counts",
         {"dishonesty": [record("2024-06-15")]}, {"no_serious_dishonesty": A11}),
    Case("serious dishonesty one day earlier does not count",
         {"dishonesty": [record("2024-06-14")]}),
    Case("a serious violation exactly 2 years before screening counts",
         {"violations": [record("2024-06-15")]}, {"no_serious_violations": A11}),
    Case("a serious violation one day earlier does not count",
         {"violations": [record("2024-06-14")]}),
    Case("a violation that is not serious does not count",
         {"violations": [record("2025-01-01", serious=False)]}),
    Case("applying for the city award in the same year is not forbidden by 瀍河",
         {"other_applications": [city_application(2026)]}),
    Case("a failed inspection is not a condition under 瀍河",
         {"failed_inspections": ["2025-01-01"]}),
    Case("no chief quality officer is not a condition under 瀍河",
         {"chief_quality_officer": False}),
    Case("not being an independent legal person is not a condition under 瀍河",
         {"legal_person": False}),
    Case("a national award gives no fast track under 瀍河",
         {"awards": [{"level": "national", "year": 2025}]}),
]

LOCKOUT_CASES = [
    Case("a winner of 2025 may apply again: 瀍河 sets no lockout after a win",
         {"awards": [district_award(POLICY, 2025, "mayor")]}),
    Case("a winner of the screening year may apply again",
         {"awards": [district_award(POLICY, 2026, "mayor")]}),
    Case("revoked for fraud exactly 4 years before screening is still barred that day",
         {"awards": [revoked(POLICY, 2020, "2022-06-15", "fraud")]},
         {"revocation_lockout": A28}, barred_until=D(2026, 6, 15)),
    Case("revoked for fraud one day earlier may apply",
         {"awards": [revoked(POLICY, 2020, "2022-06-14", "fraud")]}),
    Case("revoked for an incident exactly 4 years before screening is still barred",
         {"awards": [revoked(POLICY, 2021, "2022-06-15", "incident")]},
         {"revocation_lockout": A29}, barred_until=D(2026, 6, 15)),
    Case("revoked for an incident one day earlier may apply",
         {"awards": [revoked(POLICY, 2021, "2022-06-14", "incident")]}),
    Case("revoked for fraud in 2025 is barred until 2029",
         {"awards": [revoked(POLICY, 2024, "2025-04-30", "fraud")]},
         {"revocation_lockout": A28}, barred_until=D(2029, 4, 30)),
    Case("another district's revoked award does not bar",
         {"awards": [revoked(POLICY, 2024, "2025-04-30", "fraud", jurisdiction="长宁区")]}),
    Case("a revoked award written with the English name Chanhe bars",
         {"awards": [revoked(POLICY, 2024, "2025-04-30", "fraud", jurisdiction="Chanhe")]},
         {"revocation_lockout": A28}, barred_until=D(2029, 4, 30)),
    Case("a revoked award written as 瀍河回族区人民政府 is a manual check citing 第二十八条",
         {"awards": [revoked(POLICY, 2024, "2025-04-30", "fraud",
                             jurisdiction="瀍河回族区人民政府")]},
         manual={"revocation_lockout": A28}),
    Case("a win with an unreadable place needs nothing: 瀍河 sets no lockout after a win",
         {"awards": [district_award(POLICY, 2025, "mayor", jurisdiction="Chanhee")]}),
]

INDIVIDUAL_CASES = [
    Case("an individual application is refused: 瀍河 awards organizations only",
         {}, {"track_not_offered": A2}, kind="individual"),
]


INDIVIDUAL_CASES += [
    Case("an individual is refused with both messages naming the organization award",
         {}, {"track_not_offered": A2}, kind="individual",
         says={"track_not_offered": ("组织奖", "individual")}),
]

IN_FORCE_CASES = [
    *[Case(f"screening works on {when}", on=on)
      for when, on in (("31 December 2021 (certainly in force: issued in 2021)",
                        D(2021, 12, 31)),
                       ("1 January 2022 (certainly in force)", D(2022, 1, 1)),
                       ("a date in 2026", D(2026, 6, 15)))],
    Case("screening works with no end date (results for 2038-2039 missing: a manual check)",
         on=D(2040, 1, 1), manual={"no_losses": A11}),
    *[Case(f"{when} needs the configured first day", on=on,
           stops=Stops(ConfigurationRequired, key="in_force.from"))
      for when, on in (("a date in 2021", D(2021, 6, 15)),
                       ("the first day of 2021", D(2021, 1, 1)),
                       ("the day before the last day of 2021", D(2021, 12, 30)))],
    *[Case(f"{when} is not in force (第三十条)", on=on,
           stops=Stops(PolicyNotInForce, article="第三十条"))
      for when, on in (("the last day of 2020", D(2020, 12, 31)),
                       ("a date in 2020", D(2020, 6, 15)))],
]

CASES = {
    "organization": ORGANIZATION_CASES,
    "lockouts": LOCKOUT_CASES,
    "individual": INDIVIDUAL_CASES,
    "in force": IN_FORCE_CASES,
}
