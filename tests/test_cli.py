"""The ``qaward`` command line, end to end: exit codes, stdout, stderr and written files.

Most tests call :func:`qaward.cli.main` in-process with ``capsys``; one runs the installed
``qaward`` executable. The bundled example applicants are screened on fixed dates, so their
verdicts are asserted one by one.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from qaward.cli import main
from qaward.core.policy import load_policy
from qaward.core.policy.inspect import policy_digest

POLICY_IDS = ["binjiang-2020", "changning-2023", "chanhe-2021", "chongming-2022", "hongkou-2021"]
EXAMPLES = Path(str(resources.files("qaward") / "data" / "examples"))
POLICIES = Path(str(resources.files("qaward") / "data" / "policies"))

# 虹口 expired on 2026-11-21 (第三十三条): its examples are screened on that last day.
SCREEN_ON = {pid: "2026-11-22" for pid in POLICY_IDS} | {"hongkou-2021": "2026-11-21"}

# id → (verdict, the rules of the reasons, barred_until, fast_track)
EXPECTED: dict[str, dict[str, tuple[str, set[str], str | None, bool]]] = {
    "hongkou-2021": {
        "HK-2026-01": ("eligible", set(), None, False),
        "HK-2026-02": ("eligible", set(), None, True),  # 上海市政府质量奖 2023
        "HK-2026-03": ("eligible", set(), None, False),  # policy loss 2024, excepted
        "HK-2026-04": ("ineligible", {"min_years_established"}, None, False),
        "HK-2026-05": ("ineligible", {"not_applying_to_city_award_same_year"}, None, False),
        "HK-2026-06": ("ineligible", {"revocation_lockout"}, "2027-06-18", False),
        "HK-2026-07": ("eligible", set(), None, True),  # individual, top manager
        # individual, top manager: the organization's major complaint of 2025 bars; the
        # person's own serious record of 2019 is a manual check (个人信用记录良好 is judged)
        "HK-2026-08": ("ineligible", {"employer_record"}, None, False),
    },
    "changning-2023": {
        "CN-2026-01": ("eligible", set(), None, False),
        "CN-2026-02": ("eligible", set(), None, False),  # policy losses 2022, 2023
        "CN-2026-03": ("eligible", set(), None, False),  # won 2021: the 5 years are over
        "CN-2026-04": ("ineligible", {"no_major_incidents"}, None, False),
        # won 质量金奖 2022 and 区长质量奖 2024: every award of its track is excluded
        "CN-2026-05": ("ineligible", {"after_award_lockout"}, "2026-12-31", False),
        "CN-2026-06": ("ineligible", {"no_losses"}, None, False),
        "CN-2026-07": ("eligible", set(), None, False),  # individual, top manager
        "CN-2026-08": ("ineligible", {"employer_record"}, None, False),  # individual
    },
    "chanhe-2021": {
        "CH-2026-01": ("eligible", set(), None, False),
        "CH-2026-02": ("eligible", set(), None, False),
        "CH-2026-03": ("ineligible", {"no_losses"}, None, False),  # policy loss not excepted
        "CH-2026-04": ("ineligible", {"no_serious_dishonesty"}, None, False),
        "CH-2026-05": ("ineligible", {"no_serious_violations"}, None, False),
        "CH-2026-06": ("ineligible", {"revocation_lockout"}, "2027-05-10", False),
        "CH-2026-07": ("eligible", set(), None, False),
        "CH-2026-08": ("eligible", set(), None, False),  # won 2023: 瀍河 has no lockout
    },
    "chongming-2022": {
        "CM-2026-01": ("eligible", set(), None, False),
        "CM-2026-02": ("eligible", set(), None, False),
        "CM-2026-03": ("eligible", set(), None, False),  # policy losses 2021, 2022
        "CM-2026-04": ("ineligible", {"min_years_established"}, None, False),
        "CM-2026-05": ("ineligible", {"no_major_incidents"}, None, False),
        "CM-2026-06": ("ineligible", {"not_applying_to_city_award_same_year"}, None, False),
        "CM-2026-07": ("ineligible", {"no_major_complaints"}, None, False),
        "CM-2026-08": ("eligible", set(), None, False),
    },
    "binjiang-2020": {
        "BJ-2026-01": ("eligible", set(), None, False),
        "BJ-2026-02": ("eligible", set(), None, False),  # 提名奖 2023 may apply again
        "BJ-2026-03": ("ineligible", {"after_award_lockout"}, "2027-12-31", False),
        "BJ-2026-04": ("eligible", set(), None, False),  # complaint, not at fault
        "BJ-2026-05": ("ineligible", {"excellence_model"}, None, False),
        "BJ-2026-06": ("ineligible", {"no_failed_inspections"}, None, False),
        "BJ-2026-07": ("ineligible", {"revocation_lockout"}, "2027-04-15", False),
        "BJ-2026-08": ("eligible", set(), None, False),  # 提名奖 2025 may apply again
    },
}

RESULT_KEYS = {"id", "policy", "on", "verdict", "reasons", "manual_checks", "fast_track",
               "barred_until", "excluded_tiers"}
REASON_KEYS = {"rule", "article", "message_zh", "message_en"}


@pytest.fixture(autouse=True)
def _isolated_user_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No imported calendars, extra policies or configuration from the machine running tests."""
    data = tmp_path / "qaward-data"
    monkeypatch.setenv("QAWARD_DATA_DIR", str(data))
    monkeypatch.delenv("QAWARD_POLICY_DIRS", raising=False)
    monkeypatch.delenv("QAWARD_CONFIG_DIR", raising=False)
    return data


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def screen_json(capsys: pytest.CaptureFixture[str], policy: str, file: Path,
                on: str | None = None) -> list[dict[str, Any]]:
    code, out, err = run(capsys, "screen", "--policy", policy, "--on", on or SCREEN_ON[policy],
                         "--json", str(file))
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, list)
    return data


