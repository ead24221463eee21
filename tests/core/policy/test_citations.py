"""Citations of parts of a value (issue 7): each recusal relation and the incubation pool's
mentors' recusal name the article that sets them, per regulation."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from qaward.core.errors import PolicyFileError
from qaward.core.policy import load_policy
from qaward.core.policy.inspect import flatten
from qaward.core.policy.loader import parse_policy, policy_files, read_yaml
from qaward.core.policy.model import Cited, IncubationPool

# policy -> relation -> the article that sets it
RECUSAL: dict[str, dict[str, str]] = {
    "changning-2023": {"interest": "第二十八条第（三）项", "mentor_of_applicant": "第十五条第二款"},
    "chongming-2022": {"interest": "第二十八条第（三）项", "mentor_of_applicant": "第十四条第二款"},
    "hongkou-2021": {"interest": "第二十二条第（三）项"},
    "chanhe-2021": {"interest": "第九条"},
    "binjiang-2020": {r: "二、（五）" for r in (
        "employed_by_applicant", "serving_applicant", "internal_unit", "subordinate_unit",
        "business_partner", "competitor")},
}

# policy -> (pool's article, mentors' recusal article); None: no incubation pool
INCUBATION: dict[str, tuple[str, str] | None] = {
    "changning-2023": ("第十三条第二款", "第十五条第二款"),
    "chongming-2022": ("第十二条第二款", "第十四条第二款"),
    "hongkou-2021": None,
    "chanhe-2021": None,
    "binjiang-2020": None,
}


@pytest.mark.parametrize("pid", sorted(RECUSAL))
def test_each_recusal_relation_names_its_own_article(pid: str) -> None:
    reviewers = load_policy(pid).reviewers
    relations = reviewers.recusal_relations()
    # 滨江's list ends in 等 (利害关系): another part of the issue may add `interest` there.
    assert {k: v for k, v in relations.items() if k in RECUSAL[pid]} == RECUSAL[pid]
    assert "mentor_of_applicant" not in reviewers.recusal.value


@pytest.mark.parametrize("pid", sorted(INCUBATION))
def test_the_mentors_recusal_cites_the_expert_guidance_article(pid: str) -> None:
    pool = load_policy(pid).incubation_pool
    expected = INCUBATION[pid]
    if expected is None:
        assert not isinstance(pool, IncubationPool)
        return
    assert isinstance(pool, IncubationPool)
    assert isinstance(pool.mentors_recuse, Cited)
    assert (pool.cite, pool.mentors_recuse.cite) == expected
    assert pool.mentors_recuse.value is True
    flat = flatten(load_policy(pid))
    assert flat["incubation_pool.mentors_recuse"].cite == expected[1]
    assert flat["incubation_pool.free_training"].cite == expected[0]
    assert flat["reviewers.recusal_elsewhere[mentor_of_applicant].relations"].cite == expected[1]


def test_a_relation_listed_in_recusal_and_elsewhere_is_refused() -> None:
    raw: dict[str, Any] = copy.deepcopy(read_yaml(policy_files()["changning-2023"]))
    raw["reviewers"]["recusal"]["value"].append("mentor_of_applicant")
    with pytest.raises(PolicyFileError) as info:
        parse_policy(raw, file="policy.yaml")
    assert any(p.startswith("reviewers: Value error, recusal: mentor_of_applicant listed twice")
               for p in info.value.problems), info.value.problems
