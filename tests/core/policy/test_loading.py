"""Every policy loads; a broken policy fails with a message naming the file, key and problem."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from qaward.core.errors import ConfigurationRequired, PolicyFileError
from qaward.core.policy import list_policies, load_policy, require
from qaward.core.policy.inspect import cited_articles_missing, validate_all
from qaward.core.policy.loader import apply_configuration, parse_policy, policy_files, read_yaml

ALL_IDS = ["binjiang-2020", "changning-2023", "chanhe-2021", "chongming-2022", "hongkou-2021"]


def raw(policy_id: str) -> dict[str, Any]:
    data: dict[str, Any] = read_yaml(policy_files()[policy_id])
    return copy.deepcopy(data)


def problems_of(data: dict[str, Any]) -> list[str]:
    with pytest.raises(PolicyFileError) as info:
        parse_policy(data, file="broken.yaml")
    assert info.value.file == "broken.yaml"
    return info.value.problems


def test_the_five_regulations_are_bundled_with_their_exact_ids() -> None:
    assert list_policies() == ALL_IDS


@pytest.mark.parametrize("policy_id", ALL_IDS)
def test_every_policy_loads_and_cites_only_articles_in_its_text(policy_id: str) -> None:
    policy = load_policy(policy_id)
    assert policy.id == policy_id
    source = policy_files()[policy_id].parent / "source.txt"
    assert cited_articles_missing(policy, source.read_text(encoding="utf-8")) == []


def test_validate_all_reports_every_bundled_policy_as_valid() -> None:
    results = dict(validate_all())
    assert sorted(results) == ALL_IDS
    assert all(not isinstance(r, Exception) for r in results.values())


@pytest.mark.parametrize(
    ("policy_id", "tiers"),
    [
        ("hongkou-2021", ["gold", "silver"]),
        ("changning-2023", ["mayor", "gold"]),
        ("chanhe-2021", ["mayor"]),
        ("chongming-2022", ["mayor", "gold"]),
        ("binjiang-2020", ["award", "nomination"]),
    ],
)
def test_tier_ids_are_exactly_those_of_the_issue(policy_id: str, tiers: list[str]) -> None:
    assert [t.id for t in load_policy(policy_id).tiers] == tiers


def test_a_value_without_a_citation_fails_naming_the_key() -> None:
    data = raw("hongkou-2021")
    del data["quotas"]["limits"][0]["cite"]
    assert problems_of(data) == [
        "quotas.limits.0.cite: missing citation: every value must name its article (cite: 第N条)"
    ]


def test_an_unknown_key_fails_naming_the_key() -> None:
    data = raw("hongkou-2021")
    data["quotas"]["limits"][0]["maximum"] = 5
    assert problems_of(data) == [
        "quotas.limits.0.maximum: unknown key (check its spelling against docs/policy-guide.md)"
    ]


def test_a_wrong_type_fails_naming_the_key_and_the_value() -> None:
    data = raw("hongkou-2021")
    data["quotas"]["limits"][0]["max"] = "five"
    (problem,) = problems_of(data)
    assert problem.startswith("quotas.limits.0.max: Input should be a valid integer")
    assert "'five'" in problem


def test_a_number_written_as_text_is_refused_not_coerced() -> None:
    data = raw("hongkou-2021")
    data["tracks"]["organization"]["report_max_chars"]["value"] = "30000"
    (problem,) = problems_of(data)
    assert problem.startswith("tracks.organization.report_max_chars.value: Input should be a valid")


def test_a_citation_that_names_no_article_fails() -> None:
    data = raw("hongkou-2021")
    data["after_award_lockout"]["cite"] = "article 13"
    (problem,) = problems_of(data)
    assert problem.startswith("after_award_lockout.cite: Value error, citation 'article 13'")


def test_a_quota_for_an_unknown_tier_fails() -> None:
    data = raw("hongkou-2021")
    data["quotas"]["limits"][0]["tier"] = "platinum"
    (problem,) = problems_of(data)
    assert "quotas.limits: unknown tier `platinum`" in problem


def test_a_required_notice_without_length_fails() -> None:
    data = raw("changning-2023")
    del data["notices"]["final"]["length"]
    (problem,) = problems_of(data)
    assert problem.startswith("notices.final: Value error, a required notice needs `length`")


def test_a_duplicate_key_in_yaml_fails_instead_of_keeping_the_last(tmp_path: Path) -> None:
    f = tmp_path / "policy.yaml"
    f.write_text("id: a\nid: b\n", encoding="utf-8")
    with pytest.raises(PolicyFileError, match="duplicate key `id`"):
        read_yaml(f)


def test_a_folder_name_that_differs_from_the_id_fails(tmp_path: Path) -> None:
    data = raw("chanhe-2021")
    with pytest.raises(PolicyFileError, match="does not match its folder name"):
        parse_policy(data, file="x", folder_name="chanhe-2022")


def test_a_silent_value_asks_for_configuration_instead_of_guessing() -> None:
    policy = load_policy("hongkou-2021")
    prize = policy.prizes.awards[0]
    with pytest.raises(ConfigurationRequired) as info:
        require(policy, prize.amount_yuan, "prizes.awards.0.amount_yuan")
    assert info.value.key == "prizes.awards.0.amount_yuan"
    assert "第二十条" in str(info.value)


def test_configuration_fills_what_the_regulation_leaves_open() -> None:
    data = raw("hongkou-2021")
    config = {
        "policy": "hongkou-2021",
        "values": {
            "prizes.awards.0.amount_yuan": {"value": 300000, "cite": "区审定委2026年第1次会议纪要"},
            "notices.eligibility.length": {"value": 5, "unit": "working_days", "minimum": True,
                                           "cite": "区审定办通知（2026）3号"},
        },
    }
    policy = parse_policy(apply_configuration(data, config, file="c.yaml"), file="p.yaml")
    amount = require(policy, policy.prizes.awards[0].amount_yuan, "x")
    assert (amount.value, amount.source, amount.cite) == (
        300000, "configuration", "区审定委2026年第1次会议纪要")
    assert policy.configured["notices.eligibility.length"] == "区审定办通知（2026）3号"


def test_configuration_can_never_override_the_regulation() -> None:
    data = raw("hongkou-2021")
    config = {"policy": "hongkou-2021",
              "values": {"after_award_lockout": {"value": 1, "cite": "office"}}}
    with pytest.raises(PolicyFileError, match="the regulation sets this value"):
        apply_configuration(data, config, file="c.yaml")


def test_configuration_for_another_policy_is_refused() -> None:
    config = {"policy": "changning-2023", "values": {}}
    with pytest.raises(PolicyFileError, match="is not `hongkou-2021`"):
        apply_configuration(raw("hongkou-2021"), config, file="c.yaml")


def test_the_yaml_file_round_trips_through_the_model_without_loss() -> None:
    for policy_id in ALL_IDS:
        policy = load_policy(policy_id)
        again = parse_policy(
            yaml.safe_load(yaml.safe_dump(policy.model_dump(mode="json", by_alias=True))),
            file="roundtrip",
        )
        assert again == policy


@pytest.mark.parametrize(("policy_id", "ok"), [
    ("hongkou-2021", True),
    ("wuxi-binhu-2023", True),  # several words before the year (issue 7)
    ("hangzhou-gaoxin-binjiang-2020", True),
    ("district9-2024", True),
    ("wuxi--2023", False),
    ("wuxi-binhu-", False),
    ("Wuxi-binhu-2023", False),
    ("wuxi_binhu-2023", False),
    ("wuxi-binhu-23", False),
    ("-wuxi-2023", False),
])
def test_a_policy_id_is_hyphenated_words_then_the_year(policy_id: str, ok: bool) -> None:
    data = raw("changning-2023")
    data["id"] = policy_id
    if ok:
        assert parse_policy(data, file="policy.yaml").id == policy_id
    else:
        assert problems_of(data)[0].startswith("id: String should match pattern")
