"""Notices (公示) of the five regulations: which are required, by which article, and the
window ``qaward calendar notice`` (``notice_for``) computes at boundary dates.

Counting follows docs/conventions.md ("Notice windows"), by law: 民法典 第二百零一条 (the day of
publication is not counted; "N个工作日" counts from the first working day after it and ends on
the Nth official working day, 调休 weekends counting and holidays not) and 第二百零三条 (an
"N天" window whose last day is a rest day or holiday ends on the next working day). No bundled
regulation states a counting; an office may configure that the publication day is day 1.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from qaward.cli import NOTICE_STAGES, notice_for
from qaward.core.errors import (
    CalendarNotAvailable,
    ConfigurationRequired,
    PolicyFileError,
    QawardError,
)
from qaward.core.notices import notice_counting, notice_title
from qaward.core.policy import load_policy
from qaward.core.policy.loader import apply_configuration, parse_policy, policy_files, read_yaml
from qaward.core.policy.model import NoticeLength, Silent
from qaward.core.workdays import load_default_calendar, notice_window
from tests.core.policy.test_rule_matrix import (
    ALL_IDS,
    BJ,
    CH,
    CM,
    CN,
    HK,
    article_text,
    source_text,
    squash,
)

D = date


@pytest.fixture(autouse=True)
def _bundled_data_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Bundled policies and calendar only: no office configuration, no imported 2027 table."""
    monkeypatch.delenv("QAWARD_CONFIG_DIR", raising=False)
    monkeypatch.delenv("QAWARD_POLICY_DIRS", raising=False)
    monkeypatch.setenv("QAWARD_DATA_DIR", str(tmp_path / "no-user-data"))


LAW = "民法典 第二百零一条、第二百零三条"


@pytest.mark.parametrize("policy_id", ALL_IDS)
def test_no_regulation_states_a_counting_so_the_law_applies(policy_id: str) -> None:
    policy = load_policy(policy_id)
    assert policy.notice_counting is None
    counting = notice_counting(policy)
    assert (counting.publication_day_counts, counting.calendar_days_extend_to_workday,
            counting.source, counting.cite) == (False, True, "law", LAW)
    text = squash(source_text(policy_id))
    for phrase in ("公示期自", "发布之日起", "公布之日起", "含节假日", "顺延"):
        assert phrase not in text, f"{policy_id} may state a counting: {phrase}"


# ---------------------------------------------------------------------------------------------
# Which notices each regulation requires, with its article

SILENT_LENGTH = "— (length not stated)"
NOT_REQUIRED = None

NOTICES = [
    # policy, stage, rule (NOT_REQUIRED, SILENT_LENGTH or the window), article, phrase:
    # a required notice's article must say the phrase; an article cited for a notice that is
    # not required must not say it.
    (HK, "eligibility", SILENT_LENGTH, "第十五条", "区审定办向社会公示名单，公示无异议的"),
    (HK, "shortlist", SILENT_LENGTH, "第十六条第二款", "确定现场评审名单，并向社会公示"),
    (HK, "final", "不少于7天", "第十九条", "向社会和在申报组织或个人单位内部不少于7天的公示"),
    (HK, "internal", "不少于7天", "第十九条", "在申报组织或个人单位内部不少于7天的公示"),
    (CN, "eligibility", "不少于5个工作日", "第二十一条", "向社会进行不少于5个工作日的公示"),
    (CN, "shortlist", NOT_REQUIRED, "第二十二条第二款", "公示"),
    (CN, "final", "不少于5个工作日", "第二十五条第二款", "将拟获奖名单向社会进行不少于5个工作日"),
    (CN, "internal", NOT_REQUIRED, "第二十五条第二款", "内部"),
    (CH, "eligibility", NOT_REQUIRED, "第十七条", "公示"),
    (CH, "shortlist", NOT_REQUIRED, "第十八条", "公示"),
    (CH, "final", "7天", "第十九条", "将拟奖名单向社会进行公示，公示期7天"),
    (CH, "internal", NOT_REQUIRED, "第十九条", "内部"),
    (CM, "eligibility", "不少于5个工作日", "第二十一条", "向社会进行不少于5个工作日的公示"),
    (CM, "shortlist", NOT_REQUIRED, "第二十二条第二款", "公示"),
    (CM, "final", "不少于5个工作日", "第二十五条第二款", "向社会进行不少于5个工作日的公示"),
    (CM, "internal", "不少于5个工作日", "第十九条", "组织内部进行公示，公示时间不少于5个工作日"),
    (BJ, "eligibility", NOT_REQUIRED, "四、（三）", "公示"),
    (BJ, "shortlist", NOT_REQUIRED, "四、（四）", "公示"),
    (BJ, "final", "7天", "四、（七）", "在区级主要媒体上进行为期7天的公示"),
    (BJ, "internal", NOT_REQUIRED, "四、（七）", "内部"),
]


