"""The review keys of the five bundled policies (and the fictional one): what each text says,
what is silent, the product defaults, and configuration filling the silences."""

import copy
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

import qaward
from qaward.core.criteria import combine, load_criteria, score
from qaward.core.errors import ConfigurationRequired, PolicyFileError
from qaward.core.policy import load_policy, load_policy_file
from qaward.core.policy.loader import apply_configuration, parse_policy
from qaward.core.policy.model import (
    DEFAULT_FORMER_EMPLOYER_YEARS,
    DEFAULT_SPREAD_THRESHOLD,
    Policy,
)
from qaward.core.review.aggregation import Review, aggregate
from qaward.core.review.ranking import (
    RankingInputError,
    TieBreak,
    policy_tie_breaks,
    rank_for_policy,
    sheet_tie_values,
)

POLICIES = Path(qaward.__file__).parent / "data" / "policies"
XINQU = Path(__file__).parents[2] / "data" / "policies" / "xinqu-2025" / "policy.yaml"
DECISION = "区评审办2026年第2次主任办公会议纪要"

# policy → (scored stages, silent scoring stages, pledge, site report confirmed)
EXPECTED = {
    "binjiang-2020": (("material_review", "site_review"), (), ("confidentiality", "recusal"),
                      True),
    "chanhe-2021": (("material_review", "site_review"), (), ("confidentiality", "recusal"),
                    False),
    "changning-2023": (("material_review", "site_review"), (), ("recusal",), False),
    "chongming-2022": (("material_review", "site_review"), (), ("recusal",), False),
    "hongkou-2021": (("material_review", "site_review"), ("presentation",), ("recusal",),
                     False),
}
CITES = {  # the articles the scoring of the material review and the pledge rest on
    "binjiang-2020": ("二、（四）", "七、（六）"),
    "chanhe-2021": ("第十四条", "第九条"),
    "changning-2023": ("第二十二条第一款", "第二十八条第（二）项"),
    "chongming-2022": ("第二十二条第一款", "第二十八条第（二）项"),
    "hongkou-2021": ("第十六条第一款", "第二十二条第（二）项"),
}


@pytest.mark.parametrize("policy_id", sorted(EXPECTED))
def test_what_each_text_says(policy_id: str) -> None:
    p = load_policy(policy_id)
    scored, silent, pledge, confirm = EXPECTED[policy_id]
    assert p.scored_stages == scored
    for stage in scored:
        assert p.stage_scored(stage)
    for stage in silent:
        with pytest.raises(ConfigurationRequired) as err:
            p.stage_scored(stage)
        assert err.value.key == f"review.scoring.{stage}"
    assert not p.stage_scored("comprehensive_evaluation")
    assert p.pledge_required() == pledge
    assert p.site_report_confirmation_required() is confirm
    material_cite, pledge_cite = CITES[policy_id]
    assert p.review.scoring["material_review"].cite == material_cite  # type: ignore[union-attr]
    assert p.review.pledge.cite == pledge_cite  # type: ignore[union-attr]


@pytest.mark.parametrize("policy_id", sorted(EXPECTED))
def test_silent_everywhere_basis_and_tie_breaks_stop_for_configuration(policy_id: str) -> None:
    p = load_policy(policy_id)
    with pytest.raises(ConfigurationRequired) as err:
        p.ranking_basis()
    assert err.value.key == "review.ranking.basis"
    with pytest.raises(ConfigurationRequired) as err:
        p.tie_break_rules()
    assert err.value.key == "review.ranking.tie_breaks"
    with pytest.raises(ConfigurationRequired):
        rank_for_policy(p, {})


@pytest.mark.parametrize("policy_id", sorted(EXPECTED))
def test_silence_with_product_defaults(policy_id: str) -> None:
    p = load_policy(policy_id)
    assert p.spread_threshold == DEFAULT_SPREAD_THRESHOLD == 20
    assert p.former_employer_years == DEFAULT_FORMER_EMPLOYER_YEARS == 3
    assert p.experts_named_to_applicants is False


def test_the_fictional_policy_is_silent_on_scoring_and_has_no_site_review() -> None:
    p = load_policy_file(XINQU)
    with pytest.raises(ConfigurationRequired, match=r"review\.scoring\.material_review"):
        p.stage_scored("material_review")
    assert p.scored_stages == ()
    assert p.pledge_required() == ("recusal",)
    assert p.site_report_confirmation_required() is False


# -- configuration ------------------------------------------------------------------------


