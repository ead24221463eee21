"""`validate_file` (``qaward policy validate``): each check is triggered by a deliberately broken
copy of a bundled policy, and its exact message is the one docs/policy-guide.md shows."""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from qaward.core.errors import PolicyFileError
from qaward.core.policy.inspect import (
    consistency_problems,
    silent_values,
    validate_all,
    validate_file,
)
from qaward.core.policy.loader import load_policy, policy_files, read_yaml
from qaward.core.policy.model import Policy

ALL_IDS = ["binjiang-2020", "changning-2023", "chanhe-2021", "chongming-2022", "hongkou-2021"]

Raw = dict[str, Any]


def write_copy(tmp_path: Path, policy_id: str, mutate: Callable[[Raw], None]) -> Path:
    """A mutated copy of a bundled policy in tmp_path/<id>/, with its source.txt."""
    original = policy_files()[policy_id]
    data: Raw = copy.deepcopy(read_yaml(original))
    mutate(data)
    folder = tmp_path / policy_id
    folder.mkdir()
    path = folder / "policy.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copy(original.parent / "source.txt", folder / "source.txt")
    return path


def problems(tmp_path: Path, policy_id: str, mutate: Callable[[Raw], None]) -> list[str]:
    path = write_copy(tmp_path, policy_id, mutate)
    with pytest.raises(PolicyFileError) as info:
        validate_file(path)
    assert info.value.file == str(path)
    return info.value.problems


def stage(data: Raw, stage_id: str) -> Raw:
    found: Raw = next(s for s in data["stages"] if s["id"] == stage_id)
    return found


def tier(data: Raw, tier_id: str) -> Raw:
    found: Raw = next(t for t in data["tiers"] if t["id"] == tier_id)
    return found


# ---------------------------------------------------------------------------------------------
# The bundled policies


@pytest.mark.parametrize("policy_id", ALL_IDS)
def test_every_bundled_policy_passes_every_check(policy_id: str) -> None:
    path = policy_files()[policy_id]
    assert (path.parent / "source.txt").is_file()
    assert validate_file(path).id == policy_id
    assert consistency_problems(load_policy(policy_id)) == []


@pytest.mark.parametrize("policy_id", ALL_IDS)
def test_an_unmodified_copy_passes(tmp_path: Path, policy_id: str) -> None:
    # The round trip through read_yaml and yaml.safe_dump itself breaks nothing.
    assert validate_file(write_copy(tmp_path, policy_id, lambda d: None)).id == policy_id


# ---------------------------------------------------------------------------------------------
# Checks in the model, reported through validate_file


