"""虹口区区长质量奖管理办法 (虹府规〔2021〕1号): eligibility at its boundaries.

Screening on 2026-06-15 unless a boundary needs otherwise (the regulation expires 2026-11-21):
- 近3年 (losses): 2023, 2024, 2025; 近3年 (events): 2023-06-15 … 2026-06-15;
- 生产经营3年以上 / 从事质量工作3年以上: on or before 2023-06-15.
"""

from __future__ import annotations

import pytest

from qaward.core.eligibility import parse_profile, screen
from qaward.core.errors import PolicyNotInForce
from qaward.core.policy import load_policy

from .helpers import (
    Case,
    D,
    city_application,
    complaint,
    district_award,
    employer,
    incident,
    individual,
    organization,
    params,
    record,
    results,
    revoked,
    run,
)

POLICY = load_policy("hongkou-2021")

A11_1 = "第十一条第（一）项"
A11_2 = "第十一条第（二）项"
A11_5 = "第十一条第（五）项"
A12_1 = "第十二条第（一）项"
A12_3 = "第十二条第（三）项"
A13 = "第十三条"
A28 = "第二十八条"
A29 = "第二十九条"
A15 = "第十五条"

ORGANIZATION_CASES = [
    Case("the baseline organization is eligible"),
    Case("an organization registered in another district is ineligible",
         {"jurisdiction": "上海市长宁区"}, {"registered_in_jurisdiction": A11_1}),
    Case("the alias 虹口区 counts as registered in the district", {"jurisdiction": "虹口区"}),
    Case("the jurisdiction id counts as registered in the district",
         {"jurisdiction": "shanghai-hongkou"}),
    Case("established exactly 3 years before screening is eligible",
         {"established_on": "2023-06-15"}),
    Case("established one day later than 3 years before screening is ineligible",
         {"established_on": "2023-06-16"}, {"min_years_established": A11_1}),
    Case("an organization without the required licences is ineligible",
         {"licensed": False}, {"licensed": A11_2}),
    Case("a loss in 2023, the first of the 3 complete years, is ineligible",
         {"annual_results": results(2023)}, {"no_losses": A11_5}),
    Case("a loss in 2025, the last complete year, is ineligible",
         {"annual_results": results(2025)}, {"no_losses": A11_5}),
    Case("a loss in 2022, the year before the 3 years, is eligible",
         {"annual_results": results(2022)}),
    Case("a loss in 2026, the year of screening, is eligible",
         {"annual_results": results(2026)}),
    Case("breaking even in 2024 (profit 0) is not a loss",
         {"annual_results": [{**r, "profit": 0.0} if r["year"] == 2024 else r
                             for r in results()]}),
    Case("a policy loss in 2024 is excepted",
         {"annual_results": results(2024, policy_loss=True)}),
    Case("a missing result for 2024 becomes a manual check",
         {"annual_results": results(missing=[2024])}, manual={"no_losses": A11_5}),
    Case("a missing result for 2022 is outside the 3 years and needs nothing",
         {"annual_results": results(missing=[2022])}),
    Case("a major quality incident exactly 3 years before screening counts",
         {"incidents": [incident("2023-06-15")]}, {"no_major_incidents": A11_5}),
    Case("a major quality incident one day earlier does not count",
         {"incidents": [incident("2023-06-14")]}),
    Case("a major incident on the screening date counts",
         {"incidents": [incident("2026-06-15")]}, {"no_major_incidents": A11_5}),
    Case("a major incident after the screening date is ignored",
         {"incidents": [incident("2026-06-16")]}),
    Case("a minor quality incident does not count",
         {"incidents": [incident("2025-01-01", major=False)]}),
    *[Case(f"a major {kind} incident in 2025 is ineligible",
           {"incidents": [incident("2025-01-01", kind)]}, {"no_major_incidents": A11_5})
      for kind in ("safety", "environment", "public_health", "food_safety")],
    Case("a major drug safety incident is a manual check because the list ends with 等",
         {"incidents": [incident("2025-01-01", "drug_safety")]},
         manual={"no_major_incidents": A11_5}),
    Case("a major complaint exactly 3 years before screening counts",
         {"complaints": [complaint("2023-06-15")]}, {"no_major_complaints": A11_5}),
    Case("a major complaint one day earlier does not count",
         {"complaints": [complaint("2023-06-14")]}),
    Case("a major complaint not due to the organization still counts under 虹口",
         {"complaints": [complaint("2025-01-01", at_fault=False)]},
         {"no_major_complaints": A11_5}),
    Case("a minor complaint does not count",
         {"complaints": [complaint("2025-01-01", major=False)]}),
    Case("serious dishonesty exactly 3 years before screening counts",
         {"dishonesty": [record("2023-06-15")]}, {"no_serious_dishonesty": A11_5}),
    Case("serious dishonesty one day earlier does not count",
         {"dishonesty": [record("2023-06-14")]}),
    Case("dishonesty that is not serious does not count",
         {"dishonesty": [record("2025-01-01", serious=False)]}),
    Case("applying for the city award in the same year is ineligible",
         {"other_applications": [city_application(2026)]},
         {"not_applying_to_city_award_same_year": A13}),
    Case("having applied for the city award the year before is eligible",
         {"other_applications": [city_application(2025)]}),
    Case("applying to another district's award in the same year is not the city award",
         {"other_applications": [{"level": "district", "jurisdiction": "长宁区", "year": 2026}]}),
    # Conditions of other regulations are not conditions here.
    Case("a failed inspection is not a condition under 虹口",
         {"failed_inspections": ["2025-01-01"]}),
    Case("a serious violation is not a separate condition under 虹口",
         {"violations": [record("2025-01-01")]}),
    Case("no chief quality officer is not a condition under 虹口",
         {"chief_quality_officer": False}),
    Case("not being an independent legal person is not a condition under 虹口",
         {"legal_person": False}),
    Case("not paying tax in the district is not a condition under 虹口",
         {"pays_tax_locally": False}),
    Case("not practising performance excellence is not a condition under 虹口",
         {"excellence_model_since": None}),
]

