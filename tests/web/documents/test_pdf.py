"""The review reports as PDF: read back with pdftotext and pdftoppm (poppler-utils, installed by
scripts/setup.sh), so the tests see what a reader sees: the Chinese text extracts (embedded CJK
fonts with ToUnicode maps), the totals are the core's, names appear only where allowed, page 1
has ink where the title's glyphs are."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from qaward.core.review.reports import ReviewReport
from qaward.web.common.documents import RefusedURL, local_only_fetcher, render_pdf
from tests.web.documents import samples

CLOSING = "，。、；：？！）》」』”"  # marks that must never start a line (禁则)


class Rendered:
    def __init__(self, report: ReviewReport, pdf: bytes, folder: Path) -> None:
        self.report = report
        self.path = folder / "report.pdf"
        self.path.write_bytes(pdf)

    def text(self, *args: str) -> str:
        return run("pdftotext", *args, str(self.path), "-")

    @property
    def flat(self) -> str:
        """The text without white space: wrapped lines joined as a reader reads them."""
        return re.sub(r"\s+", "", self.text())

    @property
    def pages(self) -> int:
        return int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(self.path)))[1])  # type: ignore[index]

    def page_png(self, page: int, folder: Path) -> Path:
        prefix = folder / f"page{page}"
        run("pdftoppm", "-r", "50", "-png", "-f", str(page), "-l", str(page), "-singlefile",
            str(self.path), str(prefix))
        return prefix.with_suffix(".png")


def total_rows(layout_text: str) -> list[list[str]]:
    """The rows that begin with 总分 (the summary's and the item table's last rows)."""
    return [line.split() for line in layout_text.splitlines() if line.split()[:1] == ["总分"]]


def dark_share(image: Image.Image) -> float:
    """The share of pixels darker than mid-grey in a greyscale image."""
    return sum(image.histogram()[:128]) / (image.size[0] * image.size[1])


def run(*cmd: str) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def rendered(make: Callable[[], ReviewReport],
             language: str = "zh-hans") -> Callable[..., Rendered]:
    @pytest.fixture(scope="module")
    def fixture(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
        report = make()
        return Rendered(report, render_pdf(report, language=language),
                        tmp_path_factory.mktemp("pdf"))
    return fixture


organization = rendered(lambda: samples.material_review(names=False))
organization_named = rendered(lambda: samples.material_review(names=True))
site = rendered(lambda: samples.site_review(names=False))
person = rendered(lambda: samples.individual(names=False))
english = rendered(lambda: samples.material_review(names=True), "en")


def test_an_organizations_report_reads_back_in_chinese(organization: Rendered) -> None:
    flat = organization.flat
    assert samples.ORGANIZATION in flat
    assert "资料评审报告" in flat
    for item in samples.GBT.items:  # all 23 items, in table cells
        assert f"{item.id}{item.name_zh}" in flat, item.id
    strengths, improvements = samples.texts(samples.GBT)
    for text in (*strengths["4.1.2"], *improvements["4.7.5"]):
        assert re.sub(r"\s+", "", text) in flat


def test_the_totals_are_the_cores(organization: Rendered) -> None:
    report = organization.report
    text = organization.text("-layout")
    assert total_rows(text) == [["总分", "1000", report.total_display]] * 2
    for category in report.categories:
        pattern = (rf"{re.escape(category.category_id)}\s+\S+.*?\s{category.points_available}"
                   rf"\s+{re.escape(category.display)}\b")
        assert re.search(pattern, text), category.category_id
    item = report.items[0]
    assert re.search(rf"{item.item_id}\s+{item.name_zh}\s+{item.points_available}\s+"
                     rf"{item.percentage_display}%\s+{item.display}", text)


def test_no_reviewer_name_appears_when_names_are_withheld(organization: Rendered,
                                                         site: Rendered) -> None:
    for doc in (organization, site):
        flat = doc.flat
        info = run("pdfinfo", str(doc.path))  # the document's metadata (title, author)
        assert "评审组" in flat
        for name in samples.NAMES:
            assert name not in flat and name not in info


def test_reviewer_names_appear_where_allowed(organization_named: Rendered) -> None:
    assert "评审组成员：" + "、".join(samples.NAMES) in organization_named.flat


def test_every_page_says_which_page_of_how_many(organization: Rendered) -> None:
    pages = organization.pages
    assert pages > 1
    for page in (1, pages):
        assert f"第{page}页共{pages}页" in re.sub(
            r"\s+", "", organization.text("-f", str(page), "-l", str(page)))


def test_the_item_tables_header_repeats_on_the_next_page(organization: Rendered) -> None:
    # The 23-item table starts on page 1 and runs onto page 2; 得分率 is only in its header.
    assert "二、各评分项得分" in organization.text("-f", "1", "-l", "1")
    page2 = organization.text("-f", "2", "-l", "2")
    assert "得分率" in page2 and "二、各评分项得分" not in page2


def test_no_line_starts_with_closing_punctuation(organization: Rendered) -> None:
    lines = [line.strip() for line in organization.text().splitlines() if line.strip()]
    assert len(lines) > 100
    assert [line for line in lines if line[0] in CLOSING] == []


def test_fonts_are_embedded_cjk_fonts_with_unicode_maps(organization: Rendered) -> None:
    rows = run("pdffonts", str(organization.path)).splitlines()[2:]
    assert rows
    for row in rows:
        name, *_, emb, sub, uni, _obj, _gen = row.split()
        assert "Noto-S" in name and "CJK-SC" in name, row  # no fallback font (tofu)
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row


def test_page_one_has_the_titles_glyphs_in_ink(organization: Rendered, tmp_path: Path) -> None:
    png = organization.page_png(1, tmp_path)
    image = Image.open(png).convert("L")
    assert abs(image.size[0] - 413) <= 1 and abs(image.size[1] - 585) <= 1  # A4 at 50 dpi
    assert 0.005 < dark_share(image) < 0.3  # neither blank nor black
    # The title's box from the text layer (points) → pixels at 50 dpi: glyph ink inside it.
    words = run("pdftotext", "-f", "1", "-l", "1", "-bbox", str(organization.path), "-")
    match = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                      r"资料评审报告<", words)
    assert match, "the title is one word in the text layer"
    left, top, right, bottom = (round(float(v) * 50 / 72) for v in match.groups())
    # Strokes of bold CJK glyphs: neither an empty nor a solid box.
    assert 0.1 < dark_share(image.crop((left, top, right, bottom))) < 0.8
    blank = Image.new("L", image.size, 255)
    assert image.tobytes() != blank.tobytes()


def test_an_individuals_comprehensive_report(person: Rendered) -> None:
    flat = person.flat
    report = person.report
    assert "综合评价报告" in flat and "申报人" + samples.PERSON in flat
    for item in samples.RUBRIC.items:
        assert item.name_zh in flat
    assert total_rows(person.text("-layout")) == [["总分", "1000", report.total_display]] * 2
    assert "各评审阶段得分" in flat and "资料评审" in flat
    for name in samples.NAMES:
        assert name not in flat


def test_the_site_review_has_the_visit_and_the_applicants_confirmation(site: Rendered) -> None:
    flat = site.flat
    assert "现场评审报告" in flat
    assert "2026年9月15日、2026年9月16日" in flat
    assert "申报组织确认" in flat


def test_english(english: Rendered) -> None:
    flat = english.flat
    assert "Materialreviewreport" in flat
    assert "Roleofseniorleaders" in flat
    assert "资料评审报告" not in flat
    assert samples.ORGANIZATION in flat  # the applicant's name as given
    assert f"Page1of{english.pages}" in flat


def test_the_fetcher_refuses_everything_but_inline_data() -> None:
    fetcher = local_only_fetcher()
    for url in ("http://example.com/logo.png", "https://fonts.example/x.woff2",
                "file:///etc/passwd"):
        with pytest.raises(RefusedURL):
            fetcher(url)
    assert fetcher.refused == ["http://example.com/logo.png", "https://fonts.example/x.woff2",
                               "file:///etc/passwd"]
    assert fetcher("data:text/plain,ok").read() == b"ok"
