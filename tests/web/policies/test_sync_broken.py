"""One broken policy folder does not stop the registration of the others (issue 7): the
sync skips it, logs its file and first problem, and ``policy_sync`` reports it and fails."""

from __future__ import annotations

import logging
import shutil
from importlib import resources
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from qaward.web.policies.models import PolicyVersion
from qaward.web.policies.services import sync_policies, sync_policies_report

pytestmark = pytest.mark.django_db

BUNDLED = Path(str(resources.files("qaward") / "data" / "policies"))
FIVE = {"binjiang-2020", "changning-2023", "chanhe-2021", "chongming-2022", "hongkou-2021"}


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of hongkou-2021 as `broken-2021` with a key misspelt, and a good copy of it as
    `wuxi-binhu-2021` (an id of several words)."""
    base = tmp_path / "policies"
    for pid, edit in (("broken-2021", ("title_zh:", "title_typo:")),
                      ("wuxi-binhu-2021", ("", ""))):
        shutil.copytree(BUNDLED / "hongkou-2021", base / pid)
        f = base / pid / "policy.yaml"
        text = f.read_text(encoding="utf-8").replace("id: hongkou-2021\n", f"id: {pid}\n", 1)
        if edit[0]:
            text = text.replace(edit[0], edit[1], 1)
        f.write_text(text, encoding="utf-8")
    monkeypatch.setenv("QAWARD_POLICY_DIRS", str(base))
    monkeypatch.delenv("QAWARD_CONFIG_DIR", raising=False)
    return base / "broken-2021" / "policy.yaml"


def test_sync_registers_the_others_and_reports_the_broken_folder(
        broken: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="qaward.web.policies.services"):
        report = sync_policies_report()
    assert {pv.policy_id for pv in report.versions} == FIVE | {"wuxi-binhu-2021"}
    assert [(b.policy_id, b.path) for b in report.broken] == [("broken-2021", broken)]
    assert report.broken[0].first_problem == "title_zh: missing key"
    assert not PolicyVersion.objects.filter(policy_id="broken-2021").exists()
    assert f"policy broken-2021 not registered: {broken}: title_zh: missing key" in caplog.text
    # The plain form, as the demo and the tests' worlds call it, does not raise either.
    assert {pv.policy_id for pv in sync_policies()} == FIVE | {"wuxi-binhu-2021"}


def test_policy_sync_command_lists_the_others_then_fails(
        broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CommandError, match="1 policy folder\\(s\\) not registered: broken-2021"):
        call_command("policy_sync")
    out, err = capsys.readouterr()
    assert {line.split()[0] for line in out.splitlines()} == FIVE | {"wuxi-binhu-2021"}
    assert f"BROKEN broken-2021: {broken}" in err
    assert "title_typo: unknown key" in err
