"""Appeals (申诉/复核) per regulation: which policies provide one, its time limit counted from
the notification, who decides, the reinstatement move and the hold while an appeal is open."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from qaward.core.appeals import AppealRefused, appeal_deadline, appeal_rules, check_filing
from qaward.core.errors import ConfigurationRequired
from qaward.core.policy import load_policy
from qaward.core.policy.loader import apply_configuration, parse_policy, policy_files, read_yaml
from qaward.core.policy.model import Appeals, NoRule, Policy, Silent
from qaward.core.workflow import Facts, TransitionRefused, plan_reinstatement, plan_transition
from tests.core.policy.test_rule_matrix import ALL_IDS, BJ, article_text, squash

D = dt.date


@pytest.fixture(autouse=True)
def _bundled_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("QAWARD_CONFIG_DIR", raising=False)
    monkeypatch.delenv("QAWARD_POLICY_DIRS", raising=False)
    monkeypatch.setenv("QAWARD_DATA_DIR", str(tmp_path / "no-user-data"))


def configured(days: int, unit: str = "days") -> Policy:
    path = policy_files()[BJ]
    raw = apply_configuration(read_yaml(path), {"policy": BJ, "values": {
        "appeals.time_limit": {"value": days, "unit": unit, "source": "configuration",
                               "cite": "区评审办决定"}}}, file="config")
    return parse_policy(raw, file=str(path))


# Only 滨江 provides 申诉 (二、（四）4: the review team handles 问题和申诉).
APPEALS = {BJ: ("eligibility", "shortlist")}


@pytest.mark.parametrize("pid", ALL_IDS)
def test_appeals_as_the_regulation_provides_them(pid: str) -> None:
    p = load_policy(pid)
    if pid in APPEALS:
        assert isinstance(p.appeals, Appeals)
        assert p.appeals.decisions == APPEALS[pid]
        assert "申诉" in article_text(pid, p.appeals.cite)
        assert isinstance(p.appeals.time_limit, Silent)
        assert not isinstance(p.appeals.decided_by, Silent)
        assert p.appeals.decided_by.value == "review_team"
    else:
        assert isinstance(p.appeals, NoRule)  # {none}: no appeal exists
        assert "申诉" not in squash(Path(policy_files()[pid].parent / "source.txt").read_text(
            encoding="utf-8"))
        for decision in ("eligibility", "shortlist"):
            assert not p.appealable(decision)
        with pytest.raises(AppealRefused):
            appeal_rules(p, "ineligible")


def test_a_silent_time_limit_must_be_configured() -> None:
    with pytest.raises(ConfigurationRequired) as err:
        appeal_deadline(load_policy(BJ), "ineligible", D(2026, 3, 2))
    assert "appeals.time_limit" in str(err.value)


@pytest.mark.parametrize(("filed", "in_time"), [
    (D(2026, 3, 2), True), (D(2026, 3, 16), True), (D(2026, 3, 17), True),
    (D(2026, 3, 18), False),
])
def test_calendar_day_boundary(filed: D, in_time: bool) -> None:
    p = configured(15)
    if in_time:
        d = check_filing(p, "not_shortlisted", D(2026, 3, 2), filed)
        assert d.last_day == D(2026, 3, 17)
        assert "区评审办决定" in d.article and d.article.startswith("二、（四）")
    else:
        with pytest.raises(AppealRefused) as err:
            check_filing(p, "not_shortlisted", D(2026, 3, 2), filed)
        assert err.value.field == "filed_on"


def test_working_days_skip_the_weekend() -> None:
    # Friday 2026-03-06 + 5 working days: Friday 2026-03-13.
    d = appeal_deadline(configured(5, "working_days"), "ineligible", D(2026, 3, 6))
    assert d.last_day == D(2026, 3, 13)


def test_only_refusals_are_appealable() -> None:
    with pytest.raises(AppealRefused) as err:
        appeal_rules(configured(15), "not_awarded")
    assert err.value.field == "state"


def test_an_upheld_appeal_returns_to_the_refusing_stage() -> None:
    p = load_policy(BJ)
    assert plan_reinstatement(p, "ineligible", "eligibility").article == "二、（四）"
    assert plan_reinstatement(p, "not_shortlisted", "material_review").target == \
        "material_review"
    for source, target in [("ineligible", "material_review"), ("not_awarded", "committee"),
                           ("not_shortlisted", "eligibility")]:
        with pytest.raises(TransitionRefused):
            plan_reinstatement(p, source, target)


@pytest.mark.parametrize("pid", [i for i in ALL_IDS if i not in APPEALS])
def test_no_reinstatement_without_an_appeal(pid: str) -> None:
    with pytest.raises(TransitionRefused):
        plan_reinstatement(load_policy(pid), "ineligible", "eligibility")


def test_an_open_appeal_holds_the_application() -> None:
    p = load_policy(BJ)
    facts: dict[str, Any] = {"today": D(2026, 5, 1)}
    assert plan_transition(p, "eligibility", "material_review", Facts(**facts))
    with pytest.raises(TransitionRefused) as err:
        plan_transition(p, "eligibility", "material_review", Facts(**facts, open_appeal=True))
    assert err.value.article == "二、（四）"
    with pytest.raises(TransitionRefused):
        plan_transition(p, "eligibility", "withdrawn", Facts(**facts, open_appeal=True))