def raw(policy_id: str) -> dict[str, Any]:
    data = yaml.safe_load((POLICIES / policy_id / "policy.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def configured(policy_id: str, values: dict[str, Any]) -> Policy:
    cfg = {"policy": policy_id, "values": values}
    return parse_policy(apply_configuration(raw(policy_id), cfg, file=f"{policy_id}.yaml"),
                        file=policy_id, folder_name=policy_id)


OFFICE = {
    "review.ranking.basis": {"value": "consensus", "cite": DECISION},
    "review.ranking.tie_breaks": {"value": [
        {"key": "fact:sme_new_industry", "prefer": "true_first",
         "label_zh": "新兴产业中小企业优先"},
        {"key": "category:4.7", "prefer": "higher"},
        {"key": "stage:site_review", "prefer": "higher"},
    ], "cite": DECISION},
    "review.spread_threshold": {"value": 15, "cite": DECISION},
    "review.former_employer_years": {"value": 5, "cite": DECISION},
    "review.experts_named_to_applicants": {"value": True, "cite": DECISION},
}


def test_the_office_configures_what_the_text_leaves_open() -> None:
    p = configured("binjiang-2020", OFFICE)
    assert p.ranking_basis() == "consensus"
    assert (p.spread_threshold, p.former_employer_years) == (15, 5)
    assert p.experts_named_to_applicants is True
    rules = policy_tie_breaks(p)
    assert [r.key for r in rules] == ["fact:sme_new_industry", "category:4.7",
                                      "stage:site_review"]
    assert {(r.cite, r.source) for r in rules} == {(DECISION, "configuration")}
    assert p.configured["review.ranking.basis"] == DECISION


def test_rank_for_policy_uses_the_configured_basis_rules_and_their_citation() -> None:
    p = configured("binjiang-2020", OFFICE)
    agg = aggregate([Review(a, r, Fraction(500)) for a in ("x", "y", "z") for r in "AB"],
                    consensus={"x": Fraction(600), "y": Fraction(600), "z": Fraction(550)})
    facts = {"x": {"fact:sme_new_industry": False}, "y": {"fact:sme_new_industry": True}}
    r = rank_for_policy(p, agg, tie_values=facts)
    assert r.order == ("y", "x", "z") and r.basis == "consensus" and r.basis_cite == DECISION
    sep = r.row("x").separated_from_above
    assert sep is not None and (sep.rule, sep.cite) == ("fact:sme_new_industry", DECISION)
    # before the office configures its rules, equal scores share the rank
    only_basis = configured("binjiang-2020", {"review.ranking.basis": OFFICE[
        "review.ranking.basis"]})
    with pytest.raises(ConfigurationRequired, match=r"review\.ranking\.tie_breaks"):
        rank_for_policy(only_basis, agg)
    shared = rank_for_policy(only_basis, agg, allow_silent_tie_breaks=True)
    assert shared.unresolved_ties == (("x", "y"),)
    assert shared.tie_breaks_open is not None and "equal review scores" in shared.tie_breaks_open
    assert r.tie_breaks_open is None
    # configured rules are used even where silence would be allowed
    assert rank_for_policy(p, agg, tie_values=facts, allow_silent_tie_breaks=True) == r


def test_the_regulation_value_cannot_be_overridden() -> None:
    with pytest.raises(PolicyFileError, match="the regulation sets this value"):
        configured("binjiang-2020", {"review.site_report_confirmation":
                                     {"value": False, "cite": DECISION}})
    with pytest.raises(PolicyFileError, match="no such rule"):
        configured("hongkou-2021", {"review.site_report_confirmation":
                                    {"value": True, "cite": DECISION}})


@pytest.mark.parametrize(("rule", "message"), [
    ({"key": "fact:sme", "prefer": "higher"}, "a fact puts `true_first`"),
    ({"key": "item:4.1.2", "prefer": "true_first"}, "a fact puts `true_first`"),
    ({"key": "insertion_order", "prefer": "higher"}, "String should match pattern"),
])
def test_bad_tie_break_rules_are_refused(rule: dict[str, str], message: str) -> None:
    with pytest.raises(PolicyFileError, match=message):
        configured("binjiang-2020", {"review.ranking.tie_breaks":
                                     {"value": [rule], "cite": DECISION}})


def test_a_rule_twice_and_a_scored_stage_the_policy_lacks_are_refused() -> None:
    twice = {"key": "item:4.1.2", "prefer": "higher"}
    with pytest.raises(PolicyFileError, match="listed twice"):
        configured("binjiang-2020", {"review.ranking.tie_breaks":
                                     {"value": [twice, twice], "cite": DECISION}})
    data = copy.deepcopy(raw("chanhe-2021"))
    data["review"]["scoring"]["presentation"] = {"value": True, "cite": "第十四条"}
    with pytest.raises(PolicyFileError, match=r"review\.scoring\.presentation"):
        parse_policy(data, file="chanhe", folder_name="chanhe-2021")


def test_sheet_tie_values_in_points() -> None:
    gbt = load_criteria("gbt19580-2012")
    sheet = combine([score(gbt, dict.fromkeys((i.id for i in gbt.items), 50)),
                     score(gbt, dict.fromkeys((i.id for i in gbt.items), 60))])
    rules = [TieBreak("category:4.7", "higher", DECISION),
             TieBreak("item:4.1.2", "higher", DECISION),
             TieBreak("fact:sme_new_industry", "true_first", DECISION)]
    values = sheet_tie_values(sheet, rules)
    assert values == {"category:4.7": Fraction(400 * 55, 100),
                      "item:4.1.2": Fraction(55 * 50, 100)}
    with pytest.raises(RankingInputError, match=r"no item `9\.9`"):
        sheet_tie_values(sheet, [TieBreak("item:9.9", "higher", DECISION)])


def test_every_review_stage_of_the_policy_says_whether_it_is_scored() -> None:
    data = copy.deepcopy(raw("hongkou-2021"))
    del data["review"]["scoring"]["presentation"]
    with pytest.raises(PolicyFileError, match=r"review\.scoring\.presentation: the policy has"):
        parse_policy(data, file="hongkou", folder_name="hongkou-2021")
