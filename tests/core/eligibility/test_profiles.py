"""Reading applicant profiles: defaults, refusals naming the record and the field, files.

docs/conventions.md (Applicant profiles): facts not stated are unknown (None), lists empty,
an event counts unless declared otherwise, ``policy_loss`` defaults to false; unknown fields are
refused; CSV/XLSX rows hold list fields as JSON text and booleans as true/false, 是/否, 1/0; one
bad record never stops the others.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from qaward.core.eligibility import Profile, parse_profile, read_profiles
from qaward.core.eligibility.profile import ProfileFileError
from qaward.core.errors import ProfileError

D = dt.date


def minimal(**changes: Any) -> dict[str, Any]:
    return {"id": "r-1", "name": "某公司", "kind": "organization", "jurisdiction": "虹口区",
            "established_on": "2015-03-01", **changes}


def problem_text(err: ProfileError) -> str:
    return "\n".join(err.problems)


# -- defaults -----------------------------------------------------------------------------


def test_facts_not_stated_are_unknown_not_true() -> None:
    p = parse_profile(minimal())
    assert p.legal_person is None
    assert p.pays_tax_locally is None
    assert p.licensed is None
    assert p.chief_quality_officer is None
    assert p.for_profit is None
    assert p.top_manager is True


def test_a_national_award_tier_is_award_or_nomination() -> None:
    for tier in ("award", "nomination", None):
        award = {"level": "national", "year": 2024, **({"tier": tier} if tier else {})}
        assert parse_profile(minimal(awards=[award])).awards[0].tier == tier
    with pytest.raises(ProfileError, match=r"`award` .* or `nomination`"):
        parse_profile(minimal(awards=[{"level": "national", "year": 2024, "tier": "gold"}]))


def test_lists_default_to_empty_and_optional_facts_to_none() -> None:
    p = parse_profile(minimal())
    for name in ("annual_results", "incidents", "complaints", "failed_inspections",
                 "dishonesty", "violations", "awards", "other_applications"):
        assert getattr(p, name) == (), name
    assert p.excellence_model_since is None
    assert p.employer is None
    assert p.sector is None


def test_event_defaults_count_the_event_and_do_not_excuse_a_loss() -> None:
    p = parse_profile(minimal(
        annual_results=[{"year": 2025, "profit": -1}],
        incidents=[{"date": "2025-01-01", "kind": "quality"}],
        complaints=[{"date": "2025-01-01"}],
        dishonesty=[{"date": "2025-01-01"}],
        violations=[{"date": "2025-01-01"}],
        awards=[{"level": "district", "year": 2024}],
    ))
    assert p.annual_results[0].policy_loss is False
    assert p.incidents[0].major is True
    assert p.complaints[0].major is True
    assert p.complaints[0].organization_at_fault is True
    assert p.dishonesty[0].serious is True
    assert p.violations[0].serious is True
    assert p.awards[0].revoked_on is None and p.awards[0].revocation_cause is None
    assert p.awards[0].tier is None and p.awards[0].jurisdiction is None


def test_an_individual_with_an_employer_profile() -> None:
    p = parse_profile(minimal(id="p-1", kind="individual", top_manager=False,
                              employer=minimal(id="e-1")))
    assert p.kind == "individual" and p.top_manager is False
    assert p.employer is not None and p.employer.id == "e-1" and p.employer.licensed is None


# -- refusals: each names the record (by id) and the field --------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"licenced": False}, "licenced", id="an unknown (misspelt) field"),
        pytest.param({"established_on": "2020-13-01"}, "established_on", id="a bad date"),
        pytest.param({"established_on": "15/03/2020"}, "established_on",
                     id="a date not in ISO form"),
        pytest.param({"incidents": [{"date": "2025-01-01", "kind": "fire"}]},
                     "incidents.0.kind", id="a bad incident kind"),
        pytest.param({"incidents": [{"date": "2025-02-30", "kind": "quality"}]},
                     "incidents.0.date", id="a bad incident date"),
        pytest.param({"kind": "company"}, "kind", id="a bad applicant kind"),
        pytest.param({"licensed": "maybe"}, "licensed", id="a bad boolean"),
        pytest.param({"awards": [{"level": "district", "year": 2024,
                                  "revoked_on": "2025-01-01"}]},
                     "awards.0", id="revoked_on without revocation_cause"),
        pytest.param({"awards": [{"level": "district", "year": 2024,
                                  "revocation_cause": "fraud"}]},
                     "awards.0", id="revocation_cause without revoked_on"),
        pytest.param({"awards": [{"level": "district", "year": 2024,
                                  "revoked_on": "2025-01-01", "revocation_cause": "bribery"}]},
                     "awards.0.revocation_cause", id="a bad revocation cause"),
        pytest.param({"annual_results": [{"year": 2025, "profit": 1, "policyloss": True}]},
                     "annual_results.0.policyloss", id="an unknown field inside a list"),
        pytest.param({"employer": minimal(id="e-1")}, "<record>",
                     id="an employer given for an organization"),
    ],
)
def test_a_bad_record_is_refused_naming_the_record_and_the_field(
        changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ProfileError) as info:
        parse_profile(minimal(id="bad-1", **changes), index=4)
    err = info.value
    assert err.record == "#5 (id bad-1)"
    assert f"field `{field}`" in problem_text(err)
    assert "bad-1" in str(err) and field in str(err)


def test_a_revocation_without_its_cause_says_what_to_give() -> None:
    with pytest.raises(ProfileError) as info:
        parse_profile(minimal(awards=[{"level": "district", "year": 2024,
                                       "revoked_on": "2025-01-01"}]))
    assert "revocation_cause" in problem_text(info.value)


def test_an_unknown_field_is_called_unknown() -> None:
    with pytest.raises(ProfileError) as info:
        parse_profile(minimal(pays_tax_localy=False))
    assert "unknown field" in problem_text(info.value)


def test_the_unknown_field_message_points_to_an_existing_document() -> None:
    with pytest.raises(ProfileError) as info:
        parse_profile(minimal(pays_tax_localy=False))
    named = re.findall(r"docs/[\w.-]+\.md", problem_text(info.value))
    assert named
    root = Path(__file__).resolve().parents[3]
    assert all((root / doc).is_file() for doc in named), named


def test_a_missing_required_field_is_named() -> None:
    raw = minimal()
    del raw["established_on"]
    with pytest.raises(ProfileError) as info:
        parse_profile(raw)
    assert "field `established_on`: required field is missing" in problem_text(info.value)


def test_a_record_without_an_id_is_named_by_its_position() -> None:
    raw = minimal()
    del raw["id"]
    with pytest.raises(ProfileError) as info:
        parse_profile(raw, index=2)
    assert info.value.record == "#3"
    assert "field `id`" in problem_text(info.value)


def test_a_record_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(ProfileError) as info:
        parse_profile(["not", "an", "object"], index=0)
    assert info.value.record == "#1"


# -- files ---------------------------------------------------------------------------------


def test_json_one_bad_record_does_not_stop_the_others(tmp_path: Path) -> None:
    path = tmp_path / "applicants.json"
    records = [
        minimal(id="good-1"),
        minimal(id="bad-2", incidents=[{"date": "2025-01-01", "kind": "earthquake"}]),
        minimal(id="good-3", licensed=False),
        minimal(id="bad-4", established_on="yesterday"),
    ]
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    batch = read_profiles(path)
    assert batch.source == str(path)
    assert [type(r).__name__ for r in batch.records] == [
        "Profile", "ProfileError", "Profile", "ProfileError"]
    assert [p.id for p in batch.profiles()] == ["good-1", "good-3"]
    errors = list(batch.errors())
    assert [e.record for e in errors] == ["#2 (id bad-2)", "#4 (id bad-4)"]
    assert "field `incidents.0.kind`" in problem_text(errors[0])
    assert "field `established_on`" in problem_text(errors[1])


def test_json_file_with_a_single_object(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps(minimal(), ensure_ascii=False), encoding="utf-8")
    assert [p.id for p in read_profiles(path).profiles()] == ["r-1"]


def test_a_file_that_is_not_json_is_refused_as_a_whole(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("[{", encoding="utf-8")
    with pytest.raises(ProfileFileError, match="not valid JSON"):
        read_profiles(path)


def test_an_unsupported_file_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "applicants.txt"
    path.write_text("", encoding="utf-8")
    with pytest.raises(ProfileFileError, match="unsupported file type"):
        read_profiles(path)


CSV_COLUMNS = ["id", "name", "kind", "jurisdiction", "established_on", "licensed",
               "chief_quality_officer", "legal_person", "excellence_model_since",
               "annual_results", "incidents", "awards"]

INCIDENTS = json.dumps([{"date": "2025-05-01", "kind": "safety", "major": False}])
RESULTS = json.dumps([{"year": 2025, "profit": -10, "policy_loss": True}])
AWARDS = json.dumps([{"level": "district", "year": 2022, "tier": "gold",
                      "revoked_on": "2023-01-05", "revocation_cause": "fraud"}])


def csv_rows() -> list[list[str]]:
    return [
        ["c-1", "甲公司", "organization", "虹口区", "2015-03-01", "是", "否", "",
         "2018-01-01", RESULTS, INCIDENTS, AWARDS],
        ["c-2", "乙公司", "organization", "虹口区", "2016-04-02", "bad", "1", "0",
         "", "", "", ""],
        ["c-3", "丙公司", "organization", "虹口区", "2017-05-03", "true", "无", "有",
         "", "[]", "[{", ""],
        ["c-4", "丁公司", "organization", "虹口区", "2017-13-03", "", "", "", "", "", "", ""],
        ["c-5", "戊公司", "organization", "虹口区", "2018-06-04", "FALSE", "√", "×",
         "", "", "", ""],
    ]


def write_csv(path: Path, encoding: str) -> None:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(csv_rows())


def check_csv_batch(path: Path) -> None:
    batch = read_profiles(path)
    assert [r.id if isinstance(r, Profile) else r.record for r in batch.records] == [
        "c-1", "#2 (id c-2)", "#3 (id c-3)", "#4 (id c-4)", "c-5"]
    good = {p.id: p for p in batch.profiles()}
    c1 = good["c-1"]
    assert c1.established_on == D(2015, 3, 1)
    assert c1.licensed is True and c1.chief_quality_officer is False
    assert c1.legal_person is None  # empty cell: not stated
    assert c1.pays_tax_locally is None  # no column: not stated
    assert c1.excellence_model_since == D(2018, 1, 1)
    assert c1.annual_results[0].policy_loss is True and c1.annual_results[0].profit == -10
    assert c1.incidents[0].kind == "safety" and c1.incidents[0].major is False
    assert c1.awards[0].revocation_cause == "fraud"
    assert c1.awards[0].revoked_on == D(2023, 1, 5)
    c5 = good["c-5"]
    assert (c5.licensed, c5.chief_quality_officer, c5.legal_person) == (False, True, False)
    assert c5.incidents == () and c5.excellence_model_since is None
    bad = {e.record: problem_text(e) for e in batch.errors()}
    assert "licensed" in bad["#2 (id c-2)"] and "'bad'" in bad["#2 (id c-2)"]
    assert "incidents" in bad["#3 (id c-3)"] and "JSON" in bad["#3 (id c-3)"]
    assert "field `established_on`" in bad["#4 (id c-4)"]


def test_csv_with_json_cells_and_chinese_booleans(tmp_path: Path) -> None:
    path = tmp_path / "applicants.csv"
    write_csv(path, "utf-8")
    check_csv_batch(path)


def test_csv_with_a_utf8_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "excel-export.csv"
    write_csv(path, "utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    check_csv_batch(path)


def test_a_csv_cell_may_say_a_fact_is_unknown(tmp_path: Path) -> None:
    path = tmp_path / "unknown.csv"
    path.write_text("id,name,kind,jurisdiction,established_on,licensed,for_profit,top_manager\n"
                    "u-1,某公司,organization,虹口区,2015-03-01,不详,unknown,未知\n",
                    encoding="utf-8")
    [p] = read_profiles(path).profiles()
    assert (p.licensed, p.for_profit, p.top_manager) == (None, None, True)


def test_a_csv_that_is_not_utf8_is_refused_as_a_whole(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes(",".join(CSV_COLUMNS[:5]).encode() + "\n甲,某公司".encode("gbk"))
    with pytest.raises(ProfileFileError, match="UTF-8"):
        read_profiles(path)


XLSX_COLUMNS = ["id", "name", "kind", "jurisdiction", "established_on", "licensed",
                "top_manager", "excellence_model_since", "incidents", "employer"]


def write_xlsx(path: Path, rows: list[list[Any]]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(XLSX_COLUMNS)
    for row in rows:
        ws.append(row)
    wb.save(path)


def test_xlsx_with_date_cells_boolean_cells_and_json_text(tmp_path: Path) -> None:
    path = tmp_path / "applicants.xlsx"
    employer = json.dumps(minimal(id="x-employer"), ensure_ascii=False)
    write_xlsx(path, [
        ["x-1", "甲公司", "organization", "虹口区", D(2015, 3, 1), False, None,
         D(2019, 9, 9), INCIDENTS, None],
        ["x-2", "乙公司", "organization", "虹口区", D(2016, 3, 1), True, None, None,
         json.dumps([{"date": "2025-01-01", "kind": "meteor"}]), None],
        [None] * len(XLSX_COLUMNS),  # an empty row is skipped
        ["x-3", "张三", "individual", "虹口区", "2018-07-01", "是", "否", None, None,
         employer],
        ["x-4", "丙公司", "organization", "虹口区", D(2017, 3, 1), "也许", None, None,
         None, None],
    ])
    batch = read_profiles(path)
    assert [r.id if isinstance(r, Profile) else r.record for r in batch.records] == [
        "x-1", "#2 (id x-2)", "x-3", "#4 (id x-4)"]
    good = {p.id: p for p in batch.profiles()}
    x1 = good["x-1"]
    assert x1.established_on == D(2015, 3, 1) and x1.licensed is False
    assert x1.excellence_model_since == D(2019, 9, 9)
    assert x1.incidents[0].kind == "safety"
    x3 = good["x-3"]
    assert x3.kind == "individual" and x3.top_manager is False and x3.licensed is True
    assert x3.employer is not None and x3.employer.id == "x-employer"
    bad = {e.record: problem_text(e) for e in batch.errors()}
    assert "field `incidents.0.kind`" in bad["#2 (id x-2)"]
    assert "licensed" in bad["#4 (id x-4)"]


def test_xlsx_numeric_id_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "numeric-id.xlsx"
    write_xlsx(path, [[1001, "甲公司", "organization", "虹口区", D(2015, 3, 1), True, None,
                       None, None, None]])
    (record,) = read_profiles(path).records
    assert isinstance(record, Profile) and record.id == "1001"


def test_the_same_applicant_reads_the_same_from_json_csv_and_xlsx(tmp_path: Path) -> None:
    raw = minimal(id="same-1", licensed=False,
                  incidents=[{"date": "2025-05-01", "kind": "safety", "major": False}])
    as_json = tmp_path / "a.json"
    as_json.write_text(json.dumps([raw], ensure_ascii=False), encoding="utf-8")
    columns = list(raw)
    cells = ["否" if k == "licensed" else
             json.dumps(v) if isinstance(v, list) else v for k, v in raw.items()]
    as_csv = tmp_path / "a.csv"
    with as_csv.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerow(cells)
    as_xlsx = tmp_path / "a.xlsx"
    wb = Workbook()
    wb.active.append(columns)
    wb.active.append(cells)
    wb.save(as_xlsx)
    read = [list(read_profiles(p).profiles()) for p in (as_json, as_csv, as_xlsx)]
    assert read[0] == read[1] == read[2] and len(read[0]) == 1
