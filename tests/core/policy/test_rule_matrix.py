"""The rule matrix of shared/regulations/README.md, row by row, against the five policies.

Every row is one table-driven test, parametrized over the five regulations. Each case states
the value the policy must hold, the article it must cite (taken from the matrix and checked
against the regulation text), and phrases of the text that show the value is the text's:
``says(cite, phrase)`` must appear in the cited article, ``silent_on(cite, phrase)`` must not
(``ALL`` searches the whole regulation). Where the matrix and a text disagree, the text wins.

A "—" in the matrix is asserted as :class:`~qaward.core.policy.model.Silent` in the policy
(``SILENT`` below). Notices cannot be silent in the model: a notice the regulation does not
ask for is ``required: false``, so a "—" on a notice row is asserted as ``NO_NOTICE``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest

from qaward.core.policy import load_policy
from qaward.core.policy.loader import policy_files
from qaward.core.policy.model import Cited, NoRule, NoticeLength, Policy, Silent

HK, CN, CH, CM, BJ = (
    "hongkou-2021", "changning-2023", "chanhe-2021", "chongming-2022", "binjiang-2020"
)
ALL_IDS = (HK, CN, CH, CM, BJ)


@pytest.fixture(autouse=True)
def _bundled_policies_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No office configuration or extra policy folder may fill in what a text leaves open."""
    monkeypatch.delenv("QAWARD_CONFIG_DIR", raising=False)
    monkeypatch.delenv("QAWARD_POLICY_DIRS", raising=False)


# ---------------------------------------------------------------------------------------------
# Reading the regulation texts

_NUM = "〇零一二三四五六七八九十百"
_ARTICLE_HEADING = re.compile(rf"(?m)^[ \t\u3000]*(?:\[[^\]]*\])?[ \t\u3000]*第([{_NUM}]+)([条章])")
_SECTION_HEADING = re.compile(r"(?m)^[ \t\u3000]*([一二三四五六七八九十]+)、")
_ITEM_HEADING = re.compile(r"(?m)^[ \t\u3000]*（([一二三四五六七八九十]+)）")
_HALF_TO_FULL = str.maketrans({"(": "（", ")": "）", ",": "，", ";": "；", ":": "："})
ALL = "the whole regulation"


def squash(text: str) -> str:
    """Text without line breaks and spaces, with full-width punctuation (the OCR mixes both)."""
    return re.sub(r"\s+", "", text.translate(_HALF_TO_FULL))


@cache
def source_text(policy_id: str) -> str:
    path = policy_files()[policy_id].parent / "source.txt"
    return path.read_text(encoding="utf-8").translate(_HALF_TO_FULL)


def article_text(policy_id: str, cite: str) -> str:
    """The squashed text of the article (第N条) or section item (三、（六）) a citation names.

    Raises LookupError when the text has no such article: the citation would be wrong.
    """
    text = source_text(policy_id)
    if cite == ALL:
        return squash(text)
    m = re.match(rf"第([{_NUM}]+)条", cite)
    if m:
        heads = list(_ARTICLE_HEADING.finditer(text))
        for i, head in enumerate(heads):
            if head.group(2) == "条" and head.group(1) == m.group(1):
                end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
                return squash(text[head.start():end])
        raise LookupError(f"{policy_id}: no article {m.group(0)} in the text (cited as {cite})")
    m = re.match(r"([一二三四五六七八九十]+)、(?:（([一二三四五六七八九十]+)）)?", cite)
    if m:
        sections = list(_SECTION_HEADING.finditer(text))
        for i, sec in enumerate(sections):
            if sec.group(1) != m.group(1):
                continue
            body = text[sec.start():sections[i + 1].start() if i + 1 < len(sections) else None]
            if m.group(2) is None:
                return squash(body)
            items = list(_ITEM_HEADING.finditer(body))
            for j, item in enumerate(items):
                if item.group(1) == m.group(2):
                    end = items[j + 1].start() if j + 1 < len(items) else len(body)
                    return squash(body[item.start():end])
        raise LookupError(f"{policy_id}: no section {m.group(0)} in the text (cited as {cite})")
    raise LookupError(f"{policy_id}: {cite!r} names no article or section")


def article_of(cite: str) -> str:
    """The article or section a citation starts with: 第二十五条第二款 → 第二十五条, 四、"
      "（三） → 四、."""
    m = re.match(rf"第[{_NUM}]+条|[一二三四五六七八九十]+、", cite)
    assert m, cite
    return m.group(0)


# ---------------------------------------------------------------------------------------------
# Expectations


class _Marker:
    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


SILENT = _Marker("— (Silent: the regulation does not settle it)")
NONE = _Marker("none (NoRule: the regulation has no such rule)")


def _absent(value: Any) -> Any:
    """SILENT or NONE where the policy states silence or no rule, else None."""
    if isinstance(value, Silent):
        assert value.silent.strip(), "a Silent value must say what the text leaves open"
        return SILENT
    if isinstance(value, NoRule):
        return NONE
    return None
NO_NOTICE = _Marker("— (no such notice: required is false or no stage publishes it)")


class Has:
    """Equals any string containing all the given parts (for the policy's own prose)."""

    __hash__ = None  # type: ignore[assignment]

    def __init__(self, *parts: str) -> None:
        self.parts = parts

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and all(p in other for p in self.parts)

    def __repr__(self) -> str:
        return f"Has{self.parts!r}"


@dataclass(frozen=True)
class Quote:
    cite: str
    phrase: str
    present: bool


def says(cite: str, phrase: str) -> Quote:
    return Quote(cite, phrase, True)


def silent_on(cite: str, phrase: str) -> Quote:
    return Quote(cite, phrase, False)


def case(policy_id: str, sentence: str, expected: dict[str, Any], *quotes: Quote) -> Any:
    return pytest.param(policy_id, expected, quotes, id=f"{policy_id} {sentence}")


ROW = ("policy_id", "expected", "quotes")


def of(value: Any) -> Any:
    """(value, article) of a cited value, or SILENT / NONE where the policy states silence
    or that the regulation has no such rule."""
    if _absent(value) is not None:
        return _absent(value)
    assert isinstance(value, Cited), f"expected a cited value or Silent, got {value!r}"
    return (value.value, value.cite)


def _citations(expected: Any) -> Iterator[str]:
    if isinstance(expected, dict):
        for v in expected.values():
            yield from _citations(v)
    elif isinstance(expected, tuple):
        if len(expected) == 2 and isinstance(expected[1], str) and (
            re.match(rf"第[{_NUM}]+条|[一二三四五六七八九十]+、", expected[1])
        ):
            yield expected[1]
        for v in expected:
            if isinstance(v, tuple):
                yield from _citations(v)


def assert_row(
    policy_id: str, actual: dict[str, Any], expected: dict[str, Any], quotes: tuple[Quote, ...]
) -> None:
    assert actual == expected
    for cite in set(_citations(expected)):
        article_text(policy_id, cite)  # the cited article exists in the regulation's text
    for q in quotes:
        text = article_text(policy_id, q.cite)
        if q.present:
            assert squash(q.phrase) in text, f"{policy_id} {q.cite} does not say {q.phrase!r}"
        else:
            assert squash(q.phrase) not in text, f"{policy_id} {q.cite} does say {q.phrase!r}"


def policy(policy_id: str) -> Policy:
    return load_policy(policy_id)


# ---------------------------------------------------------------------------------------------
# The harness reads the texts as it should


def test_every_citation_of_every_policy_finds_its_article_in_the_text() -> None:
    from qaward.core.policy.loader import iter_citations

    for policy_id in ALL_IDS:
        for _key, cite in iter_citations(load_policy(policy_id)):
            if cite in ("文号", "印发通知", "附则", "文件头"):
                continue
            assert article_text(policy_id, cite)


def test_an_article_ends_where_the_next_one_begins() -> None:
    text = article_text(CN, "第三十四条")
    assert text.startswith("第三十四条（材料真实性）") and "第三十五条" not in text
    assert article_text(BJ, "五、（四）").startswith("（四）获得区政府质量奖的组织")
    assert "（五）" not in article_text(BJ, "五、（四）")
    with pytest.raises(LookupError):
        article_text(CH, "第三十一条")