def _sentence(policy_id: str, stage: str, rule: str | None, cite: str) -> str:
    if rule is NOT_REQUIRED:
        return f"{policy_id} requires no {stage} notice"
    a_stage = f"{'an' if stage[0] in 'aeiou' else 'a'} {stage}"
    if rule == SILENT_LENGTH:
        return f"{policy_id} requires {a_stage} notice of a length it does not state"
    return f"{policy_id} requires {a_stage} notice"


@pytest.mark.parametrize(
    ("policy_id", "stage", "rule", "cite", "phrase"),
    [pytest.param(*n, id=_sentence(*n[:4])) for n in NOTICES],
)
def test_notice_is_required_or_not_by_its_article(
    policy_id: str, stage: str, rule: str | None, cite: str, phrase: str
) -> None:
    notice = load_policy(policy_id).notice(stage)
    assert (notice.required, notice.cite) == (rule is not NOT_REQUIRED, cite)
    text = article_text(policy_id, cite)
    if rule is NOT_REQUIRED:
        assert notice.length is None
        assert squash(phrase) not in text, f"{cite} does ask for a notice ({phrase})"
        return
    assert squash(phrase) in text, f"{cite} does not say {phrase!r}"
    if rule == SILENT_LENGTH:
        assert isinstance(notice.length, Silent)
        for unit in ("工作日", "天"):
            assert unit not in text, f"{cite} does state a length in {unit}"
    else:
        assert isinstance(notice.length, NoticeLength)
        assert notice.length.source == "regulation"
        n = notice.length
        unit = "个工作日" if n.unit == "working_days" else "天"
        assert f"{'不少于' if n.minimum else ''}{n.value}{unit}" == rule
        assert squash(rule) in text


def test_the_table_covers_every_stage_of_every_policy() -> None:
    assert sorted((n[0], n[1]) for n in NOTICES) == sorted(
        (p, s) for p in ALL_IDS for s in NOTICE_STAGES)


# ---------------------------------------------------------------------------------------------
# Windows at boundary dates

