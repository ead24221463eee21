"""The demo runs under every bundled policy and under one from QAWARD_POLICY_DIRS: the award
and every exit are reached, the audit chain verifies, submissions fall inside the window and
notices start on the day they are published, after the window; and the demo's code names no
district and spells no state id."""

from __future__ import annotations

import ast
import re
import shutil
from io import StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from qaward.core.policy import list_policies, load_policy
from qaward.core.policy.loader import policy_files
from qaward.core.policy.model import FastTrack
from qaward.core.states import End, Fixed, NoticeId, Outcome, StageId
from qaward.web.audit.models import AuditEvent
from qaward.web.audit.services import verify_chain
from qaward.web.cycles.models import Application, Cycle, ManualCheckFinding
from qaward.web.notices.models import Notice

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
BUNDLED = ["binjiang-2020", "changning-2023", "chanhe-2021", "chongming-2022", "hongkou-2021"]
DEMO_DIR = Path(__file__).resolve().parents[3] / "src" / "qaward" / "web" / "demo"
COPIED = "xingang-2025"


@pytest.fixture(autouse=True)
def _isolated(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    # The command may set QAWARD_CONFIG_DIR: set then unset, so that teardown restores it.
    for name in ("QAWARD_CONFIG_DIR", "QAWARD_POLICY_DIRS"):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)


def _run(policy_id: str, applicants: int = 6) -> str:
    out = StringIO()
    call_command("qaward_demo", "--policy", policy_id, "--applicants", str(applicants),
                 stdout=out)
    return out.getvalue()


def _check_cycle(policy_id: str) -> dict[str, int]:
    policy = load_policy(policy_id)
    cycle = Cycle.objects.get(policy__policy_id=policy_id)
    counts: dict[str, int] = {}
    for app in Application.objects.filter(cycle=cycle):
        counts[app.state] = counts.get(app.state, 0) + 1
    assert counts.get(Outcome.AWARDED, 0) >= 1
    assert counts.get(End.INELIGIBLE, 0) >= 1
    assert counts.get(End.REMOVED_BY_OBJECTION, 0) == 1
    exits = {str(e.to) for s in policy.stages for e in s.exits} & set(End)
    for end in exits - {End.WITHDRAWN}:
        assert counts.get(end, 0) >= 1, (end, counts)
    assert not set(counts) & {Fixed.DRAFT, Fixed.SUBMITTED, Fixed.RETURNED}

    report = verify_chain()
    assert report.ok, report

    # Submissions inside the application window, on the office clock.
    submitted = AuditEvent.objects.filter(entity="application", to_state=Fixed.SUBMITTED)
    assert submitted.count() == cycle.applications.count()
    for e in submitted:
        assert cycle.opened_on <= e.at.astimezone(SHANGHAI).date() <= cycle.applications_close_on
    for app in cycle.applications.all():
        assert app.submitted_at is not None
        assert app.submitted_at.astimezone(SHANGHAI).date() <= cycle.applications_close_on
    # History in date order, none before the call.
    days = [e.at for e in AuditEvent.objects.filter(jurisdiction=cycle.jurisdiction)
            .exclude(entity="policy").order_by("seq")]
    assert days == sorted(days)
    assert days[0].astimezone(SHANGHAI).date() >= cycle.opened_on
    # Reviews begin after the window closes.
    for e in AuditEvent.objects.filter(entity="application", from_state=StageId.ELIGIBILITY):
        assert e.at.astimezone(SHANGHAI).date() > cycle.applications_close_on
    # Each required notice published, on the day it starts, after the window; never backdated.
    required = [n for n in (NoticeId.ELIGIBILITY, NoticeId.SHORTLIST, NoticeId.FINAL)
                if policy.notice(n).required]
    notices = Notice.objects.filter(cycle=cycle)
    assert sorted(n.stage for n in notices) == sorted(required)
    for n in notices:
        published = AuditEvent.objects.get(entity="notice", entity_id=str(n.pk),
                                           action="notice_publish")
        assert published.at.astimezone(SHANGHAI).date() == n.starts_on
        assert n.starts_on > cycle.applications_close_on
    if isinstance(policy.fast_track, FastTrack):
        assert cycle.applications.filter(fast_track=True).exists()
    # Every manual check of every screened application has the office's finding, recorded
    # before the eligibility decision (the decision is refused otherwise).
    screened = [a for a in cycle.applications.all() if a.engine_result]
    assert screened and all(a.engine_result["manual_checks"] for a in screened)
    for app in screened:
        keys = {m["key"] for m in app.engine_result["manual_checks"]}
        found = ManualCheckFinding.objects.filter(application=app, archived_at__isnull=True)
        assert set(found.values_list("key", flat=True)) == keys
        assert all(f.met and f.note for f in found)
        events = AuditEvent.objects.filter(entity="application", entity_id=str(app.pk))
        decided = events.get(action="eligibility_decide").seq
        assert all(e.seq < decided for e in events.filter(action="manual_check_record"))
    return counts


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_demo_runs_under_each_bundled_policy(policy_id: str) -> None:
    assert policy_id in list_policies()
    out = _run(policy_id)
    counts = _check_cycle(policy_id)
    assert f"awarded: {counts[Outcome.AWARDED]}" in out
    assert "office" in out and "dept1" in out and "org1" in out