# ---------------------------------------------------------------------------------------------
# awards (tiers)

ORG_IND = ("organization", "individual")
ORG = ("organization",)


@pytest.mark.parametrize(ROW, [
    case(HK, "awards a gold and a silver award, each to organizations and individuals",
         {"gold": (("虹口区区长质量奖金奖", 1, ORG_IND), "第二条第（一）项"),
          "silver": (("虹口区区长质量奖银奖", 2, ORG_IND), "第二条第（二）项")},
         says("第二条", "设“虹口区区长质量奖金奖”和“虹口区区长质量奖银奖”，"
                        "均分为“组织”和“个人”奖")),
    case(CN, "awards the mayor's award and the quality gold award, each as model and achievement",
         {"mayor": (("长宁区区长质量奖", 1, ORG_IND), "第二条第（一）项"),
          "gold": (("长宁区质量金奖", 2, ORG_IND), "第二条第（二）项")},
         says("第二条", "包括“长宁区区长质量奖”和“长宁区质量金奖”，均分为“先进质量管理模式”和"
                       "“先进质量管理成果”")),
    case(CH, "awards one mayor's award",
         {"mayor": (("瀍河回族区区长质量奖", 1, ORG), "第二条")},
         says("第二条", "瀍河回族区区长质量奖（以下简称区长质量奖）"
                        "是瀍河回族区人民政府设立的最高质量奖项")),
    case(CM, "awards the mayor's award and the quality gold award",
         {"mayor": (("崇明区区长质量奖", 1, ORG), "第二条第（一）项"),
          "gold": (("崇明区质量金奖", 2, ORG), "第二条第（二）项")},
         says("第二条", "包括“崇明区区长质量奖”和“崇明区质量金奖”")),
    case(BJ, "awards the government quality award and its nomination award",
         {"award": (("区政府质量奖", 1, ORG), "一、（三）"),
          "nomination": (("区政府质量奖提名奖", 2, ORG), "一、（三）")},
         says("一、（三）", "同时评出获区政府质量奖提名奖（以下简称提名奖）组织")),
])
def test_awards_and_tiers(policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]) -> None:
    p = policy(policy_id)
    actual = {t.id: ((t.name_zh, t.rank, t.tracks), t.cite) for t in p.tiers}
    assert [t.id for t in p.tiers] == list(expected), "tiers in order of rank"
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# who may apply (tracks)


@pytest.mark.parametrize(ROW, [
    case(HK, "lets organizations and individuals apply",
         {"organization": ("组织奖", "第二条"), "individual": ("个人奖", "第二条")},
         says("第二条", "均分为“组织”和“个人”奖")),
    case(CN, "lets organizations apply with a management model and individuals with an achievement",
         {"organization": ("先进质量管理模式", "第二条"),
          "individual": ("先进质量管理成果", "第二条")},
         says("第二条", "组织可申报先进质量管理模式，个人可申报先进质量管理成果")),
    case(CH, "lets only organizations apply",
         {"organization": ("组织奖", "第二条")},
         says("第二条", "对瀍河经济发展和质量建设作出积极贡献的企业或组织")),
    case(CM, "lets only organizations apply, with an advanced management model",
         {"organization": ("先进质量管理模式", "第二条")},
         says("第二条", "均为“先进质量管理模式”"), silent_on("第二条", "个人")),
    case(BJ, "lets only organizations apply",
         {"organization": ("组织奖", "一、（二）")},
         says("一、（二）", "的组织（包括企业或其他组织）授予的全区最高质量奖励")),
])
def test_who_may_apply(policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]) -> None:
    p = policy(policy_id)
    actual = {track: (t.name_zh, t.cite) for track, t in p.tracks.items()}
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# cycle


@pytest.mark.parametrize(ROW, [
    case(HK, "sets no cycle frequency, each round being approved",
         {"frequency": SILENT, "approval": (True, "第三条")},
         says("第三条", "经审核批准后，开展评审活动"), silent_on("第三条", "每两年"),
         says("第九条", "开展当年评审工作")),
    case(CN, "awards every 2 years",
         {"frequency": (2, "第三条第一款"), "approval": SILENT},
         says("第三条", "每两年评选一次")),
    case(CH, "awards every 2 years",
         {"frequency": (2, "第四条"), "approval": SILENT},
         says("第四条", "每2年评选一届")),
    case(CM, "awards every 2 years after approval",
         {"frequency": (2, "第三条第一款"), "approval": (True, "第三条第一款")},
         says("第三条", "经审核批准后，每两年评选一次")),
    case(BJ, "awards every year",
         {"frequency": (1, "一、（三）"), "approval": SILENT},
         says("一、（三）", "区政府质量奖每年评定1次")),
])
def test_cycle_frequency(policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]) -> None:
    c = policy(policy_id).cycle
    actual = {"frequency": of(c.frequency_years), "approval": of(c.needs_approval)}
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# quota


@pytest.mark.parametrize(ROW, [
    case(HK, "allows 5 gold and 10 silver winners per industry sector, organizations and "
             "individuals each",
         {"gold/organization": ((5, "sector"), "第三条"),
          "gold/individual": ((5, "sector"), "第三条"),
          "silver/organization": ((10, "sector"), "第三条"),
          "silver/individual": ((10, "sector"), "第三条")},
         says("第三条", "虹口区区长质量奖金奖获奖组织和个人总数各行业领域均各不超过5个"),
         says("第三条", "虹口区区长质量奖银奖获奖组织和个人总数各行业领域均各不超过10个")),
    case(CN, "allows 2 mayor's models and 2 achievements, and 10 gold ones combined",
         {"mayor/organization": ((2, "cycle"), "第三条第二款"),
          "mayor/individual": ((2, "cycle"), "第三条第二款"),
          "gold/organization+individual": ((10, "cycle"), "第三条第二款")},
         says("第三条", "每次长宁区区长质量奖先进质量管理模式和成果总数各不超过2个"),
         says("第三条", "长宁区质量金奖先进质量管理模式和成果的总数不超过10个")),
    case(CH, "allows 5 winners per cycle",
         {"mayor/organization": ((5, "cycle"), "第四条")},
         says("第四条", "每届区长质量奖名额不超过5个")),
    case(CM, "allows 1 mayor's award and 3 gold awards",
         {"mayor/organization": ((1, "cycle"), "第三条第二款"),
          "gold/organization": ((3, "cycle"), "第三条第二款")},
         says("第三条", "崇明区区长质量奖不超过1个，崇明区质量金奖不超过3个")),
    case(BJ, "allows 5 awards and 3 nomination awards a year",
         {"award/organization": ((5, "cycle"), "一、（三）"),
          "nomination/organization": ((3, "cycle"), "一、（三）")},
         says("一、（三）", "每次评出获奖组织不超过5家"),
         says("一、（三）", "提名奖）组织不超过3家")),
])
def test_quota(policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]) -> None:
    limits = policy(policy_id).quotas.limits
    actual = {f"{q.tier}/{'+'.join(q.tracks)}": ((q.max, q.per), q.cite) for q in limits}
    assert len(actual) == len(limits), "one limit per tier and track combination"
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# fewer or none allowed


@pytest.mark.parametrize(ROW, [
    case(HK, "may award fewer or none", {"fewer_or_none": (True, "第三条")},
         says("第三条", "上述获奖数可少额或空缺")),
    case(CN, "may award fewer or none", {"fewer_or_none": (True, "第三条第二款")},
         says("第三条", "上述获奖数可少额或空缺")),
    case(CH, "may leave the award vacant", {"fewer_or_none": (True, "第四条")},
         says("第四条", "当年参加评选单位达不到奖励条件的，奖项可以空缺")),
    case(CM, "says nothing about fewer or no awards", {"fewer_or_none": SILENT},
         silent_on("第三条", "空缺"), silent_on("第三条", "少额")),
    case(BJ, "may leave awards vacant rather than lower the bar",
         {"fewer_or_none": (True, "一、（三）")},
         says("一、（三）", "申请组织均达不到条件的，"
                            "奖项可以空缺"), says("一、（四）", "宁缺毋滥")),
])
def test_fewer_or_none_allowed(
    policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]
) -> None:
    actual = {"fewer_or_none": of(policy(policy_id).quotas.fewer_or_none_allowed)}
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# criteria per track