LOCKOUT_CASES = [
    Case("a gold winner of 2024 is barred until 31 December 2026",
         {"awards": [district_award(POLICY, 2024, "gold")]},
         {"after_award_lockout": A13}, barred_until=D(2026, 12, 31)),
    Case("a silver winner of 2024 is barred too: both tiers bar",
         {"awards": [district_award(POLICY, 2024, "silver")]},
         {"after_award_lockout": A13}, barred_until=D(2026, 12, 31)),
    Case("a winner of 2023 may apply in 2026 (2026 - 2023 = 3)",
         {"awards": [district_award(POLICY, 2023, "gold")]}),
    Case("a winner of 2026 is barred until 31 December 2028",
         {"awards": [district_award(POLICY, 2026, "gold")]},
         {"after_award_lockout": A13}, barred_until=D(2028, 12, 31)),
    Case("a win of 2024 with no tier given bars",
         {"awards": [district_award(POLICY, 2024, None)]},
         {"after_award_lockout": A13}, barred_until=D(2026, 12, 31)),
    Case("a win without a jurisdiction is taken as this district's",
         {"awards": [{"level": "district", "year": 2025, "tier": "gold"}]},
         {"after_award_lockout": A13}, barred_until=D(2027, 12, 31)),
    Case("a win of a tier this regulation does not know is a manual check",
         {"awards": [district_award(POLICY, 2025, "bronze")]},
         manual={"after_award_lockout": A13}),
    Case("another district's award does not bar",
         {"awards": [district_award(POLICY, 2025, "gold", jurisdiction="上海市长宁区")]}),
    Case("the city award does not bar (it gives the fast track instead)",
         {"awards": [{"level": "city", "jurisdiction": "上海市", "year": 2025}]},
         fast_track=True),
    Case("a revoked award of 2024 does not count as a win: only the fraud lockout applies",
         {"awards": [revoked(POLICY, 2024, "2024-03-01", "fraud")]},
         {"revocation_lockout": A28}, barred_until=D(2027, 3, 1)),
    Case("an award revoked only after the screening date still bars as a win",
         {"awards": [revoked(POLICY, 2025, "2026-06-16", "fraud")]},
         {"after_award_lockout": A13}, barred_until=D(2027, 12, 31)),
    Case("an award revoked on the screening date no longer counts as a win",
         {"awards": [revoked(POLICY, 2025, "2026-06-15", "fraud")]},
         {"revocation_lockout": A28}, barred_until=D(2029, 6, 15)),
    Case("revoked for fraud exactly 3 years before screening is still barred that day",
         {"awards": [revoked(POLICY, 2020, "2023-06-15", "fraud")]},
         {"revocation_lockout": A28}, barred_until=D(2026, 6, 15)),
    Case("revoked for fraud one day earlier may apply",
         {"awards": [revoked(POLICY, 2020, "2023-06-14", "fraud")]}),
    Case("revoked for an incident exactly 3 years before screening is still barred",
         {"awards": [revoked(POLICY, 2020, "2023-06-15", "incident")]},
         {"revocation_lockout": A29}, barred_until=D(2026, 6, 15)),
    Case("revoked for an incident one day earlier may apply",
         {"awards": [revoked(POLICY, 2020, "2023-06-14", "incident")]}),
    Case("a revoked award of another district does not bar",
         {"awards": [revoked(POLICY, 2024, "2025-01-01", "fraud", jurisdiction="长宁区")]}),
    Case("a revoked city award does not bar",
         {"awards": [{"level": "city", "jurisdiction": "上海市", "year": 2024,
                      "revoked_on": "2025-01-01", "revocation_cause": "fraud"}]}),
    Case("the later of two lockouts is barred_until",
         {"awards": [district_award(POLICY, 2025, "gold"),
                     revoked(POLICY, 2019, "2024-03-01", "fraud")]},
         {"after_award_lockout": A13, "revocation_lockout": A28},
         barred_until=D(2027, 12, 31)),
]

