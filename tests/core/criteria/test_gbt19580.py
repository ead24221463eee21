import pytest

from qaward.core.criteria import load_criteria

GBT = load_criteria("gbt19580-2012")

CATEGORY_POINTS = {
    "4.1": 110,
    "4.2": 90,
    "4.3": 90,
    "4.4": 130,
    "4.5": 100,
    "4.6": 80,
    "4.7": 400,
}

ITEM_POINTS = {
    "4.1.2": 50, "4.1.3": 30, "4.1.4": 30,
    "4.2.2": 40, "4.2.3": 50,
    "4.3.2": 40, "4.3.3": 50,
    "4.4.2": 60, "4.4.3": 15, "4.4.4": 20, "4.4.5": 15, "4.4.6": 10, "4.4.7": 10,
    "4.5.2": 50, "4.5.3": 50,
    "4.6.2": 40, "4.6.3": 40,
    "4.7.2": 80, "4.7.3": 80, "4.7.4": 80, "4.7.5": 60, "4.7.6": 50, "4.7.7": 50,
}  # fmt: skip


def test_the_set_is_gbt19580_2012_with_points_from_gbz19579_annex_a() -> None:
    assert (GBT.id, GBT.title_zh, GBT.standard) == (
        "gbt19580-2012",
        "卓越绩效评价准则",
        "GB/T 19580-2012",
    )
    assert GBT.points_source == "GB/Z 19579-2012 附录A"
    assert GBT.provenance.official is True


def test_the_total_is_1000_points_in_7_categories_and_23_items() -> None:
    assert GBT.total_points == 1000
    assert len(GBT.categories) == 7
    assert len(GBT.items) == 23
    assert sum(item.points for item in GBT.items) == 1000


def test_process_items_are_worth_600_and_result_items_400() -> None:
    by_kind = {
        kind: sum(i.points for i in GBT.items if i.kind == kind) for kind in ("process", "result")
    }
    assert by_kind == {"process": 600, "result": 400}


@pytest.mark.parametrize(("category_id", "points"), CATEGORY_POINTS.items())
def test_each_category_has_its_2012_points_and_its_items_add_up_to_them(
    category_id: str, points: int
) -> None:
    category = next(c for c in GBT.categories if c.id == category_id)
    assert category.points == points
    assert sum(item.points for item in category.items) == points


def test_every_item_has_its_2012_points_in_clause_order() -> None:
    assert {item.id: item.points for item in GBT.items} == ITEM_POINTS
    assert [item.id for item in GBT.items] == list(ITEM_POINTS)


def test_the_2004_values_are_not_used() -> None:
    points = {c.id: c.points for c in GBT.categories}
    assert (points["4.1"], points["4.5"], points["4.6"]) != (100, 110, 100)
    assert (points["4.1"], points["4.5"], points["4.6"]) == (110, 100, 80)


def test_scored_items_start_at_the_second_clause_of_each_category() -> None:
    for category in GBT.categories:
        assert category.items[0].id == f"{category.id}.2"


def test_categories_4_1_to_4_6_are_process_items_and_4_7_result_items() -> None:
    for category in GBT.categories:
        expected = "result" if category.id == "4.7" else "process"
        assert {item.kind for item in category.items} == {expected}


def test_every_item_cites_its_clause_of_gbt19580() -> None:
    for item in GBT.items:
        assert [str(c) for c in item.basis] == [f"GB/T 19580-2012 {item.id}"]
        assert item.name_zh and item.name_en


def test_six_bands_in_steps_of_5_cover_0_to_100() -> None:
    assert GBT.step == 5
    assert [(b.low, b.high) for b in GBT.bands] == [
        (0, 5), (10, 25), (30, 45), (50, 65), (70, 85), (90, 100),
    ]  # fmt: skip


def test_every_band_describes_process_and_result_items_in_chinese_and_english() -> None:
    assert GBT.kinds["process"].dimensions_zh.startswith("方法-展开-学习-整合")
    assert GBT.kinds["result"].dimensions_zh.startswith("水平-趋势-对比-整合")
    for band in GBT.bands:
        assert set(band.descriptions) == {"process", "result"}
        for text in band.descriptions.values():
            assert text.zh and text.en