def test_demo_runs_under_a_policy_from_policy_dirs(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    source = policy_files()["changning-2023"].parent
    target = tmp_path / "policies" / COPIED
    shutil.copytree(source, target)
    text = (target / "policy.yaml").read_text(encoding="utf-8")
    text = text.replace("id: changning-2023", f"id: {COPIED}", 1)
    text = re.sub(r"jurisdiction:\n  id: .*\n  name_zh: .*\n  name_en: .*\n  aliases: .*\n",
                  "jurisdiction:\n  id: jiangdong-xingang\n  name_zh: 江东市新港区\n"
                  "  name_en: Xingang District, Jiangdong\n  aliases: [新港区, 新港]\n", text,
                  count=1)
    (target / "policy.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("QAWARD_POLICY_DIRS", str(tmp_path / "policies"))
    assert load_policy(COPIED).jurisdiction.name_zh == "江东市新港区"
    _run(COPIED)
    _check_cycle(COPIED)
    cycle = Cycle.objects.get(policy__policy_id=COPIED)
    names = list(cycle.applications.values_list("applicant__name", flat=True))
    assert names and all(n.startswith("新港") for n in names)
    assert cycle.jurisdiction.departments.filter(name__startswith="新港区").count() >= 3


def test_unknown_policy_is_refused_with_the_available_ids() -> None:
    with pytest.raises(CommandError) as err:
        _run("nowhere-2020")
    msg = str(err.value)
    assert "--policy" in msg and "nowhere-2020" in msg
    for pid in BUNDLED:
        assert pid in msg
    assert not Cycle.objects.exists()


def test_too_few_applicants_is_refused() -> None:
    with pytest.raises(CommandError, match="--applicants"):
        _run(BUNDLED[0], applicants=3)


def test_demo_is_idempotent() -> None:
    _run(BUNDLED[0])
    assert "already present" in _run(BUNDLED[0])
    assert Cycle.objects.count() == 1


def _demo_sources() -> list[Path]:
    files = sorted(DEMO_DIR.rglob("*.py"))
    assert any(f.name == "builder.py" for f in files)
    return files


def test_demo_code_names_no_district() -> None:
    words: set[str] = set()
    for pid in list_policies():
        j = load_policy(pid).jurisdiction
        words |= {j.name_zh, *j.aliases, pid, pid.split("-")[0]}
        words |= {a.removesuffix("区") for a in j.aliases if len(a.removesuffix("区")) >= 2}
    for f in _demo_sources():
        text = f.read_text(encoding="utf-8")
        found = sorted(w for w in words if len(w) >= 2 and w in text)
        assert not found, (f.name, found)


def test_demo_code_spells_no_state_id() -> None:
    ids = {str(v) for enum in (Fixed, End, Outcome, StageId, NoticeId) for v in enum}
    for f in _demo_sources():
        tree = ast.parse(f.read_text(encoding="utf-8"))
        literals = {n.value for n in ast.walk(tree)
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)}
        assert not literals & ids, (f.name, sorted(literals & ids))