WINDOWS = [
    # policy, stage, published, day 1, last day, rule, article, why
    # (the last day before the legal counting in the comment)
    (CN, "final", D(2026, 9, 28), D(2026, 9, 29), D(2026, 10, 10), "不少于5个工作日",
     "第二十五条第二款",
     "counts 5 working days from Tue 09-29, ending on the make-up working Saturday 10-10"),
    # before: 10-09
    (CN, "eligibility", D(2026, 9, 28), D(2026, 9, 29), D(2026, 10, 10), "不少于5个工作日",
     "第二十一条", "counts 5 working days across the National Day holiday"),  # before: 10-09
    (CN, "final", D(2026, 9, 30), D(2026, 10, 8), D(2026, 10, 13), "不少于5个工作日",
     "第二十五条第二款",
     "published on the eve of the holiday counts from 10-08"),  # before: 10-12
    (CM, "eligibility", D(2026, 6, 13), D(2026, 6, 15), D(2026, 6, 22), "不少于5个工作日",
     "第二十一条",
     "published on a rest Saturday starts counting on Monday and skips Dragon Boat"),
    (CM, "eligibility", D(2026, 6, 15), D(2026, 6, 16), D(2026, 6, 23), "不少于5个工作日",
     "第二十一条", "published on the Monday counts from Tuesday"),  # before: 06-22
    (CM, "internal", D(2026, 6, 13), D(2026, 6, 15), D(2026, 6, 22), "不少于5个工作日",
     "第十九条", "published on a rest Saturday starts counting on Monday"),
    (CN, "final", D(2026, 9, 20), D(2026, 9, 21), D(2026, 9, 28), "不少于5个工作日",
     "第二十五条第二款",
     "published on the make-up working Sunday 09-20 counts from Monday"),  # before: 09-24
    (CN, "final", D(2026, 9, 13), D(2026, 9, 14), D(2026, 9, 18), "不少于5个工作日",
     "第二十五条第二款", "published on an ordinary Sunday starts counting on Monday"),
    (CN, "final", D(2026, 10, 10), D(2026, 10, 12), D(2026, 10, 16), "不少于5个工作日",
     "第二十五条第二款",
     "published on the make-up working Saturday 10-10 counts from Monday"),  # before: 10-15
    (CM, "final", D(2026, 10, 10), D(2026, 10, 12), D(2026, 10, 16), "不少于5个工作日",
     "第二十五条第二款",
     "published on the make-up working Saturday 10-10 counts from Monday"),  # before: 10-15
    (CM, "final", D(2026, 12, 24), D(2026, 12, 25), D(2026, 12, 31), "不少于5个工作日",
     "第二十五条第二款",
     "published on 12-24 is the last 5-working-day notice that ends in 2026"),
    (CM, "eligibility", D(2025, 12, 29), D(2025, 12, 30), D(2026, 1, 6), "不少于5个工作日",
     "第二十一条", "crossing New Year skips 元旦 and counts the make-up Sunday 2026-01-04"),
    # before: 2026-01-05
    (CH, "final", D(2026, 9, 28), D(2026, 9, 29), D(2026, 10, 8), "7天", "第十九条",
     "of 7 days: day 7 is 10-05 inside the National Day holiday, so it ends on 10-08"),
    # before: 10-04
    (CH, "final", D(2026, 10, 1), D(2026, 10, 2), D(2026, 10, 8), "7天", "第十九条",
     "of 7 days published on a holiday counts from the next day"),  # before: 10-07
    (CH, "final", D(2026, 12, 21), D(2026, 12, 22), D(2026, 12, 28), "7天", "第十九条",
     "of 7 days ending on a working Monday is not extended"),  # before: 12-27
    (BJ, "final", D(2026, 9, 28), D(2026, 9, 29), D(2026, 10, 8), "7天", "四、（七）",
     "of 7 days ends on the first working day after the National Day holiday"),
    # before: 10-04
    (BJ, "final", D(2026, 9, 30), D(2026, 10, 1), D(2026, 10, 8), "7天", "四、（七）",
     "of 7 days published on the eve of the holiday ends on 10-08"),  # before: 10-06
    (BJ, "final", D(2025, 12, 27), D(2025, 12, 28), D(2026, 1, 4), "7天", "四、（七）",
     "of 7 days crossing New Year ends on the make-up Sunday 2026-01-04"),  # before: 01-02
    (HK, "final", D(2026, 9, 28), D(2026, 9, 29), D(2026, 10, 8), "不少于7天", "第十九条",
     "of at least 7 days ends on the first working day after the holiday"),  # before: 10-04
    (HK, "internal", D(2026, 9, 28), D(2026, 9, 29), D(2026, 10, 8), "不少于7天", "第十九条",
     "runs with the final notice for at least 7 days"),  # before: 10-04
]


def _window(published: date, first: date, last_day: date, rule: str, article: str,
            basis: tuple[str, str, str, str] = ("law", LAW, LAW,
                                                "Civil Code, Articles 201 and 203"),
            ) -> dict[str, str]:
    zh = f"公示期：{first.year}年{first.month}月{first.day}日至" \
         f"{last_day.year}年{last_day.month}月{last_day.day}日"
    en = f"Notice period: {first.day} {first:%B %Y} to {last_day.day} {last_day:%B %Y}"
    return {"start": published.isoformat(), "first_counted_day": first.isoformat(),
            "end": last_day.isoformat(), "rule": rule, "article": article,
            "period_zh": zh, "period_en": en, "counting_source": basis[0],
            "counting_cite": basis[1], "counting_zh": basis[2], "counting_en": basis[3]}