def test_a_stage_whose_notice_is_not_required(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        stage(d, "site_review")["notice"] = "shortlist"

    assert problems(tmp_path, "changning-2023", mutate) == [
        "<top>: Value error, stages.site_review.notice: `shortlist` notice is not required "
        "in `notices`"
    ]


def test_after_award_lockout_with_no_tiers(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["after_award_lockout"]["tiers"] = []

    assert problems(tmp_path, "hongkou-2021", mutate) == [
        "after_award_lockout.tiers: Tuple should have at least 1 item after validation, "
        "not 0 (got [])"
    ]


def test_a_citation_of_an_article_beyond_the_text(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["after_award_lockout"]["cite"] = "第四十三条"

    assert problems(tmp_path, "hongkou-2021", mutate) == [
        "after_award_lockout.years: cites 第四十三条, which is not in the regulation's text"
    ]


def test_a_citation_of_a_section_beyond_the_text(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["committee"]["cite"] = "九、（六）"

    assert problems(tmp_path, "binjiang-2020", mutate) == [
        "committee.name_zh: cites section 九、, which is not in the text"
    ]


# ---------------------------------------------------------------------------------------------
# Stages


def test_stages_out_of_order(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        s = d["stages"]
        i, j = s.index(stage(d, "material_review")), s.index(stage(d, "site_review"))
        s[i], s[j] = s[j], s[i]

    assert problems(tmp_path, "hongkou-2021", mutate) == [
        "stages: `site_review` comes before `material_review`; keep the order call → "
        "application → eligibility → material_review → site_review → committee → approval → "
        "award (other stages may sit anywhere between)"
    ]


def test_award_before_committee(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        award = stage(d, "award")
        d["stages"].remove(award)
        d["stages"].insert(d["stages"].index(stage(d, "committee")), award)

    assert problems(tmp_path, "chanhe-2021", mutate) == [
        "stages: `award` comes before `committee`; keep the order call → application → "
        "eligibility → material_review → site_review → committee → approval → award "
        "(other stages may sit anywhere between)"
    ]


def test_a_notice_published_at_two_stages(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        stage(d, "approval")["notice"] = "final"

    assert problems(tmp_path, "hongkou-2021", mutate) == [
        "stages.approval.notice: the `final` notice is already published at the end of "
        "`committee`; a notice belongs to one stage"
    ]


def test_a_fast_track_to_a_stage_the_policy_does_not_have(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["fast_track"]["skips_to"] = "ranking"

    assert problems(tmp_path, "hongkou-2021", mutate) == [
        "fast_track.skips_to: `ranking` is not one of the policy's stages"
    ]


def test_a_fast_track_that_skips_nothing(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["fast_track"]["skips_to"] = "application"

    assert problems(tmp_path, "hongkou-2021", mutate) == [
        "fast_track.skips_to: `application` is not after `eligibility`, "
        "so the fast track skips nothing"
    ]


def test_a_fast_track_past_the_committee(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["fast_track"]["skips_to"] = "approval"

    assert problems(tmp_path, "hongkou-2021", mutate) == [
        "fast_track.skips_to: `approval` comes after `committee`; "
        "a fast track may not skip the committee"
    ]


def test_a_fast_track_national_award_tier_that_is_not_award_or_nomination(
        tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["fast_track"]["awards"][0]["tiers"] = ["award", "gold"]

    assert problems(tmp_path, "hongkou-2021", mutate) == [
        "fast_track.awards[中国质量奖].tiers: a national award record's tier is `award` or "
        "`nomination`, not `gold`"
    ]


def test_a_required_notice_no_stage_publishes(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        del stage(d, "eligibility")["notice"]

    assert problems(tmp_path, "changning-2023", mutate) == [
        "notices.eligibility: required, but no stage publishes it "
        "(set `notice: eligibility` on the stage it ends)"
    ]


def test_the_internal_notice_on_a_review_stage(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        stage(d, "site_review")["notice"] = "internal"

    assert problems(tmp_path, "hongkou-2021", mutate) == [
        "stages.site_review.notice: the `internal` notice belongs to the `application` stage "
        "(published by the applicant before applying) or to no stage (published with the final "
        "notice)"
    ]


# ---------------------------------------------------------------------------------------------
# Notices and shortlist


def test_a_required_notice_without_audiences(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["notices"]["final"]["audiences"] = []

    assert problems(tmp_path, "chongming-2022", mutate) == [
        "notices.final.audiences: a required notice needs its audiences "
        "(public, applicant_organization, district_media)"
    ]


def test_a_notice_not_required_with_settings_of_a_required_one(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["notices"]["shortlist"]["audiences"] = ["public"]
        d["notices"]["shortlist"]["requires_no_objection"] = True

    assert problems(tmp_path, "changning-2023", mutate) == [
        "notices.shortlist: a notice that is not required takes no `audiences`, "
        "`requires_no_objection`"
    ]


def test_a_ratio_shortlist_without_its_ratio(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        del d["shortlist"]["max_ratio_of_awards"]

    assert problems(tmp_path, "binjiang-2020", mutate) == [
        "shortlist.max_ratio_of_awards: method `ratio_of_awards` needs the ratio"
    ]


def test_a_ratio_given_for_another_shortlist_method(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["shortlist"]["max_ratio_of_awards"] = 1.5

    assert problems(tmp_path, "hongkou-2021", mutate) == [
        "shortlist.max_ratio_of_awards: only method `ratio_of_awards` takes a ratio "
        "(method is `best_of_good`)"
    ]


# ---------------------------------------------------------------------------------------------
# Tracks, tiers, quotas, prizes


def test_a_track_without_a_tier(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        for t in d["tiers"]:
            t["tracks"] = ["organization"]
        d["quotas"]["limits"] = [q for q in d["quotas"]["limits"]
                                 if q["tracks"] == ["organization"]]
        d["prizes"]["awards"] = [p for p in d["prizes"]["awards"] if p["track"] == "organization"]

    assert problems(tmp_path, "hongkou-2021", mutate) == [
        "tracks.individual: no tier is awarded to this track (add it to a tier's `tracks`)"
    ]


def test_tier_ranks_that_are_not_one_two_three(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        tier(d, "silver")["rank"] = 1

    assert problems(tmp_path, "hongkou-2021", mutate) == [
        "tiers: ranks must be 1, 2, … one per tier, 1 the highest honour (got 1, 1)"
    ]


def test_a_track_listed_twice_in_a_tier(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        tier(d, "mayor")["tracks"] = ["organization", "organization"]

    assert problems(tmp_path, "chanhe-2021", mutate) == [
        "tiers.mayor.tracks: a track is listed twice"
    ]


def test_a_quota_for_a_track_the_tier_does_not_offer(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        tier(d, "gold")["tracks"] = ["organization"]
        d["prizes"]["awards"] = [p for p in d["prizes"]["awards"]
                                 if (p["tier"], p["track"]) != ("gold", "individual")]

    assert problems(tmp_path, "changning-2023", mutate) == [
        "quotas.limits.2: tier `gold` is not awarded to the `individual` track "
        "(its tracks: organization)"
    ]


def test_a_prize_for_a_track_the_tier_does_not_offer(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        tier(d, "silver")["tracks"] = ["organization"]
        d["quotas"]["limits"] = [q for q in d["quotas"]["limits"]
                                 if (q["tier"], q["tracks"]) != ("silver", ["individual"])]

    assert problems(tmp_path, "hongkou-2021", mutate) == [
        "prizes.awards.3: tier `silver` is not awarded to the `individual` track "
        "(its tracks: organization)"
    ]


def test_a_tier_without_a_prize_for_one_of_its_tracks(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        del d["prizes"]["awards"][1]  # gold / individual

    assert problems(tmp_path, "hongkou-2021", mutate) == [
        "prizes.awards: no entry for tier `gold` × track `individual` "
        "(give its items and amount_yuan, or amount_yuan: {silent: ...})"
    ]


def test_two_prizes_for_the_same_tier_and_track(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["prizes"]["awards"].append(copy.deepcopy(d["prizes"]["awards"][0]))

    assert problems(tmp_path, "chongming-2022", mutate) == [
        "prizes.awards.2: a second prize entry for mayor/organization"
    ]


def test_an_amount_without_money_among_the_items(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["prizes"]["awards"][0]["items"] = ["trophy", "certificate"]

    assert problems(tmp_path, "chanhe-2021", mutate) == [
        "prizes.awards.0.items: an amount is given but `money` is not among the items"
    ]


def test_a_repeat_winner_rule_whose_money_contradicts_its_items(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["prizes"]["repeat_winners"][0]["money"] = True

    assert problems(tmp_path, "binjiang-2020", mutate) == [
        "prizes.repeat_winners.0: `money: true` contradicts `items` "
        "(list `money` exactly when money is paid)"
    ]


def test_a_criteria_set_that_does_not_exist(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["tracks"]["organization"]["criteria"]["value"] = "gbt19580-2024"

    assert problems(tmp_path, "chongming-2022", mutate) == [
        "tracks.organization.criteria: no criteria set `gbt19580-2024` in data/criteria "
        "(known: gbt19580-2012, individual-rubric)"
    ]


# ---------------------------------------------------------------------------------------------
# Eligibility and lockout


def test_a_rule_kind_stated_twice(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["eligibility"]["organization"].append(
            {"rule": "no_losses", "years": 2, "policy_losses_excepted": True,
             "cite": "第十一条第（五）项"})

    assert problems(tmp_path, "hongkou-2021", mutate) == [
        "eligibility.organization.12: rule `no_losses` appears twice "
        "(state each kind once, with the strictest parameters the text gives)"
    ]


def test_manual_checks_may_repeat_but_their_ids_may_not(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        rules = d["eligibility"]["organization"]
        rules[-1]["id"] = rules[-2]["id"]

    assert problems(tmp_path, "hongkou-2021", mutate) == [
        "eligibility.organization.11: manual check id `leading_indicators` is used twice"
    ]


def test_a_rule_for_the_wrong_track(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["eligibility"]["individual"].append(
            {"rule": "no_losses", "years": 3, "policy_losses_excepted": True,
             "cite": "第十二条第（三）项"})
        d["eligibility"]["organization"].append(
            {"rule": "employer_record", "only_if_top_manager": False, "years": 3,
             "kinds": ["quality"], "open_list": True, "cite": "第十一条第（五）项"})

    assert problems(tmp_path, "hongkou-2021", mutate) == [
        "eligibility.organization.12: rule `employer_record` applies to the `individual` "
        "track only",
        "eligibility.individual.9: rule `no_losses` applies to the `organization` track only",
    ]


def test_a_lockout_tier_listed_twice(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["after_award_lockout"]["tiers"] = ["award", "award"]

    assert problems(tmp_path, "binjiang-2020", mutate) == [
        "after_award_lockout.tiers: a tier is listed twice"
    ]


# ---------------------------------------------------------------------------------------------
# Period in force


def test_an_exact_first_day_outside_its_bounds(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["in_force"]["from"] = d["in_force"]["from_not_later_than"].replace(year=2022)

    assert problems(tmp_path, "chanhe-2021", mutate) == [
        "in_force.from: 2022-12-31 is after from_not_later_than 2021-12-31"
    ]


def test_bounds_in_the_wrong_order(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["in_force"]["from_not_earlier_than"] = d["in_force"]["from_not_later_than"].replace(
            year=2022)

    assert problems(tmp_path, "chanhe-2021", mutate) == [
        "in_force.from_not_earlier_than: after `from_not_later_than` (2022-12-31 > 2021-12-31)"
    ]


def write_config(tmp_path: Path, policy_id: str, values: Raw) -> Path:
    folder = tmp_path / "config"
    folder.mkdir(exist_ok=True)
    path = folder / f"{policy_id}.yaml"
    path.write_text(yaml.safe_dump({"policy": policy_id, "values": values}, allow_unicode=True),
                    encoding="utf-8")
    return path


def test_a_configured_first_day_is_checked_against_the_regulation(tmp_path: Path) -> None:
    config = write_config(tmp_path, "chanhe-2021", {
        "in_force.from": {"value": dt.date(2022, 6, 1), "cite": "区市场监管局局务会纪要"}})
    with pytest.raises(PolicyFileError) as info:
        validate_file(policy_files()["chanhe-2021"], config)
    assert info.value.problems == [
        "in_force.from: 2022-06-01 is after from_not_later_than 2021-12-31 "
        "(configured: 区市场监管局局务会纪要)"
    ]


def test_a_configured_first_day_within_the_bounds_passes(tmp_path: Path) -> None:
    config = write_config(tmp_path, "chanhe-2021", {
        "in_force.from": {"value": dt.date(2021, 6, 1), "cite": "区市场监管局局务会纪要"}})
    policy = validate_file(policy_files()["chanhe-2021"], config)
    assert policy.in_force.from_ == dt.date(2021, 6, 1)
    assert policy.configured == {"in_force.from": "区市场监管局局务会纪要"}


def test_validate_all_checks_the_offices_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path, "chanhe-2021", {
        "in_force.from": {"value": dt.date(2022, 6, 1), "cite": "局务会纪要"}})
    write_config(tmp_path, "hongkou-2021", {
        "prizes.awards.0.amount_yuan": {"value": 300000, "cite": "区审定委2026年第1次会议纪要"}})
    monkeypatch.setenv("QAWARD_CONFIG_DIR", str(tmp_path / "config"))
    results = dict(validate_all())
    failed = results.pop("chanhe-2021")
    assert isinstance(failed, PolicyFileError)
    assert failed.problems == [
        "in_force.from: 2022-06-01 is after from_not_later_than 2021-12-31 (configured: 局务会纪要)"
    ]
    hongkou = results["hongkou-2021"]
    assert isinstance(hongkou, Policy)
    assert hongkou.configured == {"prizes.awards.0.amount_yuan": "区审定委2026年第1次会议纪要"}
    assert all(isinstance(r, Policy) for r in results.values())


# ---------------------------------------------------------------------------------------------
# Silence


def test_silent_values_are_listed_under_their_configuration_keys() -> None:
    keys = [k for k, _ in silent_values(load_policy("hongkou-2021"))]
    assert "prizes.awards.0.amount_yuan" in keys
    assert "notices.eligibility.length" in keys
    assert "reviewers.team_leader" in keys
    assert "incubation_pool" not in keys  # {none: ...}: nothing to configure


@pytest.mark.parametrize("text", ["?", "TODO", "未规定", " n/a ", "无"])
def test_a_silence_without_an_explanation(tmp_path: Path, text: str) -> None:
    def mutate(d: Raw) -> None:
        d["prizes"]["awards"][0]["amount_yuan"] = {"silent": text, "cite": "第二十条"}

    assert problems(tmp_path, "hongkou-2021", mutate) == [
        f"prizes.awards.0.amount_yuan.silent: {text.strip()!r} does not explain what the "
        "regulation leaves open; say what is missing in at least 5 characters "
        "(e.g. '第二十条 grants 奖金 but no amount is given')"
    ]


def test_a_short_chinese_explanation_is_enough(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["prizes"]["awards"][0]["amount_yuan"] = {"silent": "未规定奖金数额", "cite": "第二十条"}

    assert validate_file(write_copy(tmp_path, "hongkou-2021", mutate)).id == "hongkou-2021"


# ---------------------------------------------------------------------------------------------
# All problems at once


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    def mutate(d: Raw) -> None:
        d["fast_track"]["skips_to"] = "ranking"
        d["reviewers"]["team_leader"]["silent"] = "TBD"
        d["objections"]["cite"] = "第五十条"

    assert problems(tmp_path, "hongkou-2021", mutate) == [
        "fast_track.skips_to: `ranking` is not one of the policy's stages",
        "reviewers.team_leader.silent: 'TBD' does not explain what the regulation leaves open; say "
        "what is missing in at least 5 characters (e.g. '第二十条 grants 奖金 but no amount "
        "is given')",
        "objections.real_name: cites 第五十条, which is not in the regulation's text",
    ]
