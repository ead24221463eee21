import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from qaward.core.criteria import (
    UnknownCriteria,
    list_criteria,
    load_criteria,
    load_criteria_file,
    score,
)
from qaward.core.criteria.loader import builtin_dir
from qaward.core.errors import PolicyFileError

GBT_DATA: dict[str, Any] = yaml.safe_load(
    (builtin_dir() / "gbt19580-2012.yaml").read_text(encoding="utf-8")
)


def broken(tmp_path: Path, change: Callable[[dict[str, Any]], object]) -> PolicyFileError:
    """Write GB/T 19580 with `change` applied and return the error loading it raises."""
    data = copy.deepcopy(GBT_DATA)
    change(data)
    path = tmp_path / "gbt19580-2012.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PolicyFileError) as info:
        load_criteria_file(path)
    assert info.value.file == str(path)
    assert str(path) in str(info.value)
    return info.value


def test_every_yaml_file_in_the_data_folder_is_a_criteria_set() -> None:
    on_file = sorted(p.stem for p in builtin_dir().glob("*.yaml"))
    assert list_criteria() == on_file
    assert {"gbt19580-2012", "individual-rubric"} <= set(on_file)
    for criteria_id in on_file:
        assert load_criteria(criteria_id).id == criteria_id


def test_an_unknown_id_names_the_known_ones() -> None:
    with pytest.raises(UnknownCriteria, match="gbt19580-2012"):
        load_criteria("db31t598-2023")


def test_item_points_that_do_not_add_up_name_the_category_and_both_sums(tmp_path: Path) -> None:
    error = broken(tmp_path, lambda d: d["categories"][0]["items"][0].update(points=40))
    assert error.problems == [
        "categories[0].points: category 4.1 has 110 points but its items add up to 100 "
        "(4.1.2 40 + 4.1.3 30 + 4.1.4 30)"
    ]


def test_category_points_that_do_not_add_up_to_the_total_are_rejected(tmp_path: Path) -> None:
    error = broken(tmp_path, lambda d: d.update(total_points=1100))
    assert error.problems == ["total_points: 1100 but the categories add up to 1000"]


def test_an_unknown_key_is_named_with_its_path(tmp_path: Path) -> None:
    error = broken(tmp_path, lambda d: d["categories"][3]["items"][1].update(weight=2))
    assert error.problems == ["categories[3].items[1].weight: unknown key"]


def test_a_missing_key_is_named_with_its_path(tmp_path: Path) -> None:
    error = broken(tmp_path, lambda d: d["categories"][6]["items"][0].pop("kind"))
    assert error.problems == ["categories[6].items[0].kind: missing required key"]


def test_an_item_without_a_citation_fails_to_load(tmp_path: Path) -> None:
    error = broken(tmp_path, lambda d: d["categories"][0]["items"][0].update(basis=[]))
    assert error.problems[0].startswith("categories[0].items[0].basis:")


@pytest.mark.parametrize(
    ("key", "value"),
    [("points", "50"), ("points", 50.0), ("points", True), ("name_zh", 42), ("basis", "4.1.2")],
)
def test_a_value_of_the_wrong_type_is_named_with_its_path(
    tmp_path: Path, key: str, value: object
) -> None:
    error = broken(tmp_path, lambda d: d["categories"][0]["items"][0].update({key: value}))
    assert len(error.problems) == 1
    assert error.problems[0].startswith(f"categories[0].items[0].{key}: ")
    assert f"got {value!r}" in error.problems[0]


def test_a_zero_or_negative_point_value_is_rejected(tmp_path: Path) -> None:
    error = broken(tmp_path, lambda d: d["categories"][0]["items"][0].update(points=0))
    assert error.problems[0].startswith("categories[0].items[0].points: Input should be greater")


def test_duplicate_ids_name_both_places(tmp_path: Path) -> None:
    error = broken(tmp_path, lambda d: d["categories"][0]["items"][1].update(id="4.1.2"))
    assert error.problems == [
        "categories[0].items[1].id: duplicate id `4.1.2` (also at categories[0].items[0].id)"
    ]


def test_an_item_of_an_undeclared_kind_is_rejected(tmp_path: Path) -> None:
    error = broken(tmp_path, lambda d: d["categories"][0]["items"][0].update(kind="proces"))
    assert error.problems == [
        "categories[0].items[0].kind: unknown kind `proces` (declared: process, result)"
    ]