@pytest.mark.parametrize(
    ("policy_id", "stage", "published", "first", "last_day", "rule", "article"),
    [pytest.param(*w[:7], id=f"{w[0]} {w[1]} notice {w[7]}") for w in WINDOWS],
)
def test_notice_window_at_boundary_dates(
    policy_id: str, stage: str, published: date, first: date, last_day: date, rule: str,
    article: str,
) -> None:
    result = notice_for(load_policy(policy_id), stage, published)
    assert result == _window(published, first, last_day, rule, article)
    assert result["article"] == load_policy(policy_id).notice(stage).cite


def test_the_issues_example_prints_both_dates_in_full() -> None:
    result = notice_for(load_policy(CN), "final", D(2026, 9, 28))
    assert result["period_zh"] == "公示期：2026年9月29日至2026年10月10日"
    assert result["period_en"] == "Notice period: 29 September 2026 to 10 October 2026"
    assert result["counting_zh"] == "民法典 第二百零一条、第二百零三条"


def test_the_calendar_facts_the_boundary_cases_rely_on() -> None:
    cal = load_default_calendar()
    assert not cal.is_workday(D(2026, 6, 13)) and D(2026, 6, 13).weekday() == 5
    assert not cal.is_workday(D(2026, 6, 19))  # 端午
    assert cal.is_workday(D(2026, 9, 20)) and D(2026, 9, 20).weekday() == 6  # 调休 Sunday
    assert cal.is_workday(D(2026, 10, 10)) and D(2026, 10, 10).weekday() == 5  # 调休 Saturday
    assert not any(cal.is_workday(D(2026, 10, d)) for d in range(1, 8))  # 国庆
    assert not any(cal.is_workday(D(2026, 1, d)) for d in range(1, 4))  # 元旦
    assert cal.is_workday(D(2026, 1, 4)) and D(2026, 1, 4).weekday() == 6  # 调休 Sunday
    assert D(2026, 9, 28).weekday() == 0


@pytest.mark.parametrize(("policy_id", "stage"), [(CM, "eligibility"), (CM, "internal")])
def test_a_notice_published_on_a_rest_day_starts_counting_on_the_next_working_day(
    policy_id: str, stage: str
) -> None:
    policy = load_policy(policy_id)
    saturday, monday = D(2026, 6, 13), D(2026, 6, 15)
    assert notice_for(policy, stage, saturday)["first_counted_day"] == monday.isoformat()
    assert notice_for(policy, stage, saturday)["end"] < notice_for(policy, stage, monday)["end"]
    window = notice_window(load_default_calendar(), saturday, 5, "working_days")
    assert (window.first_counted_day, window.end) == (monday, D(2026, 6, 22))


@pytest.mark.parametrize("published", [
    pytest.param(D(2026, 9, 20), id="make-up working Sunday 2026-09-20"),
    pytest.param(D(2026, 10, 10), id="make-up working Saturday 2026-10-10"),
])
def test_a_working_weekend_publication_day_is_not_counted(published: date) -> None:
    policy = load_policy(CN)
    window = notice_window(load_default_calendar(), published, 5, "working_days")
    assert window.first_counted_day > published
    assert notice_for(policy, "final", published)["end"] == window.end.isoformat()


# ---------------------------------------------------------------------------------------------
# Errors: no calendar, no length, no notice

WORKING_DAY_NOTICES = [
    (CN, "eligibility"), (CN, "final"), (CM, "eligibility"), (CM, "final"), (CM, "internal")
]


@pytest.mark.parametrize(
    ("policy_id", "stage"),
    [pytest.param(p, s, id=f"{p} {s} notice published 2026-12-28 needs the 2027 calendar")
     for p, s in WORKING_DAY_NOTICES],
)
def test_a_working_day_notice_into_2027_stops_for_the_missing_calendar(
    policy_id: str, stage: str
) -> None:
    with pytest.raises(CalendarNotAvailable) as info:
        notice_for(load_policy(policy_id), stage, D(2026, 12, 28))
    assert info.value.year == 2027
    message = str(info.value)
    assert "2027" in message and "2026-12-28" in message
    assert "qaward calendar import" in message


