"""A policy loaded from stored text (what a cycle pinned) is the policy its file gave, with
the same strict validation and the same digest; its configuration is applied as stored."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qaward.core.errors import PolicyFileError
from qaward.core.policy.inspect import changed_values, policy_digest
from qaward.core.policy.loader import load_policy_file, load_policy_text, policy_files

from .test_loading import ALL_IDS

HK = "hongkou-2021"
HK_CONFIG = (
    f"policy: {HK}\n"
    "values:\n"
    "  notices.eligibility.length: {value: 5, unit: working_days, minimum: true,\n"
    "                               cite: 区审定办通知（2026）3号}\n"
)


@pytest.mark.parametrize("policy_id", ALL_IDS)
def test_the_stored_text_loads_the_same_policy_as_its_file(policy_id: str) -> None:
    path = policy_files()[policy_id]
    from_text = load_policy_text(path.read_text(encoding="utf-8"), folder_name=policy_id)
    assert from_text == load_policy_file(path)
    assert policy_digest(from_text) == policy_digest(path)


def test_a_stored_configuration_is_applied_and_changes_the_digest() -> None:
    text = policy_files()[HK].read_text(encoding="utf-8")
    plain = load_policy_text(text)
    configured = load_policy_text(text, config_text=HK_CONFIG)
    assert configured.configured == {"notices.eligibility.length": "区审定办通知（2026）3号"}
    assert policy_digest(configured) != policy_digest(plain)
    assert [r.key for r in changed_values(plain, configured)
            if r.key.startswith("notices.eligibility.length")] != []


def test_a_stored_configuration_may_not_override_the_regulation() -> None:
    text = policy_files()[HK].read_text(encoding="utf-8")
    bad = f"policy: {HK}\nvalues:\n  cycle.needs_approval: {{value: false, cite: 决定}}\n"
    with pytest.raises(PolicyFileError) as info:
        load_policy_text(text, config_text=bad, source="pinned hongkou-2021")
    assert info.value.file == "pinned hongkou-2021 (configuration)"
    assert any("the regulation sets this value" in p for p in info.value.problems)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: [unclosed", "not valid YAML"),
        ("a: 1\na: 2\n", "duplicate key `a`"),
        ("- a list\n", "must be a mapping of keys"),
        ("id: x\n", "missing key"),
    ],
)
def test_broken_stored_text_is_refused_naming_the_source(text: str, expected: str) -> None:
    with pytest.raises(PolicyFileError) as info:
        load_policy_text(text, source="pinned x")
    assert info.value.file == "pinned x"
    assert any(expected in p for p in info.value.problems)


def test_the_folder_name_is_checked_against_the_id() -> None:
    text = policy_files()[HK].read_text(encoding="utf-8")
    with pytest.raises(PolicyFileError, match="does not match its folder name"):
        load_policy_text(text, folder_name="chanhe-2021")


@settings(max_examples=25, deadline=None)
@given(indent=st.integers(min_value=2, max_value=6), width=st.integers(min_value=40,
                                                                         max_value=200),
       flow=st.booleans())
def test_the_digest_of_stored_text_ignores_formatting(indent: int, width: int,
                                                      flow: bool) -> None:
    import yaml

    path = policy_files()["chanhe-2021"]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    text = yaml.safe_dump(data, allow_unicode=True, indent=indent, width=width,
                          default_flow_style=flow, sort_keys=not flow)
    assert policy_digest(load_policy_text(text)) == policy_digest(path)