FAST_TRACK_CASES = [
    Case("the China Quality Award of 2022 (4 years ago) takes the fast track",
         {"awards": [{"level": "national", "year": 2022}]}, fast_track=True),
    Case("the China Quality Award of 2021 (5 years ago) does not",
         {"awards": [{"level": "national", "year": 2021}]}),
    Case("the Shanghai city government quality award of 2022 takes the fast track",
         {"awards": [{"level": "city", "jurisdiction": "上海市", "year": 2022}]},
         fast_track=True),
    Case("the Shanghai city award of 2021 (5 years ago) does not",
         {"awards": [{"level": "city", "jurisdiction": "上海", "year": 2021}]}),
    Case("the Shanghai city award of the screening year takes the fast track",
         {"awards": [{"level": "city", "jurisdiction": "shanghai", "year": 2026}]},
         fast_track=True),
    Case("another city's government quality award does not take the fast track",
         {"awards": [{"level": "city", "jurisdiction": "杭州市", "year": 2024}]}),
    Case("a city award that does not say whose does not take the fast track",
         {"awards": [{"level": "city", "year": 2024}]}),
    Case("a provincial award does not take the fast track",
         {"awards": [{"level": "provincial", "year": 2025}]}),
    Case("another district's award does not take the fast track",
         {"awards": [district_award(POLICY, 2025, "gold", jurisdiction="长宁区")]}),
    Case("a revoked China Quality Award does not take the fast track",
         {"awards": [{"level": "national", "year": 2024, "revoked_on": "2025-01-01",
                      "revocation_cause": "fraud"}]}),
    Case("a revoked Shanghai city award does not take the fast track",
         {"awards": [{"level": "city", "jurisdiction": "上海市", "year": 2024,
                      "revoked_on": "2025-01-01", "revocation_cause": "fraud"}]}),
    Case("a city award dated after the screening year does not take the fast track",
         {"awards": [{"level": "city", "jurisdiction": "上海市", "year": 2027}]}),
    Case("an individual holding the city award of 2023 takes the fast track",
         {"awards": [{"level": "city", "jurisdiction": "上海市", "year": 2023}]},
         kind="individual", fast_track=True),
    Case("the fast track does not waive the conditions",
         {"awards": [{"level": "city", "jurisdiction": "上海市", "year": 2024}],
          "licensed": False},
         {"licensed": A11_2}, fast_track=True),
]