@pytest.mark.parametrize(
    ("policy_id", "stage", "article"),
    [pytest.param(HK, "eligibility", "第十五条",
                  id=f"{HK} eligibility notice asks for its length to be configured"),
     pytest.param(HK, "shortlist", "第十六条",
                  id=f"{HK} shortlist notice asks for its length to be configured")],
)
def test_a_notice_of_unstated_length_asks_for_configuration(
    policy_id: str, stage: str, article: str
) -> None:
    with pytest.raises(ConfigurationRequired) as info:
        notice_for(load_policy(policy_id), stage, D(2026, 9, 28))
    assert info.value.policy_id == policy_id
    assert info.value.key == f"notices.{stage}.length"
    assert f"`notices.{stage}.length`" in str(info.value)
    assert article in str(info.value)


NOT_REQUIRED_NOTICES = [(n[0], n[1], n[3]) for n in NOTICES if n[2] is NOT_REQUIRED]


@pytest.mark.parametrize(
    ("policy_id", "stage", "article"),
    [pytest.param(*n, id=f"{n[0]} refuses to count a {n[1]} notice it does not require")
     for n in NOT_REQUIRED_NOTICES],
)
def test_a_notice_that_is_not_required_is_refused_with_its_article(
    policy_id: str, stage: str, article: str
) -> None:
    with pytest.raises(QawardError) as info:
        notice_for(load_policy(policy_id), stage, D(2026, 9, 28))
    assert not isinstance(info.value, ConfigurationRequired | CalendarNotAvailable)
    assert article in str(info.value) and f"`{stage}`" in str(info.value)


def test_a_configured_length_is_used_and_cited_with_the_office_decision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / f"{HK}.yaml").write_text(
        f"policy: {HK}\n"
        "values:\n"
        "  notices.eligibility.length: {value: 5, unit: working_days, minimum: true,\n"
        "                               cite: 区审定办通知（2026）3号}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("QAWARD_CONFIG_DIR", str(config))
    result = notice_for(load_policy(HK), "eligibility", D(2026, 9, 28))
    assert result == _window(D(2026, 9, 28), D(2026, 9, 29), D(2026, 10, 10), "不少于5个工作日",
                             "第十五条; length configured: 区审定办通知（2026）3号")
    with pytest.raises(ConfigurationRequired):  # the shortlist notice is still open
        notice_for(load_policy(HK), "shortlist", D(2026, 9, 28))


def test_notice_titles_in_the_regulations_words() -> None:
    assert notice_title(load_policy("changning-2023"), "final") == ("拟获奖名单",
                                                                   "Proposed winners")
    assert notice_title(load_policy("hongkou-2021"), "shortlist")[0] == "现场评审名单"
    with pytest.raises(QawardError, match="requires no `shortlist` notice"):
        notice_title(load_policy("chanhe-2021"), "shortlist")


# ---------------------------------------------------------------------------------------------
# The one counting choice an office may configure: the publication day is day 1

DECISION = "区审定办通知（2026）5号"


def _configure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, policy_id: str,
               values: str) -> None:
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / f"{policy_id}.yaml").write_text(f"policy: {policy_id}\nvalues:\n{values}",
                                              encoding="utf-8")
    monkeypatch.setenv("QAWARD_CONFIG_DIR", str(config))


OFFICE_WINDOWS = [
    # policy, stage, published, day 1, last day (law's last day in the comment)
    (CN, "final", D(2026, 9, 28), D(2026, 9, 28), D(2026, 10, 9)),  # law: 10-10
    (CN, "final", D(2026, 9, 30), D(2026, 9, 30), D(2026, 10, 12)),  # law: 10-13
    (CN, "final", D(2026, 9, 20), D(2026, 9, 20), D(2026, 9, 24)),  # law: 09-28
    (CM, "eligibility", D(2026, 6, 13), D(2026, 6, 15), D(2026, 6, 22)),  # law: the same
    (CM, "eligibility", D(2025, 12, 29), D(2025, 12, 29), D(2026, 1, 5)),  # law: 01-06
    (CH, "final", D(2026, 9, 28), D(2026, 9, 28), D(2026, 10, 8)),  # 10-04 is a holiday
    (BJ, "final", D(2025, 12, 27), D(2025, 12, 27), D(2026, 1, 4)),  # 01-02 is a holiday
    (HK, "final", D(2026, 12, 21), D(2026, 12, 21), D(2026, 12, 28)),  # 12-27 is a Sunday
]