@pytest.mark.parametrize(ROW, [
    case(HK, "judges organizations by GB/T 19580 and individuals by a stand-in for DB31/T 598",
         {"organization": ("gbt19580-2012", "第五条"),
          "organization.note": Has("GB/T19580"),
          "individual": ("individual-rubric", "第五条"),
          "individual.note": Has("DB31/T598", "stands in")},
         says("第五条", "组织评审标准，主要采用国家标准GB/T19580《卓越绩效评价准则》"),
         says("第五条", "个人评审标准，"
                        "主要采用上海市地方标准DB31/T598《上海市政府质量奖个人评价准则》")),
    case(CN, "judges by GB/T 19580 and local standards, individuals by a stand-in rubric",
         {"organization": ("gbt19580-2012", "第五条"),
          "organization.note": Has("GB/T19580", "地方标准"),
          "individual": ("individual-rubric", "第五条"),
          "individual.note": Has("no standard for individuals", "stands in")},
         says("第五条", "主要采用国家标准GB/T19580《卓越绩效评价准则》和相关地方标准等")),
    case(CH, "judges by GB/T 19580-2012 on 1000 points, item by item",
         {"organization": ("gbt19580-2012", "第十三条"),
          "organization.note": Has("1000", "逐条评分")},
         says("第十三条", "《卓越绩效评价准则（GB/T 19580-2012）》"),
         says("第十三条", "评分标准总分为1000分"),
         says("第十四条", "材料评审和现场评审均依据评审标准逐条评分后进行综合评价")),
    case(CM, "judges by GB/T 19580",
         {"organization": ("gbt19580-2012", "第五条"),
          "organization.note": Has("GB/T 19580")},
         says("第五条", "评价标准采用国家标准GB/T 19580《卓越绩效评价准则》")),
    case(BJ, "judges the previous year by the excellence criteria and notes the sector guides",
         {"organization": ("gbt19580-2012", "一、（五）"),
          "organization.note": Has("实施指南", "医疗", "教育", "no criteria sets exist"),
          "organization.judged_period": ("前1年", "一、（五）")},
         says("一、（五）", "以卓越绩效评价准则和卓越绩效评价准则实施指南为依据"),
         says("一、（五）", "主要对申报组织前1年上述标准实施情况进行评审"),
         says("一、（五）", "医疗和教育行业参考医疗、教育卓越绩效实施指南进行评审")),
])
def test_criteria_per_track(
    policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]
) -> None:
    actual: dict[str, Any] = {}
    for track_id, t in policy(policy_id).tracks.items():
        actual[track_id] = of(t.criteria)
        actual[f"{track_id}.note"] = t.criteria.note
        if t.judged_period is not None:
            actual[f"{track_id}.judged_period"] = of(t.judged_period)
        if t.sector_criteria is not None:
            actual[f"{track_id}.sector_criteria"] = of(t.sector_criteria)
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# self-evaluation report length


@pytest.mark.parametrize(ROW, [
    case(HK, "limits the report to 30000 characters for organizations and 10000 for individuals",
         {"organization": (30000, "第五条"), "individual": (10000, "第五条")},
         says("第五条", "自我评价报告字数不超过3万字"),
         says("第五条", "自我评价报告字数不超过1万字")),
    case(CN, "sets no report length",
         {"organization": NONE, "individual": NONE}, silent_on(ALL, "字数")),
    case(CH, "sets no report length", {"organization": NONE}, silent_on(ALL, "字数")),
    case(CM, "sets no report length", {"organization": NONE}, silent_on(ALL, "字数")),
    case(BJ, "sets no report length", {"organization": NONE}, silent_on(ALL, "字数")),
])
def test_report_length(policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]) -> None:
    tracks = policy(policy_id).tracks
    actual = {track_id: of(t.report_max_chars) for track_id, t in tracks.items()}
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# recommendation


@pytest.mark.parametrize(ROW, [
    case(HK, "needs a recommending body",
         {"recommendation": ((True, False, False), "第十四条")},
         says("第十四条", "并将申报材料报送推荐机构")),
    case(CN, "needs the street, park or competent department to sign a recommendation",
         {"recommendation": ((True, False, False), "第二十条")},
         says("第二十条", "经所在街镇、园区，或者主管部门签署推荐意见后")),
    case(CH, "needs the relevant departments to sign a recommendation",
         {"recommendation": ((True, False, False), "第十六条")},
         says("第十六条", "经有关部门签署推荐意见后")),
    case(CM, "lets anyone recommend and confirms the organization wants to apply",
         {"recommendation": ((False, True, True), "第二十条")},
         says("第二十条", "专家学者、获奖组织等均可向区评审办推荐"),
         says("第二十条", "区评审办应向被推荐的组织确认其申报意愿"),
         says("第十八条", "凡符合申报条件的组织可在自愿的基础上，申报崇明区政府质量奖")),
    case(BJ, "needs the competent department to recommend",
         {"recommendation": ((True, False, False), "四、（二）")},
         says("四、（二）", "经主管部门推荐")),
])
def test_recommendation(policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]) -> None:
    r = policy(policy_id).recommendation
    actual = {"recommendation": ((r.required, r.third_party_allowed, r.confirm_willingness),
                                 r.cite)}
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# internal publicity before applying


@pytest.mark.parametrize(ROW, [
    case(HK, "asks for no internal publicity before applying",
         {"before_applying": NO_NOTICE}, silent_on("第十四条", "公示")),
    case(CN, "asks for no internal publicity before applying",
         {"before_applying": NO_NOTICE}, silent_on("第二十条", "公示")),
    case(CH, "asks for no internal publicity before applying",
         {"before_applying": NO_NOTICE}, silent_on("第十六条", "公示")),
    case(CM, "has the applicant publish internally for at least 5 working days when applying",
         {"before_applying": (("application", 5, "working_days", True, ("applicant_organization",)),
                              "第十九条")},
         says("第十九条", "申报崇明区政府质量奖的组织应在组织内部进行公示，"
                          "公示时间不少于5个工作日")),
    case(BJ, "asks for no internal publicity before applying",
         {"before_applying": NO_NOTICE}, silent_on("四、（二）", "公示")),
])
def test_internal_publicity_before_applying(
    policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]
) -> None:
    p = policy(policy_id)
    before = [s for s in p.stages[: p.stage_index("eligibility")] if s.notice == "internal"]
    actual: dict[str, Any] = {"before_applying": NO_NOTICE}
    if before:
        (stage,) = before
        n = p.notices.internal
        assert n.required and isinstance(n.length, NoticeLength)
        actual["before_applying"] = (
            (stage.id, n.length.value, n.length.unit, n.length.minimum, n.audiences), n.cite)
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# stages order