INDIVIDUAL_CASES = [
    Case("the baseline individual is eligible", kind="individual"),
    Case("quality work in the district since exactly 3 years before screening is eligible",
         {"established_on": "2023-06-15"}, kind="individual"),
    Case("quality work in the district one day less than 3 years is ineligible",
         {"established_on": "2023-06-16"}, {"min_years_established": A12_1},
         kind="individual"),
    Case("an individual working in another district is ineligible",
         {"jurisdiction": "上海市崇明区"}, {"registered_in_jurisdiction": A12_1},
         kind="individual"),
    Case("a serious dishonesty record of any date is ineligible (个人信用记录良好)",
         {"dishonesty": [record("2001-01-01")]}, {"no_serious_dishonesty": A12_3},
         kind="individual"),
    Case("a dishonesty record that is not serious is eligible",
         {"dishonesty": [record("2025-01-01", serious=False)]}, kind="individual"),
    Case("a dishonesty record dated after screening is ignored",
         {"dishonesty": [record("2026-06-16")]}, kind="individual"),
    Case("a top manager whose organization had a major incident exactly 3 years ago fails",
         {"employer": employer(POLICY, incidents=[incident("2023-06-15")])},
         {"employer_record": A12_3}, kind="individual"),
    Case("a top manager whose organization's incident was one day earlier is eligible",
         {"employer": employer(POLICY, incidents=[incident("2023-06-14")])},
         kind="individual"),
    Case("a person who is not the top manager is not judged by the organization's record",
         {"top_manager": False, "employer": employer(POLICY, incidents=[incident("2025-01-01")],
                                                     dishonesty=[record("2025-01-01")])},
         kind="individual"),
    Case("a top manager whose organization had a major complaint fails",
         {"employer": employer(POLICY, complaints=[complaint("2025-01-01")])},
         {"employer_record": A12_3}, kind="individual"),
    Case("a top manager whose organization had a complaint not at fault still fails",
         {"employer": employer(POLICY, complaints=[complaint("2025-01-01", at_fault=False)])},
         {"employer_record": A12_3}, kind="individual"),
    Case("a top manager whose organization has serious dishonesty within 3 years fails",
         {"employer": employer(POLICY, dishonesty=[record("2023-06-15")])},
         {"employer_record": A12_3}, kind="individual"),
    Case("a top manager whose organization's dishonesty is one day too old is eligible",
         {"employer": employer(POLICY, dishonesty=[record("2023-06-14")])},
         kind="individual"),
    Case("a top manager whose organization had a drug safety incident gets a manual check",
         {"employer": employer(POLICY, incidents=[incident("2025-01-01", "drug_safety")])},
         manual={"employer_record": A12_3}, kind="individual"),
    Case("a top manager whose organization made a loss is still eligible",
         {"employer": employer(POLICY, annual_results=results(2025))}, kind="individual"),
    Case("a top manager without the organization's record gets a manual check",
         {"employer": None}, manual={"employer_record": A12_3}, kind="individual"),
    Case("a person who is not the top manager needs no organization record",
         {"employer": None, "top_manager": False}, kind="individual"),
    Case("an individual applying for the city award in the same year is ineligible",
         {"other_applications": [city_application(2026)]},
         {"not_applying_to_city_award_same_year": A13}, kind="individual"),
    Case("an individual gold winner of 2024 is barred until 31 December 2026",
         {"awards": [district_award(POLICY, 2024, "gold")]},
         {"after_award_lockout": A13}, barred_until=D(2026, 12, 31), kind="individual"),
    Case("an individual whose award was revoked for fraud is barred 3 years",
         {"awards": [revoked(POLICY, 2022, "2024-05-01", "fraud")]},
         {"revocation_lockout": A28}, barred_until=D(2027, 5, 1), kind="individual"),
    Case("licences are not an individual condition",
         {"licensed": False}, kind="individual"),
]


@pytest.mark.parametrize("case", params(ORGANIZATION_CASES))
def test_organization(case: Case) -> None:
    run(POLICY, case)


@pytest.mark.parametrize("case", params(LOCKOUT_CASES))
def test_lockouts(case: Case) -> None:
    run(POLICY, case)


@pytest.mark.parametrize("case", params(FAST_TRACK_CASES))
def test_fast_track(case: Case) -> None:
    result = run(POLICY, case)
    if case.fast_track:
        assert result.fast_track_article == A15


def test_a_city_award_revoked_after_the_screening_date_still_gives_the_fast_track() -> None:
    run(POLICY, Case(
        "city award of 2024, revoked only after the screening date",
        {"awards": [{"level": "city", "jurisdiction": "上海市", "year": 2024,
                     "revoked_on": "2026-07-01", "revocation_cause": "fraud"}]},
        fast_track=True))


@pytest.mark.parametrize("case", params(INDIVIDUAL_CASES))
def test_individual(case: Case) -> None:
    run(POLICY, case)


@pytest.mark.parametrize(
    "on",
    [pytest.param(D(2021, 11, 22), id="the first day in force"),
     pytest.param(D(2026, 11, 21), id="the last day in force")],
)
def test_screening_works_inside_the_period_in_force(on: D) -> None:
    for make in (organization, individual):
        result = screen(POLICY, parse_profile(make(POLICY)), on)
        assert result.verdict == "eligible"


@pytest.mark.parametrize(
    "on",
    [pytest.param(D(2026, 11, 22), id="the day after it expired"),
     pytest.param(D(2021, 11, 21), id="the day before it took effect")],
)
def test_screening_outside_the_period_in_force_names_article_33(on: D) -> None:
    with pytest.raises(PolicyNotInForce) as info:
        screen(POLICY, parse_profile(organization(POLICY)), on)
    assert info.value.article == "第三十三条"
    assert "第三十三条" in str(info.value)
