"""The regulation's text as articles, paragraphs (款) and items (项), and the text each
citation names (issue 7: `qaward policy show ID --with-text`)."""

from __future__ import annotations

import pytest

from qaward.core.policy import list_policies, load_policy
from qaward.core.policy.inspect import source_of
from qaward.core.policy.loader import iter_citations
from qaward.core.policy.model import CITATION_PATTERN
from qaward.core.policy.source import SourceText, chinese_number

POLICY_IDS = ["binjiang-2020", "changning-2023", "chanhe-2021", "chongming-2022", "hongkou-2021"]


def test_the_five_policies_are_those_checked() -> None:
    assert list_policies() == POLICY_IDS


@pytest.mark.parametrize("pid", POLICY_IDS)
def test_every_citation_of_every_policy_resolves_to_its_exact_part(pid: str) -> None:
    source = source_of(pid)
    assert source is not None
    cites = {c for _, c in iter_citations(load_policy(pid)) if CITATION_PATTERN.match(c)}
    assert len(cites) > 15
    problems = []
    for cite in sorted(cites):
        found = source.resolve(cite)
        if found is None:
            problems.append(f"{cite}: not in source.txt")
        elif not found.precise or not found.text.strip():
            problems.append(f"{cite}: {found.note or 'empty text'}")
    assert not problems, f"{pid}: citations that do not resolve: {problems}"


# (policy, citation, the exact text it names), read by hand from each source.txt
EXACT = [
    ("changning-2023", "第十五条第二款",
     "上海市政府质量奖专家库成员担任指导专家的,应当向评审办备案,并在评审中主动履行回避义务。"),
    ("changning-2023", "第二十八条第（三）项",
     "（三）评审人员及工作人员与申报组织或个人有利害关系的,本人应主动提出回避。"),
    ("changning-2023", "第三条第三款", "评奖周期和名额可根据上级规定适时调整。"),
    # 崇明 prints a line break every ~27 characters: the paragraph is joined again.
    ("chongming-2022", "第十四条第二款",
     "担任指导的专家符合回避条件的，区评审办按规定要求其履行回避义务。"),
    ("chongming-2022", "第二十六条第三款",
     "对崇明区质量金奖获奖组织颁发奖牌、证书和奖金人民币10 万元。"),
    ("chongming-2022", "第四十条",
     "本办法在施行过程中，如遇市政府质量奖管理办法调整，在相关原则上有冲突的，遵循上海市相关"
     "办法规定。"),
    ("chongming-2022", "文号", "沪崇府规〔2022〕6 号"),
    # 虹口: items printed with a list bullet (- （一）) or ASCII parentheses ((四)).
    ("hongkou-2021", "第九条第（一）项",
     "（一）负责虹口区区长质量奖的资格审查、资料评审、现场评审、陈述答辩及综合评价；"),
    ("hongkou-2021", "第二十五条第二款",
     "区审定办制定异议处理制度，并向社会公开异议举报渠道和办理流程。"),
    ("chanhe-2021", "第三条",
     "区长质量奖评选遵循科学、公正、公平、公开的原则，坚持高标准、严要求、总量控制、好中选优，"
     "实行专家评审、社会公示、政府决策的程序，自愿申请，不收取任何费用。"),
    ("chanhe-2021", "文号", "瀍政〔2021〕10号"),
    ("binjiang-2020", "一、（四）",
     "（四）区政府质量奖评审由组织自愿申请，遵循科学、公正、公平、公开的原则，严格标准、好中选优、"
     "宁缺毋滥。申报及评审不收取任何费用。"),
    ("binjiang-2020", "四、（五）",
     "（五）现场评审。区评审办组织评审组对入围现场评审的组织进行现场评审，形成现场评审报告并由该"
     "组织确认。区评审办经综合各评审组的建议后，组织会议提出候选组织建议名单。"),
]


@pytest.mark.parametrize(("pid", "cite", "text"), EXACT, ids=[f"{p} {c}" for p, c, _ in EXACT])
def test_a_citation_names_exactly_this_text(pid: str, cite: str, text: str) -> None:
    source = source_of(pid)
    assert source is not None
    found = source.resolve(cite)
    assert found is not None and found.precise
    assert found.text == text


def test_the_covering_notice_is_everything_before_the_first_heading() -> None:
    source = source_of("chongming-2022")
    assert source is not None
    found = source.resolve("印发通知")
    assert found is not None
    assert found.text.startswith("上海市崇明区人民政府文件\n沪崇府规〔2022〕6 号")
    assert "现将《崇明区政府质量奖管理办法》印发给你们" in found.text
    assert "第一条" not in found.text


SYNTHETIC = """关于印发示例办法的通知
示政〔2024〕3号
示例办法
第一章 总 则
第一条 （目的）
为了示例，
制定本办法。
第二条 （条件）
申报组织应符合下列条件：
(一) 在本区登记；
- （二）近3年无
重大事故。
符合条件的，可以申报。
第三条 （长标题跨
两行）
本条只有一款。
第二章 附 则
第四条 本办法自印发之日起施行。
抄送：各部门。
"""


def test_paragraphs_items_and_wrapped_lines_of_a_synthetic_text() -> None:
    s = SourceText.parse(SYNTHETIC)
    assert list(s.articles) == ["第一条", "第二条", "第三条", "第四条"]
    assert s.articles["第一条"].text == "为了示例，制定本办法。"
    assert s.articles["第三条"].title == "长标题跨两行"
    second = s.articles["第二条"]
    assert [p.lead for p in second.paragraphs] == ["申报组织应符合下列条件：",
                                                   "符合条件的，可以申报。"]
    assert s.resolve("第二条第（二）项").text == "（二）近3年无重大事故。"  # type: ignore[union-attr]
    assert s.resolve("第二条第二款").text == "符合条件的，可以申报。"  # type: ignore[union-attr]
    assert s.resolve("第二条第一款第（一）项").text == "（一）在本区登记；"  # type: ignore[union-attr]
    assert s.resolve("文号").text == "示政〔2024〕3号"  # type: ignore[union-attr]
    assert s.resolve("附则").text == "第四条本办法自印发之日起施行。"  # type: ignore[union-attr]
    assert "抄送" not in s.articles["第四条"].text
    both = s.resolve("第一条、第四条")
    assert both is not None and both.found == "第一条、第四条"


def test_only_the_article_found_is_said_and_an_unknown_article_is_none() -> None:
    s = SourceText.parse(SYNTHETIC)
    found = s.resolve("第三条第二款")
    assert found is not None and not found.precise
    assert found.found == "第三条" and found.text == "本条只有一款。"
    assert found.note == "第三条第二款: 第二款 not found, the whole 第三条 instead"
    item = s.resolve("第二条第（九）项")
    assert item is not None and not item.precise and item.found == "第二条"
    assert s.resolve("第九条") is None
    assert s.resolve("三、（一）") is None


@pytest.mark.parametrize(("text", "n"), [("一", 1), ("十", 10), ("十五", 15), ("二十八", 28),
                                         ("四十一", 41), ("一百零一", 101)])
def test_chinese_numbers(text: str, n: int) -> None:
    assert chinese_number(text) == n