@pytest.mark.parametrize(ROW, [
    case(HK, "runs eligibility, two notices, site review, presentation, evaluation, "
             "departments, committee, notice and government",
         {"stages": ("call", "application", "recommendation", "eligibility +eligibility notice",
                     "material_review +shortlist notice", "site_review", "presentation?",
                     "comprehensive_evaluation", "department_consultation",
                     "committee +final notice", "approval", "award"),
          "articles": frozenset({"第九条", "第十四条", "第十五条", "第十六条", "第十七条",
                                 "第十八条", "第十九条", "第二十条"}),
          "committee": (("deliberation", None), "第十九条")},
         says("第九条", "资格审查、资料评审、现场评审、陈述答辩及综合评价"),
         says("第十九条", "以书面形式征求相关部门意见后，提请区审定委审议"),
         says("第十九条", "的公示后，按照规定程序上报区政府批准")),
    case(CN, "publishes the final notice after approval",
         {"stages": ("call", "application", "recommendation", "eligibility +eligibility notice",
                     "material_review", "site_review", "comprehensive_evaluation", "committee",
                     "approval +final notice", "award"),
          "articles": frozenset({"第十九条", "第二十条", "第二十一条", "第二十二条", "第二十三条",
                                 "第二十四条", "第二十五条", "第二十六条"}),
          "committee": (("deliberation", None), "第二十五条第二款")},
         says("第二十五条", "评审办按照规定程序报批后，"
                           "将拟获奖名单向社会进行不少于5个工作日的公示")),
    case(CH, "ranks, lets the committee vote after a presentation or site check, then notifies",
         {"stages": ("call", "application", "recommendation", "eligibility", "material_review",
                     "site_review", "ranking", "committee +final notice", "approval", "award"),
          "articles": frozenset({"第十五条", "第十六条", "第十七条", "第十八条", "第十九条"}),
          "committee": (("vote", "现场展示或实地核查等形式"), "第十八条")},
         says("第十七条", "形成评审报告和综合排名"),
         says("第十八条", "评委会通过现场展示或实地核查等形式"),
         says("第十八条", "进行审议表决"),
         says("第十九条", "提交区政府常务会研究确定获奖单位")),
    case(CM, "publishes the final notice before approval",
         {"stages": ("call", "application +internal notice", "recommendation?",
                     "eligibility +eligibility notice", "material_review", "site_review",
                     "comprehensive_evaluation", "committee +final notice", "approval", "award"),
          "articles": frozenset({"第十八条", "第二十条", "第二十一条", "第二十二条", "第二十三条",
                                 "第二十四条", "第二十五条", "第二十六条"}),
          "committee": (("deliberation", None), "第二十五条第二款")},
         says("第二十六条", "规定程序报批，经批准后")),
    case(BJ, "consults departments and lets the committee vote by secret ballot",
         {"stages": ("call", "application", "recommendation", "eligibility", "material_review",
                     "site_review", "comprehensive_evaluation", "department_consultation",
                     "committee +final notice", "approval", "award"),
          "articles": frozenset({"四、"}),
          "committee": (("secret_ballot", None), "四、（六）")},
         says("四、（五）", "形成现场评审报告并由该组织确认"),
         says("四、（六）", "区评审办组织区有关部门审议确定候选组织建议名单后"),
         says("四、（六）", "以无记名投票表决的方式")),
])
def test_stages_order(policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]) -> None:
    p = policy(policy_id)
    actual = {
        "stages": tuple(f"{s.id}{'?' if s.optional else ''}"
                        f"{f' +{s.notice} notice' if s.notice else ''}" for s in p.stages),
        "articles": frozenset(article_of(s.cite) for s in p.stages),
        "committee": ((p.committee.vote, p.committee.before_vote_zh), p.committee.cite),
    }
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# eligibility notice


@pytest.mark.parametrize(ROW, [
    case(HK, "publishes the eligibility list for a length it does not state",
         {"eligibility_notice": ((True, SILENT), "第十五条")},
         says("第十五条", "对通过审查的，区审定办向社会公示名单，公示无异议的，进入资料评审"),
         silent_on("第十五条", "工作日"), silent_on("第十五条", "天")),
    case(CN, "publishes the eligibility list for at least 5 working days",
         {"eligibility_notice": ((True, (5, "working_days", True)), "第二十一条")},
         says("第二十一条", "由评审办组织向社会进行不少于5个工作日的公示")),
    case(CH, "does not publish the eligibility list",
         {"eligibility_notice": ((False, None), "第十七条")},
         says("第十七条", "核实确定符合申报资格的单位名单"), silent_on("第十七条", "公示")),
    case(CM, "publishes the eligibility list for at least 5 working days",
         {"eligibility_notice": ((True, (5, "working_days", True)), "第二十一条")},
         says("第二十一条", "由区评审办组织向社会进行不少于5个工作日的公示")),
    case(BJ, "does not publish the eligibility list",
         {"eligibility_notice": ((False, None), "四、（三）")},
         says("四、（三）", "确定符合申报条件的组织名单"), silent_on("四、（三）", "公示")),
])
def test_eligibility_notice(policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]) -> None:
    n = policy(policy_id).notices.eligibility
    actual = {"eligibility_notice": ((n.required, _length(n.length)), n.cite)}
    assert_row(policy_id, actual, expected, quotes)


def _length(length: NoticeLength | Silent | None) -> Any:
    if length is None:
        return None
    if isinstance(length, Silent):
        return SILENT
    return (length.value, length.unit, length.minimum)


# ---------------------------------------------------------------------------------------------
# site-review shortlist


@pytest.mark.parametrize(ROW, [
    case(HK, "shortlists the best of the good and publishes the shortlist",
         {"method": (("best_of_good", None), "第十六条第二款"),
          "published": (True, "第十六条第二款")},
         says("第十六条", "按照“好中选优”的原则，确定现场评审名单，并向社会公示")),
    case(CN, "shortlists the best of the good without publishing",
         {"method": (("best_of_good", None), "第二十二条第二款"),
          "published": (False, "第二十二条第二款")},
         says("第二十二条", "按照“好中选优”的原则，确定现场评审名单"),
         silent_on("第二十二条", "公示")),
    case(CH, "puts units before the committee by ranking",
         {"method": (("ranking", None), "第十八条"), "published": (False, "第十八条")},
         says("第十八条", "秘书处根据综合评审结果拟定入围评委会审定会单位名单"),
         says("第十八条", "综合考虑行业代表性和评审排名情况"), silent_on("第十八条", "公示")),
    case(CM, "shortlists the best of the good without publishing",
         {"method": (("best_of_good", None), "第二十二条第二款"),
          "published": (False, "第二十二条第二款")},
         says("第二十二条", "按照“好中选优”的原则，确定现场评审名单"),
         silent_on("第二十二条", "公示")),
    case(BJ, "shortlists at most 1.5 times the number of awards",
         {"method": (("ratio_of_awards", 1.5), "四、（四）"), "published": (False, "四、（四）")},
         says("四、（四）", "按不超过获奖总数1.5倍的比例确定入围现场评审的组织名单"),
         silent_on("四、（四）", "公示")),
])
def test_site_review_shortlist(
    policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]
) -> None:
    p = policy(policy_id)
    s = p.shortlist
    actual = {"method": ((s.method, s.max_ratio_of_awards), s.cite),
              "published": (p.notices.shortlist.required, p.notices.shortlist.cite)}
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# feedback to those not shortlisted


@pytest.mark.parametrize(ROW, [
    case(HK, "returns the material review report to those not shortlisted",
         {"feedback": (Has("资料评审报告"), "第十六条第二款")},
         says("第十六条", "对未进入现场评审的申报组织和个人，反馈资料评审报告")),
    case(CN, "returns the material review report to those not shortlisted",
         {"feedback": (Has("资料评审报告"), "第二十二条第二款")},
         says("第二十二条", "对未进入现场评审的质量管理模式和成果，反馈资料评审报告")),
    case(CH, "gives no feedback to those not shortlisted",
         {"feedback": NONE}, silent_on(ALL, "反馈")),
    case(CM, "returns the material review report to those not shortlisted",
         {"feedback": (Has("资料评审报告"), "第二十二条第二款")},
         says("第二十二条", "对未进入现场评审的申报组织，反馈资料评审报告")),
    case(BJ, "gives written feedback to those not shortlisted",
         {"feedback": (Has("书面反馈"), "四、（四）")},
         says("四、（四）", "对未能进入现场评审的，区评审办应当书面反馈资料评审情况")),
])
def test_feedback_to_those_not_shortlisted(
    policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]
) -> None:
    actual = {"feedback": of(policy(policy_id).shortlist.feedback_to_others)}
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# final notice


