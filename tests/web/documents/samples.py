"""Reports as the review would fill them: a GB/T 19580 organization and an individual."""

from __future__ import annotations

import datetime as dt

from qaward.core.criteria import CriteriaSet, load_criteria
from qaward.core.review.reports import (
    ComprehensiveEvaluationReport,
    MaterialReviewReport,
    SiteReviewReport,
    build_report,
    stage_total,
    team_sheet,
)

GBT = load_criteria("gbt19580-2012")
RUBRIC = load_criteria("individual-rubric")
DAY = dt.date(2026, 9, 18)
ORGANIZATION = "上海浦江精密仪器制造有限公司"
PERSON = "王晓燕"
NAMES = ("张建国", "李敏", "陈思远")

_STRENGTHS = (
    "高层领导亲自主持制定“质量第一、顾客至上”的质量方针，并通过季度经营分析会、现场走访等方式，"
    "将方针逐级分解到各部门的年度目标中，形成了目标、措施、考核闭环。",
    "建立了覆盖研发、采购、制造、服务全过程的质量信息平台，关键过程的数据可在线追溯。",
)
_IMPROVEMENTS = (
    "对战略目标的分解尚停留在公司一级，未见到车间及班组层面的量化指标；建议建立逐级分解的指标体系，"
    "并定期评价其达成情况（例如每季度一次）。",
    "顾客满意度测量方法与竞争对手、标杆的对比不足，建议引入第三方测评。",
)


def mean_sheets(criteria: CriteriaSet) -> list[dict[str, int]]:
    """Three reviewers' sheets with different, hand-checkable percentages per item."""
    sheets = []
    for r in range(3):
        sheets.append({
            item.id: min(100, (30 + 5 * ((n * 3 + r * 2) % 9)))
            for n, item in enumerate(criteria.items)
        })
    return sheets


def consensus(criteria: CriteriaSet) -> dict[str, int]:
    return {item.id: 35 + 5 * (n % 8) for n, item in enumerate(criteria.items)}


def texts(criteria: CriteriaSet) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    strengths = {item.id: [f"{item.name_zh}：{_STRENGTHS[n % 2]}"]
                 + ([_STRENGTHS[(n + 1) % 2]] if n % 3 == 0 else [])
                 for n, item in enumerate(criteria.items)}
    improvements = {item.id: [f"{item.name_zh}：{_IMPROVEMENTS[n % 2]}"]
                    for n, item in enumerate(criteria.items)}
    return strengths, improvements


def material_review(*, names: bool = True) -> MaterialReviewReport:
    strengths, improvements = texts(GBT)
    return build_report(
        MaterialReviewReport,
        criteria=GBT,
        scores=team_sheet(GBT, mean_sheets(GBT)),
        basis="mean",
        award_title="2026年度某区区长质量奖",
        cycle_title="2026年度",
        regulation="某区区长质量奖管理办法",
        article="第十六条",
        applicant_name=ORGANIZATION,
        reference="2026-ORG-007",
        date=DAY,
        reviewer_names=NAMES if names else None,
        summary="该组织导入卓越绩效管理模式已有五年，领导重视，基础扎实。\n"
                "建议在战略部署、顾客关系和结果对比方面进一步改进，形成持续改进的良性循环。",
        strengths=strengths,
        improvements=improvements,
    )


def site_review(*, names: bool = False) -> SiteReviewReport:
    strengths, improvements = texts(GBT)
    return build_report(
        SiteReviewReport,
        criteria=GBT,
        scores=consensus(GBT),
        basis="consensus",
        reviewer_count=3,
        award_title="2026年度某区区长质量奖",
        cycle_title="2026年度",
        regulation="某区区长质量奖管理办法",
        article="第十七条",
        applicant_name=ORGANIZATION,
        date=DAY,
        reviewer_names=NAMES if names else None,
        summary="现场评审组于两日内走访了生产、研发和服务现场，访谈员工四十余人。",
        strengths=strengths,
        improvements=improvements,
        visit_dates=(dt.date(2026, 9, 15), dt.date(2026, 9, 16)),
        applicant_confirms=True,
    )


def material_review_of_person() -> MaterialReviewReport:
    return build_report(
        MaterialReviewReport, criteria=RUBRIC, scores=team_sheet(RUBRIC, mean_sheets(RUBRIC)),
        basis="mean", award_title="2026年度某区区长质量奖", cycle_title="2026年度",
        regulation="某区区长质量奖管理办法", article="第十六条", applicant_name=PERSON,
        date=DAY, reviewer_names=None)


def individual(*, names: bool = False) -> ComprehensiveEvaluationReport:
    strengths, improvements = texts(RUBRIC)
    material = material_review_of_person()
    return build_report(
        ComprehensiveEvaluationReport,
        criteria=RUBRIC,
        scores=consensus(RUBRIC),
        basis="consensus",
        reviewer_count=3,
        award_title="2026年度某区区长质量奖",
        cycle_title="2026年度",
        regulation="某区区长质量奖管理办法",
        article="第十八条",
        applicant_name=PERSON,
        date=DAY,
        reviewer_names=NAMES if names else None,
        summary="申报人长期从事质量管理工作，成果突出。",
        strengths=strengths,
        improvements=improvements,
        stage_totals=(stage_total(material),),
    )
