from qaward.core.criteria import load_criteria

RUBRIC = load_criteria("individual-rubric")


def test_the_rubric_says_in_its_data_that_it_is_not_db31t598_but_built_by_qaward() -> None:
    assert RUBRIC.provenance.official is False
    assert RUBRIC.standard is None
    assert "DB31/T 598" in RUBRIC.provenance.note.zh
    assert "not DB31/T 598" in RUBRIC.provenance.note.en
    assert "qaward" in RUBRIC.provenance.note.en
    assert "DB31/T 598" in RUBRIC.provenance.replace_with
    assert "qaward" in RUBRIC.points_source


def test_the_rubric_is_for_individuals_and_worth_1000_points() -> None:
    assert RUBRIC.applies_to == "individual"
    assert RUBRIC.total_points == 1000
    assert sum(item.points for item in RUBRIC.items) == 1000


def test_every_item_cites_hongkou_article_12_or_changning_article_17() -> None:
    for item in RUBRIC.items:
        for citation in item.basis:
            assert (citation.source, citation.clause[:4]) in {
                ("hongkou-2021", "第十二条"),
                ("changning-2023", "第十七条"),
            }


def test_the_organization_performance_item_comes_from_changning_article_17_item_3() -> None:
    cited = {str(c) for item in RUBRIC.items for c in item.basis}
    assert "changning-2023 第十七条第（三）项" in cited
    organization = RUBRIC.item("5.1")
    assert [str(c) for c in organization.basis] == ["changning-2023 第十七条第（三）项"]


def test_every_band_describes_every_kind_the_rubric_uses() -> None:
    used = {item.kind for item in RUBRIC.items}
    for band in RUBRIC.bands:
        assert used <= set(band.descriptions)


def test_the_rubric_has_the_same_bands_as_gbt19580() -> None:
    gbt = load_criteria("gbt19580-2012")
    assert [(b.low, b.high) for b in RUBRIC.bands] == [(b.low, b.high) for b in gbt.bands]