@pytest.mark.parametrize(ROW, [
    case(HK, "publishes the winners for at least 7 days publicly and inside the organization",
         {"final": (((7, "days", True), ("public", "applicant_organization"), False, False),
                    "第十九条")},
         says("第十九条", "由区审定办组织向社会和在申报组织或个人单位内部不少于7天的公示后"),
         silent_on("第十九条", "异议")),
    case(CN, "publishes the winners for at least 5 working days",
         {"final": (((5, "working_days", True), ("public",), True, False), "第二十五条第二款")},
         says("第二十五条", "将拟获奖名单向社会进行不少于5个工作日的公示"),
         says("第二十六条", "公示无异议后")),
    case(CH, "publishes the winners for 7 days",
         {"final": (((7, "days", False), ("public",), True, False), "第十九条")},
         says("第十九条", "秘书处将拟奖名单向社会进行公示，公示期7天"),
         says("第十九条", "经公示没有异议的拟奖单位")),
    case(CM, "publishes the winners for at least 5 working days",
         {"final": (((5, "working_days", True), ("public",), False, False), "第二十五条第二款")},
         says("第二十五条", "由区评审办组织向社会进行不少于5个工作日的公示"),
         silent_on("第二十六条", "异议")),
    case(BJ, "publishes the winners for 7 days in district media and investigates issues raised",
         {"final": (((7, "days", False), ("district_media",), True, True), "四、（七）")},
         says("四、（七）", "在区级主要媒体上进行为期7天的公示"),
         says("四、（七）", "由区评审办进行调查核实，并形成调查报告提交区评委会审查"),
         says("四、（八）", "经公示通过后")),
])
def test_final_notice(policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]) -> None:
    n = policy(policy_id).notices.final
    assert n.required
    actual = {"final": ((_length(n.length), n.audiences, n.requires_no_objection,
                         n.issues_reported_to_committee), n.cite)}
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# prize amounts per tier and track

PLAQUE = ("plaque", "certificate", "money")
TROPHY = ("trophy", "certificate", "money")
PRIZES = [
    # policy, tier, track, items, amount (or SILENT), prize article, quotes
    *[pytest.param(HK, tier, track, PLAQUE, SILENT, "第二十条",
                   (says("第二十条", "颁发奖牌、证书和奖金"), silent_on("第二十条", "万元"),
                    silent_on("第六条", "万元")),
                   id=f"{HK} leaves the {tier} {track} prize amount open")
      for tier in ("gold", "silver") for track in ORG_IND],
    pytest.param(CN, "mayor", "organization", PLAQUE, (500000, "第二十六条第二款"), "第二十六条",
                 (says("第二十六条", "区长质量奖先进质量管理模式50万元/家"),),
                 id=f"{CN} pays 500000 yuan per organization for the mayor's award"),
    pytest.param(CN, "mayor", "individual", PLAQUE, (20000, "第二十六条第二款"), "第二十六条",
                 (says("第二十六条", "先进质量管理成果2万元/名；质量金奖"),),
                 id=f"{CN} pays 20000 yuan per individual for the mayor's award"),
    pytest.param(CN, "gold", "organization", PLAQUE, (100000, "第二十六条第二款"), "第二十六条",
                 (says("第二十六条", "质量金奖先进质量管理模式10万元/家"),),
                 id=f"{CN} pays 100000 yuan per organization for the gold award"),
    pytest.param(CN, "gold", "individual", PLAQUE, (10000, "第二十六条第二款"), "第二十六条",
                 (says("第二十六条", "先进质量管理成果1万元/名"),),
                 id=f"{CN} pays 10000 yuan per individual for the gold award"),
    pytest.param(CH, "mayor", "organization", TROPHY, (100000, "第二十条"), "第十九条",
                 (says("第二十条", "每家奖励10万元"), says("第十九条", "颁发奖杯、证书、奖金")),
                 id=f"{CH} pays 100000 yuan with a trophy for the mayor's award"),
    pytest.param(CM, "mayor", "organization", PLAQUE, (500000, "第二十六条第二款"), "第二十六条",
                 (says("第二十六条", "对崇明区区长质量奖获奖组织颁发奖牌、"
                                     "证书和奖金人民币50万元"),),
                 id=f"{CM} pays 500000 yuan for the mayor's award"),
    pytest.param(CM, "gold", "organization", PLAQUE, (100000, "第二十六条第三款"), "第二十六条",
                 (says("第二十六条", "对崇明区质量金奖获奖组织颁发奖牌、证书和奖金人民币10万元"),),
                 id=f"{CM} pays 100000 yuan for the gold award"),
    pytest.param(BJ, "award", "organization", PLAQUE, (200000, "五、（一）"), "五、（一）",
                 (says("五、（一）", "分别给予20万元和10万元的一次性奖励"),
                  says("四、（八）", "颁发奖牌、证书和奖金")),
                 id=f"{BJ} pays 200000 yuan for the award"),
    pytest.param(BJ, "nomination", "organization", PLAQUE, (100000, "五、（一）"), "五、（一）",
                 (says("五、（一）", "分别给予20万元和10万元的一次性奖励"),
                  says("四、（八）", "拟授予区政府质量奖及其提名奖组织名单")),
                 id=f"{BJ} pays 100000 yuan for the nomination award"),
]


@pytest.mark.parametrize(
    ("policy_id", "tier", "track", "items", "amount", "cite", "quotes"), PRIZES
)
def test_prize_amount_per_tier_and_track(
    policy_id: str, tier: str, track: str, items: tuple[str, ...], amount: Any, cite: str,
    quotes: tuple[Quote, ...],
) -> None:
    (prize,) = [p for p in policy(policy_id).prizes.awards if (p.tier, p.track) == (tier, track)]
    actual = {"prize": ((prize.items, of(prize.amount_yuan)), prize.cite)}
    assert_row(policy_id, actual, {"prize": ((items, amount), cite)}, quotes)


@pytest.mark.parametrize("policy_id", ALL_IDS)
def test_every_prize_of_the_policy_is_in_the_prize_table(policy_id: str) -> None:
    in_policy = sorted((p.tier, p.track) for p in policy(policy_id).prizes.awards)
    in_table = sorted((c.values[1], c.values[2]) for c in PRIZES if c.values[0] == policy_id)
    assert in_policy == in_table


# ---------------------------------------------------------------------------------------------
# repeat winners


@pytest.mark.parametrize(ROW, [
    *[case(pid, "has no rule for repeat winners", {"repeat_winners": NONE},
           silent_on(ALL, "再次获得")) for pid in (HK, CN, CH, CM)],
    case(BJ, "pays repeat winners no money, outside the quota unless a nomination is repeated",
         {"award-after-award": ((("plaque", "certificate"), False, False), "五、（四）"),
          "nomination-after-award": ((("plaque", "certificate"), False, False), "五、（四）"),
          "nomination-after-nomination": ((("certificate", "title"), False, True), "五、（四）")},
         says("五、（四）", "再次获得区政府质量奖和提名奖的，授予奖牌和证书，不给予资金奖励，"
                            "不占当年奖项名额"),
         says("五、（四）", "获得提名奖的组织，再次获得提名奖的，授予证书和称号，不给予资金奖励，"
                            "占当年奖项名额")),
])
def test_repeat_winners(policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]) -> None:
    rules = policy(policy_id).prizes.repeat_winners
    actual: dict[str, Any] = (
        {"repeat_winners": _absent(rules)} if _absent(rules) else
        {f"{r.tier}-after-{'+'.join(r.previously)}": ((r.items, r.money, r.counts_in_quota),
                                                       r.cite) for r in rules}
    )
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# higher-level awards


