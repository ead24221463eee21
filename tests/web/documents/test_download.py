"""What a view returns for a report: its file name and the download response."""

from __future__ import annotations

from urllib.parse import quote

from qaward.web.common.documents import XLSX, document_response, report_filename
from tests.web.documents import samples


def test_the_file_name_names_the_report_the_applicant_and_the_day() -> None:
    report = samples.material_review()
    assert report_filename(report) == f"资料评审报告-{samples.ORGANIZATION}-2026-09-18.pdf"
    assert report_filename(report, language="en") == (
        f"Material review report-{samples.ORGANIZATION}-2026-09-18.pdf")


def test_a_download_keeps_a_chinese_file_name() -> None:
    response = document_response(b"%PDF-1.7", "资料评审报告-某公司.pdf")
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('资料评审报告-某公司.pdf')}" in disposition
    assert response.content == b"%PDF-1.7"
    assert document_response(b"PK", "评分表.xlsx")["Content-Type"] == XLSX