def test_a_gap_between_bands_is_rejected(tmp_path: Path) -> None:
    error = broken(tmp_path, lambda d: d["bands"][2].update(low=35))
    assert error.problems == [
        "bands[2].low: gap: starts at 35 but must start at 30 (bands[1] ends at 25, step 5)"
    ]


def test_overlapping_bands_are_rejected(tmp_path: Path) -> None:
    error = broken(tmp_path, lambda d: d["bands"][1].update(high=30))
    assert error.problems == [
        "bands[2].low: overlap: starts at 30 but must start at 35 (bands[1] ends at 30, step 5)"
    ]


def test_bands_must_start_at_0_and_end_at_100(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["bands"][0]["low"] = 5
        d["bands"][-1]["high"] = 95

    assert broken(tmp_path, change).problems == [
        "bands[0].low: gap: starts at 5 but must start at 0 (first band, step 5)",
        "bands[5].high: the last band must end at 100",
    ]


def test_band_limits_must_be_multiples_of_the_step(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["bands"][0]["high"] = 7
        d["bands"][1]["low"] = 12

    assert broken(tmp_path, change).problems[:2] == [
        "bands[0].high: 7 is not a multiple of step 5",
        "bands[1].low: 12 is not a multiple of step 5",
    ]


def test_a_band_must_describe_every_declared_kind(tmp_path: Path) -> None:
    error = broken(tmp_path, lambda d: d["bands"][4]["descriptions"].pop("result"))
    assert error.problems == ["bands[4].descriptions: no description for kind `result`"]


def test_all_problems_of_a_file_are_reported_at_once(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["categories"][0]["items"][0]["colour"] = "red"
        d["categories"][1].pop("name_en")
        d["step"] = "5"

    problems = broken(tmp_path, change).problems
    assert sorted(p.split(":")[0] for p in problems) == [
        "categories[0].items[0].colour",
        "categories[1].name_en",
        "step",
    ]


def test_the_id_must_equal_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "gbt19580.yaml"
    path.write_text(yaml.safe_dump(GBT_DATA, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PolicyFileError, match=r"id: `gbt19580-2012` must equal the file name"):
        load_criteria_file(path)


def test_duplicate_yaml_keys_are_rejected_not_silently_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "gbt19580-2012.yaml"
    text = (builtin_dir() / "gbt19580-2012.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("step: 5\n", "step: 5\nstep: 10\n"), encoding="utf-8")
    with pytest.raises(PolicyFileError, match="duplicate key"):
        load_criteria_file(path)


def test_a_file_that_is_not_a_mapping_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(PolicyFileError, match="must be a mapping"):
        load_criteria_file(path)


SECTOR_GUIDE = """
id: sector-guide
title_zh: 某行业评价指南
title_en: A sector guide
applies_to: organization
standard: XX/T 1-2099
points_source: XX/T 1-2099 附录A
provenance: {official: true, note: {zh: 测试, en: test}}
total_points: 100
step: 10
kinds:
  practice: {name_zh: 实践, name_en: practice, dimensions_zh: 做法, dimensions_en: practice}
bands:
  - {low: 0, high: 40, descriptions: {practice: {zh: 弱, en: weak}}}
  - {low: 50, high: 100, descriptions: {practice: {zh: 强, en: strong}}}
categories:
  - id: A
    name_zh: 甲
    name_en: A
    points: 100
    items:
      - {id: A.1, name_zh: 甲一, name_en: A1, points: 70, kind: practice,
         basis: [{source: XX/T 1-2099, clause: "5.1"}]}
      - {id: A.2, name_zh: 甲二, name_en: A2, points: 30, kind: practice,
         basis: [{source: XX/T 1-2099, clause: "5.2"}]}
"""


def test_a_new_criteria_set_in_an_extra_folder_is_a_data_change_only(tmp_path: Path) -> None:
    (tmp_path / "sector-guide.yaml").write_text(SECTOR_GUIDE, encoding="utf-8")
    assert "sector-guide" in list_criteria([tmp_path])
    guide = load_criteria("sector-guide", [tmp_path])
    sheet = score(guide, {"A.1": 50, "A.2": 100})
    assert sheet.total == 65
    assert sheet.subtotals_by_kind == {"practice": 65}
    assert sheet.item("A.1").band.descriptions["practice"].en == "strong"


def test_an_extra_folder_cannot_redefine_a_builtin_id(tmp_path: Path) -> None:
    (tmp_path / "gbt19580-2012.yaml").write_text("", encoding="utf-8")
    with pytest.raises(PolicyFileError, match="already defined"):
        list_criteria([tmp_path])