@pytest.mark.parametrize(ROW, [
    case(HK, "rewards China and Shanghai quality awards without stating an amount",
         {"levels": (("national/award", "city/award"), "第六条第二款"),
          "national/award": SILENT, "city/award": SILENT, "only_highest_paid": SILENT},
         says("第六条", "对获得中国质量奖、上海市政府质量奖的组织和个人，应给予相应奖励"),
         silent_on("第六条", "万元"), silent_on("第六条", "就高")),
    case(CN, "grants no bonus for higher-level awards", {"bonuses": NONE},
         says("第六条", "争创国家和市级质量荣誉"), silent_on("第六条", "应给予")),
    case(CH, "grants no bonus for higher-level awards", {"bonuses": NONE},
         silent_on(ALL, "中国质量奖")),
    case(CM, "grants no bonus for higher-level awards", {"bonuses": NONE},
         says("第六条", "争创市级和国家质量荣誉"), silent_on("第六条", "应给予")),
    case(BJ, "pays 2000000, 1000000 or 500000 yuan (half for nominations), only the highest",
         {"levels": (("national/award", "national/nomination", "provincial/award",
                      "provincial/nomination", "city/award", "city/nomination"), "五、（五）"),
          "national/award": (2000000, "五、（五）"), "national/nomination": (1000000, "五、（五）"),
          "provincial/award": (1000000, "五、（五）"),
          "provincial/nomination": (500000, "五、（五）"),
          "city/award": (500000, "五、（五）"), "city/nomination": (250000, "五、（五）"),
          "only_highest_paid": (True, "五、（五）")},
         says("五、（五）", "对获得中国质量奖（提名奖）、省政府质量奖（提名奖）"
                          "和市政府质量奖（提名奖）的组织分别给予200万元（提名奖100万元）、"
                          "100万元（提名奖50万元）和50万元（提名奖25万元）奖励"),
         says("五、（五）", "各级政府质量奖奖励按照就高不重复原则")),
])
def test_higher_level_awards(
    policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]
) -> None:
    hb = policy(policy_id).prizes.higher_level_bonuses
    actual: dict[str, Any]
    if _absent(hb):
        actual = {"bonuses": _absent(hb)}
    else:
        actual = {"levels": (tuple(f"{b.level}/{b.tier}" for b in hb.bonuses), hb.cite),
                  **{f"{b.level}/{b.tier}": of(b.amount_yuan) for b in hb.bonuses},
                  "only_highest_paid": of(hb.only_highest_paid)}
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# review team


@pytest.mark.parametrize(ROW, [
    case(HK, "dissolves its review team after the year",
         {"min_size": SILENT, "leader": SILENT, "dissolved_after": ("year", "第九条")},
         says("第九条", "当年评审工作结束后，评审组自动解散")),
    case(CN, "dissolves its review team after the cycle",
         {"min_size": SILENT, "leader": SILENT, "dissolved_after": ("cycle", "第十条第一款")},
         says("第十条", "当届评审工作结束后，评审组自动撤销")),
    case(CH, "uses its own experts or a third party and says nothing about the team",
         {"min_size": SILENT, "leader": SILENT, "dissolved_after": SILENT},
         says("第九条", "可自行组织专家评审或委托第三方机构实施"), silent_on("第九条", "组长")),
    case(CM, "dissolves its review team after the year",
         {"min_size": SILENT, "leader": SILENT, "dissolved_after": ("year", "第十条第一款")},
         says("第十条", "当年评审工作结束后，评审组自动解散")),
    case(BJ, "has review teams of at least 3 reviewers led by a team leader",
         {"min_size": (3, "二、（四）"), "leader": (True, "二、（四）"), "dissolved_after": SILENT},
         says("二、（四）", "评审组一般由3名（含）以上评审员组成，实行组长负责制"),
         silent_on("二、（四）", "解散")),
])
def test_review_team(policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]) -> None:
    r = policy(policy_id).reviewers
    actual = {"min_size": of(r.team_min_size), "leader": of(r.team_leader),
              "dissolved_after": of(r.dissolved_after)}
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# conflicts of interest (recusal scope)


@pytest.mark.parametrize(ROW, [
    case(HK, "has interested reviewers and staff recuse themselves",
         {"recusal": (("interest",), "第二十二条第（三）项"),
          "staff_too": (True, "第二十二条第（三）项")},
         says("第二十二条", "评审人员及工作人员与申报组织或个人有利害关系的，"
                            "本人应当主动提出回避")),
    case(CN, "has interested reviewers, staff and Shanghai-pool mentors recuse themselves",
         {"recusal": (("interest",), "第二十八条第（三）项"),
          "elsewhere": ((("mentor_of_applicant",), "第十五条第二款"),),
          "staff_too": (True, "第二十八条第（三）项")},
         says("第二十八条", "评审人员及工作人员与申报组织或个人有利害关系的，本人应主动提出回避"),
         says("第十五条", "应当向评审办备案，并在评审中主动履行回避义务")),
    case(CH, "has reviewers and staff recuse themselves and keep confidentiality",
         {"recusal": (("interest",), "第九条"), "staff_too": (True, "第九条")},
         says("第九条", "评审人员以及工作人员应主动遵守利害关系回避制度和保密制度")),
    case(CM, "has interested reviewers, staff and incubation mentors recuse themselves",
         {"recusal": (("interest",), "第二十八条第（三）项"),
          "elsewhere": ((("mentor_of_applicant",), "第十四条第二款"),),
          "staff_too": (True, "第二十八条第（三）项")},
         says("第二十八条", "评审人员及工作人员与申报组织有利害关系的，本人应主动提出回避"),
         says("第十四条", "担任指导的专家符合回避条件的，区评审办按规定要求其履行回避义务")),
    # The list of 二、（五） ends in 等 under the general 利害关系回避原则: `interest` as well.
    case(BJ, "bars reviewers with an interest: employed by or serving the applicant, its units, "
             "partners or rivals, and the like",
         {"recusal": (("interest", "employed_by_applicant", "serving_applicant", "internal_unit",
                       "subordinate_unit", "business_partner", "competitor"), "二、（五）"),
          "staff_too": SILENT},
         says("二、（五）", "应遵守利害关系回避原则"),
         says("二、（五）", "不应存在受雇、任职于受评单位或其内设、隶属、"
                            "业务往来单位以及竞争对手单位等情形"),
         silent_on("二、（五）", "工作人员")),
])
def test_recusal_scope(policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]) -> None:
    r = policy(policy_id).reviewers
    actual = {"recusal": of(r.recusal), "staff_too": of(r.staff_recuse_too)}
    if r.recusal_elsewhere:  # relations another article sets, each with that article
        actual["elsewhere"] = tuple((e.relations, e.cite) for e in r.recusal_elsewhere)
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# reviewer sanctions

ALL_SANCTIONS = ("criticism", "warning", "disqualification", "public_notice")


@pytest.mark.parametrize(ROW, [
    case(HK, "criticizes, warns, disqualifies and names reviewers",
         {"sanctions": (ALL_SANCTIONS, "第二十二条第（二）项"), "rehire_ban": SILENT},
         says("第二十二条", "予以批评、警告，或取消评审资格、予以通报批评")),
    case(CN, "criticizes, warns, disqualifies and names reviewers",
         {"sanctions": (ALL_SANCTIONS, "第二十八条第（二）项"), "rehire_ban": SILENT},
         says("第二十八条", "予以批评、警告，或取消评审资格、予以通报批评")),
    case(CH, "criticizes, warns and disqualifies reviewers",
         {"sanctions": (("criticism", "warning", "disqualification"), "第二十六条"),
          "rehire_ban": SILENT},
         says("第二十六条", "予以批评、警告，或取消评审资格"), silent_on("第二十六条", "通报")),
    case(CM, "criticizes, warns, disqualifies and names reviewers",
         {"sanctions": (ALL_SANCTIONS, "第二十八条第（二）项"), "rehire_ban": SILENT},
         says("第二十八条", "予以批评、警告，或取消评审资格、予以通报批评")),
    case(BJ, "does not hire disqualified reviewers again for 5 years",
         {"sanctions": (ALL_SANCTIONS, "七、（六）"), "rehire_ban": (5, "七、（六）")},
         says("七、（六）", "视情节轻重予以批评、警告或取消评审资格，并进行通报"),
         says("七、（六）", "对取消评审资格的评审员，5年内不得聘用")),
])
def test_reviewer_sanctions(policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]) -> None:
    r = policy(policy_id).reviewers
    actual = {"sanctions": of(r.sanctions),
              "rehire_ban": of(r.rehire_ban_years_after_disqualification)}
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# two-way supervision