@pytest.mark.parametrize(("policy_id", "stage", "published", "first", "last_day"),
                         OFFICE_WINDOWS)
def test_an_office_may_count_the_publication_day_as_day_1_citing_its_decision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, policy_id: str, stage: str,
    published: date, first: date, last_day: date,
) -> None:
    _configure(tmp_path, monkeypatch, policy_id,
               f"  notice_counting.publication_day_counts: {{value: true, cite: {DECISION}}}\n")
    policy = load_policy(policy_id)
    assert policy.configured == {"notice_counting.publication_day_counts": DECISION}
    notice = policy.notice(stage)
    assert isinstance(notice.length, NoticeLength)
    n = notice.length
    unit = "个工作日" if n.unit == "working_days" else "天"
    rule = f"{'不少于' if n.minimum else ''}{n.value}{unit}"
    basis = ("configuration", DECISION, f"评审办决定（{DECISION}）：发布之日计为第1日",
             f"the office's decision ({DECISION}): the publication day is day 1")
    assert notice_for(policy, stage, published) == _window(
        published, first, last_day, rule, notice.cite, basis)


@pytest.mark.parametrize(("values", "message"), [
    ("  notice_counting.publication_day_counts: {value: false, cite: X号}\n",
     "the only choice is `value: true`"),
    ("  notice_counting.publication_day_counts: {value: true}\n",
     "must be a mapping with `cite` naming the decision"),
    ("  notice_counting.publication_day_counts: {value: true, cite: X号, unit: days}\n",
     "expected `value`, `cite` and optionally `note`"),
    ("  notice_counting.calendar_days_extend_to_workday: {value: false, cite: X号}\n",
     "the only counting choice configuration may make"),
    ("  notice_counting: {publication_day_counts: true, cite: X号}\n",
     "the only counting choice configuration may make"),
])
def test_nothing_else_about_counting_is_configurable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, values: str, message: str
) -> None:
    _configure(tmp_path, monkeypatch, CN, values)
    with pytest.raises(PolicyFileError) as info:
        load_policy(CN)
    assert message in str(info.value)
    assert "notice_counting" in str(info.value)


def _policy_raw(policy_id: str) -> dict[str, Any]:
    raw = read_yaml(policy_files()[policy_id])
    assert isinstance(raw, dict)
    return raw


def test_a_regulation_that_states_a_counting_is_followed_and_cited() -> None:
    raw = _policy_raw(CH)
    raw["notice_counting"] = {"publication_day_counts": True, "cite": "第十九条"}
    policy = parse_policy(raw, file="<test>")
    result = notice_for(policy, "final", D(2026, 9, 28))
    assert (result["first_counted_day"], result["end"]) == ("2026-09-28", "2026-10-08")
    assert (result["counting_source"], result["counting_zh"]) == (
        "regulation", "第十九条：发布之日计为第1日")


def test_configuration_cannot_change_a_counting_the_regulation_states() -> None:
    raw = _policy_raw(CH)
    raw["notice_counting"] = {"publication_day_counts": False, "cite": "第十九条"}
    config = {"policy": CH, "values": {"notice_counting.publication_day_counts":
                                       {"value": True, "cite": DECISION}}}
    with pytest.raises(PolicyFileError, match="the regulation states how notices are counted"):
        apply_configuration(raw, config, file="<config>")


@pytest.mark.parametrize(("counting", "message"), [
    ({"publication_day_counts": True}, "cite"),
    ({"publication_day_counts": True, "cite": "区政府决定"}, "does not name an article"),
    ({"publication_day_counts": False, "cite": DECISION, "source": "configuration"},
     "configuration may only decide that the publication day is day 1"),
    ({"publication_day_counts": True, "calendar_days_extend_to_workday": False,
      "cite": DECISION, "source": "configuration"},
     "configuration may only decide that the publication day is day 1"),
])
def test_a_stated_counting_carries_its_cite(counting: dict[str, Any], message: str) -> None:
    raw = _policy_raw(CH)
    raw["notice_counting"] = counting
    with pytest.raises(PolicyFileError, match=message):
        parse_policy(raw, file="<test>")