def verdicts(results: list[dict[str, Any]]) -> dict[str, tuple[str, list[str]]]:
    return {r["id"]: (r["verdict"], sorted(x["rule"] for x in r["reasons"])) for r in results}


def qaward_executable() -> str:
    beside = Path(sys.executable).parent / "qaward"
    if beside.is_file():
        return str(beside)
    found = shutil.which("qaward")
    assert found, "the qaward console script is not installed"
    return found


# ---------------------------------------------------------------------------------------------
# policy


def test_policy_list_names_the_five_regulations(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policy", "list")
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == POLICY_IDS
    hongkou = next(line for line in lines if line.startswith("hongkou-2021"))
    assert "虹府规〔2021〕1号" in hongkou
    assert "2021-11-22 … 2026-11-21 (第三十三条)" in hongkou


def test_policy_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policy", "list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [r["id"] for r in rows] == POLICY_IDS
    by_id = {r["id"]: r for r in rows}
    assert by_id["changning-2023"]["jurisdiction"] == "上海市长宁区"
    assert by_id["binjiang-2020"]["document"] == "区办〔2020〕4号"
    # The digest a cycle pins: one per policy content.
    assert by_id["hongkou-2021"]["digest"] == policy_digest(load_policy("hongkou-2021"))
    assert len({r["digest"] for r in rows}) == len(rows)


def test_policy_show_lists_rules_with_their_articles(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policy", "show", "changning-2023")
    assert code == 0
    assert out.startswith("changning-2023  上海市长宁区政府质量奖管理办法")
    lines = [line.strip() for line in out.splitlines()]
    assert "in_force.until = 2028-11-14   [第三十九条]" in lines
    assert "after_award_lockout.years = 5   [第十八条]" in lines
    assert "eligibility.organization[licensed].rule = licensed   [第十六条第（二）项]" in lines
    assert "eligibility.individual[min_years_established].years = 5   [第十七条第（一）项]" in lines


def test_policy_show_lists_exits_notice_titles_and_timing_with_their_articles(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policy", "show", "changning-2023")
    assert code == 0
    lines = [line.strip() for line in out.splitlines()]
    assert "stages[material_review].exits[not_shortlisted].to = not_shortlisted   " \
        "[第二十二条第二款]" in lines
    assert "stages[site_review].exits = none   [第二十三条]" in lines
    assert "stages[approval].public_name_zh = 提请审定   [第二十五条第二款]" in lines
    assert "notices.final.title_zh = 拟获奖名单   [第二十五条第二款]" in lines
    assert "cycle.reviewed_on_arrival = no   [第二十条]" in lines
    removal = next(line for line in lines if line.startswith("objection_removal_by = "))
    assert removal.startswith("objection_removal_by = — (第三十一条")
    assert removal.endswith("[第三十一条]")


def test_policy_diff_shows_where_stages_end_differently(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policy", "diff", "chanhe-2021", "binjiang-2020", "--json")
    assert code == 0
    by_rule = {r["rule"]: r for r in json.loads(out)}
    # 瀍河 第十八条 drops applicants at the ranking; 滨江 四、（四） at the material review.
    ranking = by_rule["stages[ranking].exits[not_shortlisted].to"]
    assert ranking["chanhe-2021"] == {"value": "not_shortlisted", "article": "第十八条"}
    assert ranking["binjiang-2020"] is None
    material = by_rule["stages[material_review].exits[not_shortlisted].to"]
    assert material["binjiang-2020"] == {"value": "not_shortlisted", "article": "四、（四）"}
    assert by_rule["objection_removal_by"]["binjiang-2020"] == {"value": "committee",
                                                               "article": "四、（七）"}
    assert by_rule["notices.final.title_zh"]["chanhe-2021"] == {"value": "拟奖名单",
                                                               "article": "第十九条"}


def test_policy_show_unknown_policy_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "policy", "show", "pudong-2030")
    assert code == 1
    assert out == ""
    assert "pudong-2030" in err
    assert "changning-2023" in err  # the known policies are listed


def test_policy_diff_json_lines_up_rules_with_both_articles(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policy", "diff", "hongkou-2021", "changning-2023", "--json")
    assert code == 0
    rows = json.loads(out)
    assert rows
    for row in rows:
        assert set(row) == {"rule", "hongkou-2021", "changning-2023"}
    by_rule = {r["rule"]: r for r in rows}
    assert len(by_rule) == len(rows)
    assert by_rule["after_award_lockout.years"] == {
        "rule": "after_award_lockout.years",
        "hongkou-2021": {"value": "3", "article": "第十三条"},
        "changning-2023": {"value": "5", "article": "第十八条"},
    }
    assert by_rule["in_force.until"]["hongkou-2021"] == {"value": "2026-11-21",
                                                         "article": "第三十三条"}
    assert by_rule["in_force.until"]["changning-2023"] == {"value": "2028-11-14",
                                                           "article": "第三十九条"}
    assert by_rule["eligibility.individual[min_years_established].years"]["changning-2023"] == {
        "value": "5", "article": "第十七条第（一）项"}
    # A rule only 长宁 has: 首席质量官 (第十六条第（五）项).
    cqo = by_rule["eligibility.organization[chief_quality_officer].rule"]
    assert cqo["hongkou-2021"] is None
    assert cqo["changning-2023"]["article"] == "第十六条第（五）项"
    # Equal values are not differences.
    assert "tracks.organization.criteria" not in by_rule


def test_policy_diff_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policy", "diff", "hongkou-2021", "changning-2023")
    assert code == 0
    first = out.splitlines()[0]
    assert first.endswith("rule(s) differ between hongkou-2021 and changning-2023")
    assert "  hongkou-2021: 3 [第十三条]\n  changning-2023: 5 [第十八条]" in out


def test_policy_validate_all_ok(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "policy", "validate")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 5
    for pid, line in zip(POLICY_IDS, lines, strict=True):
        assert line.startswith(f"ok   {pid}: ")


@pytest.mark.parametrize("pid", POLICY_IDS)
def test_policy_validate_each_folder_ok(capsys: pytest.CaptureFixture[str], pid: str) -> None:
    code, out, err = run(capsys, "policy", "validate", str(POLICIES / pid))
    assert code == 0, err
    assert f"ok   {POLICIES / pid}: " in out


def test_policy_validate_broken_copy_exits_1(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    folder = tmp_path / "changning-2023"
    shutil.copytree(POLICIES / "changning-2023", folder)
    policy = folder / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    licensed = "    - {rule: licensed, cite: 第十六条第（二）项}\n"
    fast_track = "fast_track: {none:"
    assert text.count(licensed) == 1 and text.count(fast_track) == 1
    text = text.replace(licensed, "    - {rule: licensed}\n")  # citation missing
    text = text.replace(fast_track, "prize_ceremony: {value: true, cite: 第二条}\n" + fast_track)
    policy.write_text(text, encoding="utf-8")

    code, out, err = run(capsys, "policy", "validate", str(folder))
    assert code == 1
    assert "ok" not in out
    assert f"FAIL {folder}" in err
    assert str(policy) in err
    assert "licensed.cite: missing citation" in err
    assert "prize_ceremony: unknown key" in err

    # A good policy next to the broken one still validates, but the run fails.
    code, out, err = run(capsys, "policy", "validate", str(policy), "hongkou-2021")
    assert code == 1
    assert "ok   hongkou-2021: " in out
    assert "prize_ceremony" in err


# Ids and files (issue 7): a policy id of several words, validation from inside the folder,
# and one broken folder beside good ones.


def extra_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pid: str,
                 edit: Callable[[str], str] = lambda t: t) -> Path:
    """A copy of changning-2023 as policy ``pid`` in a QAWARD_POLICY_DIRS folder."""
    base = tmp_path / "policies"
    folder = base / pid
    shutil.copytree(POLICIES / "changning-2023", folder)
    policy = folder / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    assert text.count("id: changning-2023\n") == 1
    text = text.replace("id: changning-2023\n", f"id: {pid}\n")
    policy.write_text(edit(text), encoding="utf-8")
    monkeypatch.setenv("QAWARD_POLICY_DIRS", str(base))
    return folder


def test_policy_id_of_several_words(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    extra_policy(tmp_path, monkeypatch, "wuxi-binhu-2023")
    code, out, err = run(capsys, "policy", "validate", "wuxi-binhu-2023")
    assert code == 0, err
    assert out.startswith("ok   wuxi-binhu-2023: ")
    code, out, err = run(capsys, "policy", "list")
    assert code == 0, err
    assert [line.split()[0] for line in out.splitlines()] == sorted(
        [*POLICY_IDS, "wuxi-binhu-2023"])
    code, out, err = run(capsys, "policy", "show", "wuxi-binhu-2023")
    assert code == 0, err
    assert out.startswith("wuxi-binhu-2023  ")


@pytest.mark.parametrize("target", ["policy.yaml", ".", "./policy.yaml"])
def test_policy_validate_from_inside_the_folder(capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch,
                                                target: str) -> None:
    monkeypatch.chdir(POLICIES / "hongkou-2021")
    code, out, err = run(capsys, "policy", "validate", target)
    assert code == 0, err
    assert out.startswith(f"ok   {target}: ")


def test_policy_validate_from_inside_a_wrongly_named_folder(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = extra_policy(tmp_path, monkeypatch, "wuxi-binhu-2023")
    folder = folder.rename(folder.parent / "wuxi-2023")
    monkeypatch.chdir(folder)
    code, _, err = run(capsys, "policy", "validate", "policy.yaml")
    assert code == 1
    assert "id: `wuxi-binhu-2023` does not match its folder name `wuxi-2023`" in err


def test_policy_list_goes_on_past_a_broken_folder(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    folder = extra_policy(tmp_path, monkeypatch, "broken-2023",
                          lambda t: t.replace("award_name_zh:", "award_name_typo:", 1))
    extra_policy(tmp_path, monkeypatch, "wuxi-binhu-2023")
    code, out, err = run(capsys, "policy", "list")
    assert code == 1
    assert [line.split()[0] for line in out.splitlines()] == sorted(
        [*POLICY_IDS, "wuxi-binhu-2023"])
    assert err.splitlines() == [
        f"BROKEN broken-2023: {folder / 'policy.yaml'}: award_name_zh: missing key"]
    code, out, err = run(capsys, "policy", "list", "--json")
    assert code == 1
    assert [r["id"] for r in json.loads(out)] == sorted([*POLICY_IDS, "wuxi-binhu-2023"])
    assert "BROKEN broken-2023" in err


# ---------------------------------------------------------------------------------------------
# screen


@pytest.mark.parametrize("pid", POLICY_IDS)
def test_screen_examples_json(capsys: pytest.CaptureFixture[str], pid: str) -> None:
    results = screen_json(capsys, pid, EXAMPLES / f"{pid}.json")
    expected = EXPECTED[pid]
    assert [r["id"] for r in results] == list(expected)
    for r in results:
        assert set(r) >= RESULT_KEYS
        assert r["policy"] == pid
        assert r["on"] == SCREEN_ON[pid]
        verdict, rules, barred_until, fast_track = expected[r["id"]]
        assert r["verdict"] == verdict, r["id"]
        assert {x["rule"] for x in r["reasons"]} == rules, r["id"]
        assert r["barred_until"] == barred_until, r["id"]
        assert r["fast_track"] is fast_track, r["id"]
        for reason in r["reasons"]:
            assert set(reason) == REASON_KEYS
            assert reason["article"] and reason["message_zh"] and reason["message_en"]
        for check in r["manual_checks"]:
            assert check["article"] and check["text_zh"]
    # Roughly half of the examples are eligible, and every ineligible one for its own rule.
    eligible = [r for r in results if r["verdict"] == "eligible"]
    assert 3 <= len(eligible) <= 5
    rules = [x["rule"] for r in results for x in r["reasons"]]
    assert len(rules) == len(set(rules)) == len(results) - len(eligible)


def test_screen_json_articles_and_messages(capsys: pytest.CaptureFixture[str]) -> None:
    by_id = {r["id"]: r for r in screen_json(capsys, "hongkou-2021",
                                            EXAMPLES / "hongkou-2021.json")}
    [revoked] = by_id["HK-2026-06"]["reasons"]
    assert revoked["article"] == "第二十八条"
    assert "2027-06-18" in revoked["message_zh"]
    assert by_id["HK-2026-02"]["fast_track_article"] == "第十五条"
    [employer] = by_id["HK-2026-08"]["reasons"]
    assert employer["article"] == "第十二条第（三）项"
    # 个人信用记录良好: the person's own old serious record is for the office to judge.
    [dishonest] = [m for m in by_id["HK-2026-08"]["manual_checks"]
                   if m["rule"] == "no_serious_dishonesty"]
    assert dishonest["article"] == "第十二条第（三）项"
    assert dishonest["key"] == "no_serious_dishonesty:dishonesty.0"
    assert "2019-08-27" in dishonest["text_zh"]

    by_id = {r["id"]: r for r in screen_json(capsys, "changning-2023",
                                            EXAMPLES / "changning-2023.json")}
    assert by_id["CN-2026-05"]["excluded_tiers"] == [
        {"tier": "mayor", "article": "第十八条", "until": "2028-12-31"},
        {"tier": "gold", "article": "第十八条", "until": "2026-12-31"}]
    # Every example states the facts the rules need: no check asks for one.
    for r in by_id.values():
        assert not [m for m in r["manual_checks"] if "does not state" in m["text_en"]], r["id"]

    by_id = {r["id"]: r for r in screen_json(capsys, "binjiang-2020",
                                            EXAMPLES / "binjiang-2020.json")}
    [barred] = by_id["BJ-2026-03"]["reasons"]
    assert barred["article"] == "五、（四）"
    assert barred["message_zh"] == "2023年获奖，获奖后5年内不得再次申报（至2027-12-31）"


def test_screen_text_exits_0_with_ineligible_applicants(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "screen", "--policy", "changning-2023", "--on", "2026-11-22",
                         str(EXAMPLES / "changning-2023.json"))
    assert code == 0
    assert err == ""
    assert out.splitlines()[0] == ("changning-2023 (上海市长宁区政府质量奖管理办法) on 2026-11-22: "
                                   "4 eligible, 4 ineligible, 0 record error(s)")
    assert "✗ 不符合  CN-2026-06  上海新华路文化传媒有限公司" in out
    assert "      - 2024年度亏损 / made a loss in 2024 [第十六条第（六）项]" in out
    assert "✓ 符合  CN-2026-07  李海燕" in out
    assert ("✗ 不符合  CN-2026-05  上海北新泾环境科技有限公司  (barred until 2026-12-31; "
            "not for mayor until 2028-12-31 [第十八条]; not for gold until 2026-12-31 [第十八条]"
            in out)


def test_screen_record_error_exits_1_and_the_others_are_printed(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    records = json.loads((EXAMPLES / "chongming-2022.json").read_text(encoding="utf-8"))[:3]
    bad = dict(records[1], id="CM-BAD-01", established_on="2019-02-30")
    records[1] = bad
    typo = {k: v for k, v in records[2].items() if k != "sector"} | {"sectr": "生态农业"}
    records.append(typo | {"id": "CM-BAD-02"})
    file = tmp_path / "applicants.json"
    file.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")

    code, out, err = run(capsys, "screen", "--policy", "chongming-2022", "--on", "2026-11-22",
                         "--json", str(file))
    assert code == 1
    results = json.loads(out)
    assert [r["id"] for r in results] == ["CM-2026-01", "CM-2026-03"]
    assert [r["verdict"] for r in results] == ["eligible", "eligible"]
    err_lines = err.splitlines()
    assert len(err_lines) == 2
    assert "CM-BAD-01" in err_lines[0] and "`established_on`" in err_lines[0]
    assert "CM-BAD-02" in err_lines[1] and "`sectr`" in err_lines[1]
    assert "unknown field" in err_lines[1]


def test_screen_on_a_date_the_policy_is_not_in_force(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "screen", "--policy", "hongkou-2021", "--on", "2026-11-22",
                         str(EXAMPLES / "hongkou-2021.json"))
    assert code == 1
    assert out == ""
    assert "第三十三条" in err
    assert "2026-11-21" in err


def _tabular_rows(records: list[dict[str, Any]]) -> tuple[list[str], list[dict[str, Any]]]:
    """Records as table rows: list and object fields hold JSON text."""
    columns = list(dict.fromkeys(k for r in records for k in r))
    rows = []
    for r in records:
        row = {}
        for c in columns:
            v = r.get(c)
            if isinstance(v, list | dict):
                v = json.dumps(v, ensure_ascii=False)
            row[c] = v
        rows.append(row)
    return columns, rows


@pytest.mark.parametrize("pid", ["changning-2023", "binjiang-2020"])
def test_screen_csv_and_xlsx_give_the_json_verdicts(capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path, pid: str) -> None:
    source = EXAMPLES / f"{pid}.json"
    records = json.loads(source.read_text(encoding="utf-8"))
    columns, rows = _tabular_rows(records)

    csv_file = tmp_path / "applicants.csv"
    with csv_file.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if v is None else "是" if v is True else "否" if v is False
                                 else v) for k, v in row.items()})

    xlsx_file = tmp_path / "applicants.xlsx"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(columns)
    for row in rows:
        values = []
        for c in columns:
            v = row[c]
            if c == "established_on":
                v = dt.datetime.fromisoformat(v)  # a real Excel date cell
            values.append(v)
        ws.append(values)
    wb.save(xlsx_file)

    from_json = screen_json(capsys, pid, source)
    from_csv = screen_json(capsys, pid, csv_file)
    from_xlsx = screen_json(capsys, pid, xlsx_file)
    assert verdicts(from_json) == {
        i: (v, sorted(rules)) for i, (v, rules, _, _) in EXPECTED[pid].items()
    }
    assert verdicts(from_csv) == verdicts(from_json)
    assert verdicts(from_xlsx) == verdicts(from_json)
    assert [r["barred_until"] for r in from_xlsx] == [r["barred_until"] for r in from_json]
    assert [r["barred_until"] for r in from_csv] == [r["barred_until"] for r in from_json]


def test_screen_out_writes_xlsx(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_file = tmp_path / "result.xlsx"
    code, out, err = run(capsys, "screen", "--policy", "binjiang-2020", "--on", "2026-11-22",
                         "--out", str(out_file), str(EXAMPLES / "binjiang-2020.json"))
    assert code == 0
    assert f"wrote {out_file}" in err
    assert "4 eligible, 4 ineligible" in out

    wb = load_workbook(out_file)
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("编号 ID", "名称 Name", "结论 Verdict", "不符合的条件 Reasons",
                       "依据条款 Articles", "需人工核查 Manual checks", "直通资料评审 Fast track",
                       "限制申报至 Barred until")
    body = rows[1:]
    assert [r[0] for r in body] == list(EXPECTED["binjiang-2020"])
    for r in body:
        verdict = EXPECTED["binjiang-2020"][r[0]][0]
        assert r[2] == ("符合" if verdict == "eligible" else "不符合")
    barred = {r[0]: r[7] for r in body}
    assert barred["BJ-2026-03"] is not None
    assert str(barred["BJ-2026-03"])[:10] == "2027-12-31"
    assert barred["BJ-2026-01"] is None
    row3 = next(r for r in body if r[0] == "BJ-2026-03")
    assert row3[4] == "五、（四）"


def test_screen_unsupported_file_type_exits_1(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    file = tmp_path / "applicants.txt"
    file.write_text("x", encoding="utf-8")
    code, _, err = run(capsys, "screen", "--policy", "binjiang-2020", "--on", "2026-11-22",
                       str(file))
    assert code == 1
    assert "unsupported file type `.txt`" in err


# ---------------------------------------------------------------------------------------------
# calendar


def test_is_workday_adjusted_saturday(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "calendar", "is-workday", "2026-10-10")
    assert code == 0
    assert out.strip() == "工作日 workday"
    code, out, _ = run(capsys, "calendar", "is-workday", "2026-10-10", "--json")
    assert json.loads(out) == {"date": "2026-10-10", "workday": True}


def test_is_workday_national_day(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "calendar", "is-workday", "2026-10-01")
    assert code == 0
    assert out.strip() == "休息日 rest day"
    code, out, _ = run(capsys, "calendar", "is-workday", "2026-10-01", "--json")
    assert json.loads(out) == {"date": "2026-10-01", "workday": False}


def test_is_workday_unpublished_year_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "calendar", "is-workday", "2027-03-01")
    assert code == 1
    assert out == ""
    assert "2027" in err
    assert "qaward calendar import" in err


def test_notice_changning_final(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "calendar", "notice", "--policy", "changning-2023", "--stage",
                       "final", "--start", "2026-09-28", "--json")
    assert code == 0
    assert json.loads(out) == {
        "start": "2026-09-28", "first_counted_day": "2026-09-29", "end": "2026-10-10",
        "rule": "不少于5个工作日", "article": "第二十五条第二款",
        "period_zh": "公示期：2026年9月29日至2026年10月10日",
        "period_en": "Notice period: 29 September 2026 to 10 October 2026",
        "counting_source": "law", "counting_cite": "民法典 第二百零一条、第二百零三条",
        "counting_zh": "民法典 第二百零一条、第二百零三条",
        "counting_en": "Civil Code, Articles 201 and 203"}
    code, out, _ = run(capsys, "calendar", "notice", "--policy", "changning-2023", "--stage",
                       "final", "--start", "2026-09-28")
    assert code == 0
    assert out.strip().splitlines() == [
        "公示期：2026年9月29日至2026年10月10日（2026年9月28日发布；不少于5个工作日，"
        "changning-2023 第二十五条第二款；计算依据：民法典 第二百零一条、第二百零三条）",
        "Notice period: 29 September 2026 to 10 October 2026 (published 28 September 2026; "
        "changning-2023 第二十五条第二款; counted by Civil Code, Articles 201 and 203)"]


def test_notice_prints_the_offices_counting_decision(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "chanhe-2021.yaml").write_text(
        "policy: chanhe-2021\nvalues:\n  notice_counting.publication_day_counts:\n"
        "    {value: true, cite: 区市场监管局通知（2026）2号}\n", encoding="utf-8")
    monkeypatch.setenv("QAWARD_CONFIG_DIR", str(tmp_path))
    code, out, _ = run(capsys, "calendar", "notice", "--policy", "chanhe-2021", "--stage",
                       "final", "--start", "2026-09-28")
    assert code == 0
    assert out.strip().splitlines()[0] == (
        "公示期：2026年9月28日至2026年10月8日（2026年9月28日发布；7天，chanhe-2021 第十九条；"
        "计算依据：评审办决定（区市场监管局通知（2026）2号）：发布之日计为第1日）")


def test_notice_hongkou_eligibility_asks_for_configuration(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "calendar", "notice", "--policy", "hongkou-2021", "--stage",
                         "eligibility", "--start", "2026-09-28", "--json")
    assert code == 1
    assert out == ""
    assert "notices.eligibility.length" in err
    assert "第十五条" in err
    assert "Configure it" in err


def test_notice_not_required_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "calendar", "notice", "--policy", "binjiang-2020", "--stage",
                       "eligibility", "--start", "2026-09-28")
    assert code == 1
    assert "requires no `eligibility` notice" in err


def _schedule_2027() -> dict[str, Any]:
    holidays = {"2027-01-01": "New Year's Day"}
    holidays |= {f"2027-02-{d:02d}": "Spring Festival" for d in range(6, 14)}
    holidays |= {f"2027-10-{d:02d}": "National Day" for d in range(1, 8)}
    return {
        "year": 2027,
        "complete": True,
        "source": "test schedule for 2027",
        "holidays": holidays,
        "working_weekends": {"2027-02-20": "Spring Festival", "2027-10-09": "National Day"},
        "in_lieu_days": {"2027-02-12": "Spring Festival"},
    }


def test_calendar_import_then_2027_works(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                         _isolated_user_data: Path) -> None:
    file = tmp_path / "2027.json"
    file.write_text(json.dumps(_schedule_2027()), encoding="utf-8")
    code, _, _ = run(capsys, "calendar", "is-workday", "2027-03-01")
    assert code == 1  # not loaded yet

    code, out, err = run(capsys, "calendar", "import", str(file))
    assert code == 0, err
    assert out.strip() == ("imported 2027: 16 holidays, 2 working weekend days, complete")
    assert (_isolated_user_data / "calendar" / "2027.json").is_file()

    for day, workday in [("2027-03-01", True), ("2027-02-08", False), ("2027-02-20", True),
                         ("2027-10-09", True), ("2027-10-10", False)]:
        code, out, _ = run(capsys, "calendar", "is-workday", day, "--json")
        assert code == 0
        assert json.loads(out) == {"date": day, "workday": workday}


def test_calendar_import_invalid_file_exits_1(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path, _isolated_user_data: Path) -> None:
    data = _schedule_2027() | {"holidays": {"2027-13-01": "New Year's Day"}}
    file = tmp_path / "2027.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run(capsys, "calendar", "import", str(file))
    assert code == 1
    assert str(file) in err
    assert "2027-13-01" in err
    assert not (_isolated_user_data / "calendar" / "2027.json").exists()


@pytest.mark.parametrize("argv", [
    ["calendar", "is-workday", "2026-13-01"],
    ["calendar", "is-workday", "10/10/2026"],
    ["calendar", "notice", "--policy", "changning-2023", "--stage", "final", "--start", "tomorrow"],
    ["screen", "--policy", "binjiang-2020", "--on", "2026-02-30", "x.json"],
])
def test_bad_date_argument_exits_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    _, err = capsys.readouterr()
    assert "invalid date" in err
    assert "YYYY-MM-DD" in err


# ---------------------------------------------------------------------------------------------
# demo and the installed executable


def test_demo_exits_0_and_screens_every_policy(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "demo", "--on", "2026-11-22")
    assert code == 0, err
    assert err == ""
    for pid in POLICY_IDS:
        on = SCREEN_ON[pid]
        assert f"== {pid}  " in out
        assert f"screened on {on}: 4 eligible, 4 ineligible" in out
    assert ("[hongkou-2021] hongkou-2021 is not in force on 2026-11-22: it expired on 2026-11-21 "
            "(第三十三条); screening on its last day in force, 2026-11-21, instead") in out
    assert ("✓ 符合  HK-2026-02  上海北外滩国际航运服务有限公司  "
            "(可直接进入资料评审 fast track [第十五条]") in out
    assert "✗ 不符合  BJ-2026-03  杭州浦沿光电科技有限公司  (barred until 2027-12-31" in out
    ids = {i for expected in EXPECTED.values() for i in expected}
    assert sum(f"  {i}  " in out for i in ids) == len(ids) == 40


def test_executable_demo_and_screen() -> None:
    exe = qaward_executable()
    demo = subprocess.run([exe, "demo"], capture_output=True, text=True, timeout=120,
                          check=False)
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.startswith("qaward demo — screening the bundled example applicants")
    assert demo.stdout.count("\n== ") == 5

    screen = subprocess.run(
        [exe, "screen", "--policy", "chanhe-2021", "--on", "2026-11-22", "--json",
         str(EXAMPLES / "chanhe-2021.json")],
        capture_output=True, text=True, timeout=120, check=False)
    assert screen.returncode == 0, screen.stderr
    assert verdicts(json.loads(screen.stdout)) == {
        i: (v, sorted(rules)) for i, (v, rules, _, _) in EXPECTED["chanhe-2021"].items()
    }

    bad = subprocess.run([exe, "calendar", "is-workday", "2026-10-32"], capture_output=True,
                         text=True, timeout=60, check=False)
    assert bad.returncode == 2
    assert "invalid date '2026-10-32'" in bad.stderr


# ---------------------------------------------------------------------------------------------
# policy show --with-text (issue 7)


def test_policy_show_with_text_prints_each_value_beside_its_article(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "policy", "show", "changning-2023", "--with-text")
    assert code == 0, err
    assert ("  incubation_pool.mentors_recuse = yes   [第十五条第二款]\n"
            "      │ 上海市政府质量奖专家库成员担任指导专家的,应当向评审办备案,"
            "并在评审中主动履行回避义务。\n") in out
    # Values sharing a citation are followed by its text once.
    assert ("  reviewers.recusal = interest   [第二十八条第（三）项]\n"
            "  reviewers.staff_recuse_too = yes   [第二十八条第（三）项]\n"
            "      │ （三）评审人员及工作人员与申报组织或个人有利害关系的,"
            "本人应主动提出回避。\n") in out
    assert "!" not in out  # every citation found, exactly


@pytest.mark.parametrize("pid", POLICY_IDS)
def test_policy_show_with_text_finds_every_article(capsys: pytest.CaptureFixture[str],
                                                   pid: str) -> None:
    code, out, err = run(capsys, "policy", "show", pid, "--with-text")
    assert code == 0, err
    assert "      ! " not in out
    assert out.count("      │ ") > 25


def test_policy_show_with_text_says_when_only_the_article_is_found(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    extra_policy(tmp_path, monkeypatch, "wuxi-binhu-2023", lambda t: t.replace(
        "mentors_recuse: {value: true, cite: 第十五条第二款}",
        "mentors_recuse: {value: true, cite: 第十五条第五款}"))
    code, out, err = run(capsys, "policy", "show", "wuxi-binhu-2023", "--with-text")
    assert code == 0, err
    assert ("  incubation_pool.mentors_recuse = yes   [第十五条第五款]\n"
            "      ! 第十五条第五款: 第五款 not found, the whole 第十五条 instead\n"
            "      │ 鼓励和支持上海市政府质量奖专家库成员担任指导专家") in out
    # and validation refuses the citation of a paragraph the article does not have
    code, _, err = run(capsys, "policy", "validate", "wuxi-binhu-2023")
    assert code == 1
    assert ("incubation_pool.mentors_recuse: cites 第十五条第五款, but 第十五条第五款: 第五款 not "
            "found, the whole 第十五条 instead") in err