@pytest.mark.parametrize(ROW, [
    case(HK, "reports two-way supervision to the office",
         {"two_way": (Has("区审定办"), "第二十三条")},
         says("第二十三条", "建立评审人员和申报组织或个人双向监督反馈制度"),
         says("第二十三条", "并反馈区审定办")),
    case(CN, "reports two-way supervision to discipline inspection",
         {"two_way": (Has("纪检监察"), "第二十九条")},
         says("第二十九条", "并反馈相关纪检监察部门")),
    case(CH, "has no two-way supervision", {"two_way": NONE}, silent_on(ALL, "双向监督")),
    case(CM, "reports two-way supervision to discipline inspection",
         {"two_way": (Has("纪检"), "第二十九条")},
         says("第二十九条", "并反馈相关纪检部门")),
    case(BJ, "has no two-way supervision", {"two_way": NONE}, silent_on(ALL, "双向监督")),
])
def test_two_way_supervision(
    policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]
) -> None:
    actual = {"two_way": of(policy(policy_id).reviewers.two_way_supervision)}
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# objections


@pytest.mark.parametrize(ROW, [
    case(HK, "takes objections by real name with evidence",
         {"objections": ((True, True), "第二十五条")},
         says("第二十五条", "可实名向区审定办提出，并提供必要的证明材料")),
    case(CN, "takes objections by real name with evidence",
         {"objections": ((True, True), "第三十一条")},
         says("第三十一条", "可实名向评审办提出，并提供必要的证明材料")),
    case(CH, "has no objections procedure", {"objections": NONE}, silent_on(ALL, "实名")),
    case(CM, "takes objections by real name with evidence",
         {"objections": ((True, True), "第三十一条")},
         says("第三十一条", "可实名向区评审办提出，并提供必要的证明材料")),
    case(BJ, "has no objections procedure", {"objections": NONE}, silent_on(ALL, "实名")),
])
def test_objections(policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]) -> None:
    o = policy(policy_id).objections
    actual = {"objections": _absent(o) or ((o.real_name, o.evidence_required), o.cite)}
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# incubation pool

ROUTES = ("self", "industry", "expert")


@pytest.mark.parametrize(ROW, [
    case(HK, "has no incubation pool, only cultivation by departments",
         {"pool": NONE}, silent_on(ALL, "孵化"), says("第十条", "培育和指导工作")),
    case(CN, "has an incubation pool joined by self, industry or expert recommendation",
         {"pool": ((ROUTES, True, (True, "第十五条第二款")), "第十三条第二款")},
         says("第十三条", "可通过自行申报、行业推荐、专家推荐等多种方式，加入孵化池，"
                          "免费接受卓越绩效管理等培训"),
         says("第十五条", "并在评审中主动履行回避义务")),
    case(CH, "has no incubation pool", {"pool": NONE}, silent_on(ALL, "孵化")),
    case(CM, "has an incubation pool joined by self, industry or expert recommendation",
         {"pool": ((ROUTES, True, (True, "第十四条第二款")), "第十二条第二款")},
         says("第十二条", "可通过自行申报、行业推荐、专家推荐等方式，加入孵化池，"
                          "免费接受卓越绩效管理等培训"),
         says("第十四条", "履行回避义务")),
    case(BJ, "has no incubation pool", {"pool": NONE}, silent_on(ALL, "孵化")),
])
def test_incubation_pool(policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]) -> None:
    pool = policy(policy_id).incubation_pool
    actual = {"pool": _absent(pool) or ((pool.entry_routes, pool.free_training,
                                         of(pool.mentors_recuse)
                                         if isinstance(pool.mentors_recuse, Cited)
                                         else pool.mentors_recuse), pool.cite)}
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# winners in the expert pool


@pytest.mark.parametrize(ROW, [
    case(HK, "puts winners' senior managers and individual winners into the expert pool",
         {"expert_pool": (True, "第二十六条第（一）项")},
         says("第二十六条", "获奖组织高层管理人员、获奖个人的名单列入虹口区区长质量奖评审专家库")),
    *[case(pid, "does not put winners into an expert pool", {"expert_pool": NONE},
           silent_on(ALL, "获奖个人的名单")) for pid in (CN, CH, CM, BJ)],
])
def test_winners_in_expert_pool(
    policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]
) -> None:
    actual = {"expert_pool": of(policy(policy_id).obligations.winners_join_expert_pool)}
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# annual performance report


@pytest.mark.parametrize(ROW, [
    case(HK, "wants a performance report every year for 3 years after the award",
         {"annual_report": ((3, "year_after_award", None, False, Has("质量绩效报告")),
                            "第二十六条第（二）项")},
         says("第二十六条", "获奖组织和个人获奖后3年内，"
                            "应每年如实填写《虹口区区长质量奖质量绩效报告》")),
    case(CN, "wants no yearly report", {"annual_report": NONE}, silent_on(ALL, "绩效报告")),
    case(CH, "wants a performance report every year for 3 years after the award",
         {"annual_report": ((3, "year_after_award", None, False, Has("质量绩效报告")),
                            "第二十四条")},
         says("第二十四条", "获奖后3年内，每年应如实填写《瀍河回族区区长质量奖质量绩效报告》")),
    case(CM, "wants a performance report every year for 3 years after the award",
         {"annual_report": ((3, "year_after_award", None, False, Has("质量绩效报告")),
                            "第三十二条第二款")},
         says("第三十二条", "获奖组织在获奖后3年内，"
                           "应每年如实填写《崇明区政府质量奖质量绩效报告》")),
    case(BJ, "wants a self-evaluation before March for 5 years from the year after, spot-checked",
         {"annual_report": ((5, "year_after_award", "每年3月前", True, Has("自我评价报告")),
                            "七、（三）")},
         says("七、（三）", "自获奖次年起的5年内，"
                          "每年3月前向区评审办提交上年度本组织的自我评价报告"),
         says("七、（三）", "由区评审办适时开展抽查")),
])
def test_annual_report(policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]) -> None:
    r = policy(policy_id).obligations.annual_report
    actual = {"annual_report": _absent(r) or ((r.years, r.starts, r.due_zh, r.spot_checks,
                                               r.content_zh), r.cite)}
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# follow-up of winners


@pytest.mark.parametrize(ROW, [
    case(HK, "visits the winners of the last 3 years", {"follow_up": (3, "第三十一条")},
         says("第三十一条", "定期组织对辖区3年内的获奖组织和个人进行回访")),
    case(CN, "follows up the winners of the last 5 years", {"follow_up": (5, "第三十六条")},
         says("第三十六条", "定期组织对其辖区5年内的获奖组织和个人开展跟踪管理")),
    case(CH, "has no follow-up of winners", {"follow_up": NONE},
         silent_on(ALL, "回访"), silent_on(ALL, "跟踪")),
    case(CM, "follows up the winners of the last 5 years", {"follow_up": (5, "第三十七条")},
         says("第三十七条", "应定期组织对5年内的获奖组织开展跟踪管理")),
    case(BJ, "has no follow-up of winners", {"follow_up": NONE},
         silent_on(ALL, "回访"), silent_on(ALL, "跟踪")),
])
def test_follow_up(policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]) -> None:
    f = policy(policy_id).obligations.follow_up
    actual = {"follow_up": _absent(f) or (f.winners_of_last_years, f.cite)}
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# revocation for fraud and for accidents

PC = ("plaque", "certificate")
PCM = ("plaque", "certificate", "money")


def _revocation(policy_id: str, cause: str) -> dict[str, Any]:
    r = getattr(policy(policy_id).revocation, cause)
    return {"lockout": of(r.lockout_years),
            "terms": ((r.recover, r.published, r.credit_platform, r.discretionary,
                       r.within_years_of_award, r.lockout_from), r.cite)}


