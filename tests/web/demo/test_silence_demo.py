"""The whole workflow under a fictional district's policy that is silent or "none" wherever
it may be (tests/data/policies/xinqu-2025): the demo stops with a clear "configure …" naming
the key where a silent value is needed, and goes on once the office's configuration file
supplies it (issue 7)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from qaward.core.states import DRAFT, Outcome
from qaward.web.cycles.models import Application, Cycle

pytestmark = pytest.mark.django_db

FICTIONAL = Path(__file__).resolve().parents[2] / "data" / "policies"
DECISION = "新区市场监管局局务会决定（2025年第3次）"
IN_FORCE = {"in_force.from": {"value": "2025-03-01", "cite": DECISION}}
LENGTH = {"notices.final.length": {"value": 7, "unit": "days", "minimum": True,
                                   "cite": DECISION}}
# 第五条 leaves whether a recommendation is needed to 另行规定: the office decides none is.
RECOMMENDATION = {"recommendation": {"required": False, "by_zh": "组织自愿申报",
                                     "cite": DECISION}}
# 第五条 publishes the review result 按照有关规定: the office settles the whole notice.
SHORTLIST_NOTICE = {"notices.shortlist": {
    "required": True, "length": {"value": 5, "unit": "working_days", "minimum": True},
    "audiences": ["public"], "title_zh": "专家评审结果", "title_en": "Expert review results",
    "title_cite": DECISION, "cite": DECISION}}


@pytest.fixture(autouse=True)
def _isolated(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    monkeypatch.setenv("QAWARD_POLICY_DIRS", str(FICTIONAL))


def _configure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str,
               values: dict[str, Any]) -> None:
    folder = tmp_path / name  # a new folder each time: loaded policies are cached by path
    folder.mkdir()
    (folder / "xinqu-2025.yaml").write_text(
        yaml.safe_dump({"policy": "xinqu-2025", "values": values}, allow_unicode=True),
        encoding="utf-8")
    monkeypatch.setenv("QAWARD_CONFIG_DIR", str(folder))


def _run() -> str:
    out = StringIO()
    call_command("qaward_demo", "--policy", "xinqu-2025", "--applicants", "6", stdout=out)
    return out.getvalue()


def test_nothing_configured_no_cycle_can_open(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # The first day in force is not settled (第十条 自印发之日起施行, no date printed).
    _configure(tmp_path, monkeypatch, "empty", {})
    with pytest.raises(CommandError) as err:
        _run()
    assert "`in_force.from` is not set by the regulation" in str(err.value)
    assert "Configure it" in str(err.value)
    assert not Cycle.objects.exists()


def test_the_cycle_stops_at_submission_while_the_recommendation_is_silent(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _configure(tmp_path, monkeypatch, "in-force", IN_FORCE)
    with pytest.raises(CommandError) as err:
        _run()
    assert "`recommendation` is not set by the regulation" in str(err.value)
    assert "Configure it" in str(err.value)
    # The cycle opened, but no application was submitted: no half-submitted draft.
    cycle = Cycle.objects.get(policy__policy_id="xinqu-2025")
    assert not Application.objects.filter(cycle=cycle).exclude(state=DRAFT).exists()


def test_the_cycle_stops_at_the_silent_shortlist_notice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _configure(tmp_path, monkeypatch, "in-force", {**IN_FORCE, **RECOMMENDATION})
    with pytest.raises(CommandError) as err:
        _run()
    assert "`notices.shortlist` is not set by the regulation" in str(err.value)
    cycle = Cycle.objects.get(policy__policy_id="xinqu-2025")
    assert not cycle.notices.exists()


def test_the_cycle_stops_at_the_notice_whose_length_is_silent(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _configure(tmp_path, monkeypatch, "in-force",
               {**IN_FORCE, **RECOMMENDATION, **SHORTLIST_NOTICE})
    with pytest.raises(CommandError) as err:
        _run()
    assert "`notices.final.length` is not set by the regulation" in str(err.value)
    # The cycle opened and screened its applicants before stopping.
    assert Cycle.objects.filter(policy__policy_id="xinqu-2025").exists()


def test_configured_the_cycle_reaches_the_award(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # The fast track is `none` (nothing to configure) and no generated applicant holds this
    # award, so the silent lockout is not needed either.
    _configure(tmp_path, monkeypatch, "both",
               {**IN_FORCE, **RECOMMENDATION, **SHORTLIST_NOTICE, **LENGTH})
    assert "demo cycle" in _run()
    cycle = Cycle.objects.get(policy__policy_id="xinqu-2025")
    states = set(Application.objects.filter(cycle=cycle).values_list("state", flat=True))
    assert Outcome.AWARDED in states
    # The configured shortlist notice was published under the office's decision.
    assert cycle.notices.filter(stage="shortlist").exists()