@pytest.mark.parametrize(ROW, [
    case(HK, "revokes for fraud, keeps the money and bars for 3 years",
         {"lockout": (3, "第二十八条"),
          "terms": ((PC, True, True, False, None, "revocation_date"), "第二十八条")},
         says("第二十八条", "撤销奖励，收回奖牌、证书，向社会公告，"
                            "3年内不接受该组织或个人再次申报"),
         says("第二十八条", "纳入本区社会公共信用信息平台"), silent_on("第二十八条", "奖金")),
    case(CN, "revokes for fraud, claws back the money and bars for 5 years",
         {"lockout": (5, "第三十四条"),
          "terms": ((PCM, False, True, False, None, "revocation_date"), "第三十四条")},
         says("第三十四条", "收回奖牌、证书等，追缴奖金等物质奖励，"
                            "5年内不接受该组织或个人再次申报"),
         says("第三十四条", "纳入本市社会公共信用信息平台"), silent_on("第三十四条", "公告")),
    case(CH, "revokes for fraud, recovers the money and bars for 4 years",
         {"lockout": (4, "第二十八条"),
          "terms": ((TROPHY, True, False, False, None, "revocation_date"), "第二十八条")},
         says("第二十八条", "收回奖杯、证书和奖金，并向社会公告，4年内不接受该单位再次申报"),
         silent_on("第二十八条", "信用")),
    case(CM, "revokes for fraud, claws back the money and bars for 5 years",
         {"lockout": (5, "第三十四条"),
          "terms": ((PCM, False, False, False, None, "revocation_date"), "第三十四条")},
         says("第三十四条", "收回奖牌、证书，追缴奖金等物质奖励，5年内不接受该组织再次申报"),
         silent_on("第三十四条", "公告"), silent_on("第三十四条", "信用")),
    case(BJ, "revokes for fraud, recovers the money and bars for 5 years from revocation",
         {"lockout": (5, "七、（二）"),
          "terms": ((PCM, True, False, False, None, "revocation_date"), "七、（二）")},
         says("七、（二）", "收回奖牌、证书、奖金，取消其从撤销之日起5年内再次申报的资格，"
                            "并在区级主要媒体上予以曝光"),
         silent_on("七、（二）", "信用")),
])
def test_revocation_for_fraud(
    policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]
) -> None:
    assert_row(policy_id, _revocation(policy_id, "fraud"), expected, quotes)


@pytest.mark.parametrize(ROW, [
    case(HK, "revokes after a major accident at any time and bars for 3 years",
         {"lockout": (3, "第二十九条"),
          "terms": ((PC, True, False, False, None, "revocation_date"), "第二十九条")},
         says("第二十九条", "获奖组织或个人在获奖后如发生重大质量"),
         says("第二十九条", "收回奖牌、证书，向社会公告，3年内不接受该组织或个人再次申报"),
         silent_on("第二十九条", "奖金"), silent_on("第二十九条", "信用")),
    case(CN, "revokes after a major accident at any time, claws back and bars for 5 years",
         {"lockout": (5, "第三十五条"),
          "terms": ((PCM, False, False, False, None, "revocation_date"), "第三十五条")},
         says("第三十五条", "获奖组织或个人在获奖后如发生重大质量"),
         says("第三十五条", "收回奖牌、证书等，追缴奖金等物质奖励，"
                            "5年内不接受该组织或个人再次申报"),
         silent_on("第三十五条", "公告"), silent_on("第三十五条", "信用")),
    case(CH, "revokes only for accidents within 2 years of the award and bars for 4 years",
         {"lockout": (4, "第二十九条"),
          "terms": ((("trophy", "certificate"), True, False, False, 2, "revocation_date"),
                    "第二十九条")},
         says("第二十九条", "获奖单位在获奖后2年内如发生重大质量"),
         says("第二十九条", "收回奖杯、证书，向社会公告，4年内不接受该单位再次申报"),
         silent_on("第二十九条", "奖金")),
    case(CM, "revokes after a major accident at any time, claws back and bars for 5 years",
         {"lockout": (5, "第三十五条"),
          "terms": ((PCM, False, False, False, None, "revocation_date"), "第三十五条")},
         says("第三十五条", "获奖组织在获奖后如发生重大质量"),
         says("第三十五条", "收回奖牌、证书，追缴奖金等物质奖励，5年内不接受该组织再次申报"),
         silent_on("第三十五条", "公告"), silent_on("第三十五条", "信用")),
    case(BJ, "may revoke after an accident with major social impact, with no lockout stated",
         {"lockout": NONE,
          "terms": ((PCM, True, False, True, None, "revocation_date"), "七、（五）")},
         says("七、（五）", "导致重大不良社会影响的，区评审办可报区评委会提请区政府批准撤销其称号，"
                          "收回奖牌、证书、奖金并予以公告"),
         silent_on("七、（五）", "年内"), silent_on("七、（五）", "信用")),
])
def test_revocation_for_accidents(
    policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]
) -> None:
    assert_row(policy_id, _revocation(policy_id, "incident"), expected, quotes)


# ---------------------------------------------------------------------------------------------
# use of the title


@pytest.mark.parametrize(ROW, [
    case(HK, "lets winners use the title with the award year, never on products",
         {"title_use": ((True, False, True), "第二十七条")},
         says("第二十七条", "但需注明获奖年度，且不得用于产品宣传，不得在产品或包装上标注")),
    case(CN, "lets winners use the title with the year and model or achievement",
         {"title_use": ((True, True, True), "第三十三条")},
         says("第三十三条", "但需注明获奖年度及先进质量管理模式或成果，且不得用于产品宣传")),
    case(CH, "lets winners use the title with the award time",
         {"title_use": ((True, False, True), "第二十三条")},
         says("第二十三条", "但应当标明获奖时间，并不得用于产品宣传，不得在产品或包装上标注")),
    case(CM, "lets winners use the title with the year and the management model",
         {"title_use": ((True, True, True), "第三十三条")},
         says("第三十三条", "但需注明获奖年度及先进质量管理模式，且不得用于产品宣传")),
    case(BJ, "lets winners use the title with the award year, violations corrected in time",
         {"title_use": ((True, False, True), "七、（四）")},
         says("七、（四）", "但需注明获奖年份，且不得用于产品宣传"),
         says("七、（四）", "由区评审办责令其限期改正")),
])
def test_use_of_title(policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]) -> None:
    t = policy(policy_id).obligations.title_use
    actual = {"title_use": ((t.with_award_year, t.with_track_zh, t.never_on_products), t.cite)}
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# post-evaluation of the award work


@pytest.mark.parametrize(ROW, [
    case(HK, "has a third party evaluate the award work every year",
         {"post_evaluation": (Has("第三方", "年度"), "第三十条")},
         says("第三十条", "区审定办委托第三方机构对年度虹口区区长质量奖工作进行评估")),
    case(CN, "has no post-evaluation", {"post_evaluation": NONE}, silent_on(ALL, "第三方")),
    case(CH, "has no post-evaluation", {"post_evaluation": NONE}, silent_on(ALL, "评估")),
    case(CM, "has a third party evaluate the award work every 5 years",
         {"post_evaluation": (Has("第三方", "每五年"), "第三十六条")},
         says("第三十六条", "区评审办每五年委托第三方机构对崇明区政府质量奖工作进行评估")),
    case(BJ, "has no post-evaluation", {"post_evaluation": NONE}, silent_on(ALL, "第三方")),
])
def test_post_evaluation(policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]) -> None:
    actual = {"post_evaluation": of(policy(policy_id).obligations.post_evaluation)}
    assert_row(policy_id, actual, expected, quotes)


# ---------------------------------------------------------------------------------------------
# records kept


@pytest.mark.parametrize(ROW, [
    case(HK, "keeps records for 10 years", {"records": (10, "第三十二条")},
         says("第三十二条", "申报评审材料一般保存10年")),
    case(CN, "keeps records for 10 years", {"records": (10, "第三十七条")},
         says("第三十七条", "申报评审材料一般保存10年")),
    case(CH, "says nothing about keeping records", {"records": NONE}, silent_on(ALL, "保存")),
    case(CM, "keeps records for 10 years", {"records": (10, "第三十八条")},
         says("第三十八条", "申报评审材料一般保存10年")),
    case(BJ, "says nothing about keeping records", {"records": NONE}, silent_on(ALL, "保存")),
])
def test_records_kept(policy_id: str, expected: dict[str, Any], quotes: tuple[Quote]) -> None:
    actual = {"records": of(policy(policy_id).obligations.records_retention_years)}
    assert_row(policy_id, actual, expected, quotes)
