"""Notices (公示) of the five regulations: which are required, by which article, and the
window ``qaward calendar notice`` (``notice_for``) computes at boundary dates.

Counting follows docs/conventions.md ("Notice windows"): the publication day is day 1 when it
is a working day, otherwise counting starts on the next working day; "N个工作日" ends on the
Nth official working day (调休 weekends count, holidays do not); "N天" ends N−1 calendar days
after publication even inside a holiday. No policy overrides the default counting.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from qaward.cli import NOTICE_STAGES, notice_for
from qaward.core.errors import CalendarNotAvailable, ConfigurationRequired, QawardError
from qaward.core.notices import notice_title
from qaward.core.policy import load_policy
from qaward.core.policy.model import NoticeLength, Silent
from qaward.core.workdays import load_default_calendar, notice_window
from tests.core.policy.test_rule_matrix import ALL_IDS, BJ, CH, CM, CN, HK, article_text, squash

D = date


@pytest.fixture(autouse=True)
def _bundled_data_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Bundled policies and calendar only: no office configuration, no imported 2027 table."""
    monkeypatch.delenv("QAWARD_CONFIG_DIR", raising=False)
    monkeypatch.delenv("QAWARD_POLICY_DIRS", raising=False)
    monkeypatch.setenv("QAWARD_DATA_DIR", str(tmp_path / "no-user-data"))


def test_the_policies_count_notices_the_default_way() -> None:
    for policy_id in ALL_IDS:
        counting = load_policy(policy_id).notice_counting
        assert (counting.publication_day_counts, counting.calendar_days_extend_to_workday) == (
            True, False), policy_id


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
    # policy, stage, published, last day, rule, article, why
    (CN, "final", D(2026, 9, 28), D(2026, 10, 9), "不少于5个工作日", "第二十五条第二款",
     "counts 5 working days across the National Day holiday (Mon 09-28 to Fri 10-09)"),
    (CN, "eligibility", D(2026, 9, 28), D(2026, 10, 9), "不少于5个工作日", "第二十一条",
     "counts 5 working days across the National Day holiday"),
    (CN, "final", D(2026, 9, 30), D(2026, 10, 12), "不少于5个工作日", "第二十五条第二款",
     "counts the make-up working Saturday 10-10 inside the window"),
    (CM, "eligibility", D(2026, 6, 13), D(2026, 6, 22), "不少于5个工作日", "第二十一条",
     "published on a rest Saturday starts counting on Monday and skips Dragon Boat"),
    (CM, "eligibility", D(2026, 6, 15), D(2026, 6, 22), "不少于5个工作日", "第二十一条",
     "published on the Monday ends as when published on the Saturday before"),
    (CM, "internal", D(2026, 6, 13), D(2026, 6, 22), "不少于5个工作日", "第十九条",
     "published on a rest Saturday starts counting on Monday"),
    (CN, "final", D(2026, 9, 20), D(2026, 9, 24), "不少于5个工作日", "第二十五条第二款",
     "published on the make-up working Sunday 09-20 counts it as day 1"),
    (CN, "final", D(2026, 9, 13), D(2026, 9, 18), "不少于5个工作日", "第二十五条第二款",
     "published on an ordinary Sunday starts counting on Monday"),
    (CN, "final", D(2026, 10, 10), D(2026, 10, 15), "不少于5个工作日", "第二十五条第二款",
     "published on the make-up working Saturday 10-10 counts it as day 1"),
    (CM, "final", D(2026, 10, 10), D(2026, 10, 15), "不少于5个工作日", "第二十五条第二款",
     "published on the make-up working Saturday 10-10 counts it as day 1"),
    (CM, "final", D(2026, 12, 25), D(2026, 12, 31), "不少于5个工作日", "第二十五条第二款",
     "published on 12-25 is the last 5-working-day notice that ends in 2026"),
    (CH, "final", D(2026, 9, 28), D(2026, 10, 4), "7天", "第十九条",
     "of 7 days ends start + 6 days inside the National Day holiday"),
    (CH, "final", D(2026, 10, 1), D(2026, 10, 7), "7天", "第十九条",
     "of 7 days published on a holiday counts that day"),
    (CH, "final", D(2026, 12, 28), D(2027, 1, 3), "7天", "第十九条",
     "of 7 days runs into 2027 without needing its working-day table"),
    (BJ, "final", D(2026, 9, 28), D(2026, 10, 4), "7天", "四、（七）",
     "of 7 days ends start + 6 days inside the National Day holiday"),
    (BJ, "final", D(2026, 9, 30), D(2026, 10, 6), "7天", "四、（七）",
     "of 7 days ending on a holiday is not extended"),
    (HK, "final", D(2026, 9, 28), D(2026, 10, 4), "不少于7天", "第十九条",
     "of at least 7 days ends start + 6 days inside the National Day holiday"),
    (HK, "internal", D(2026, 9, 28), D(2026, 10, 4), "不少于7天", "第十九条",
     "runs with the final notice for at least 7 days"),
]


@pytest.mark.parametrize(
    ("policy_id", "stage", "published", "last_day", "rule", "article"),
    [pytest.param(*w[:6], id=f"{w[0]} {w[1]} notice {w[6]}") for w in WINDOWS],
)
def test_notice_window_at_boundary_dates(
    policy_id: str, stage: str, published: date, last_day: date, rule: str, article: str
) -> None:
    result = notice_for(load_policy(policy_id), stage, published)
    assert result == {"start": published.isoformat(), "end": last_day.isoformat(),
                      "rule": rule, "article": article}
    assert result["article"] == load_policy(policy_id).notice(stage).cite


def test_the_calendar_facts_the_boundary_cases_rely_on() -> None:
    cal = load_default_calendar()
    assert not cal.is_workday(D(2026, 6, 13)) and D(2026, 6, 13).weekday() == 5
    assert not cal.is_workday(D(2026, 6, 19))  # 端午
    assert cal.is_workday(D(2026, 9, 20)) and D(2026, 9, 20).weekday() == 6  # 调休 Sunday
    assert cal.is_workday(D(2026, 10, 10)) and D(2026, 10, 10).weekday() == 5  # 调休 Saturday
    assert not any(cal.is_workday(D(2026, 10, d)) for d in range(1, 8))  # 国庆
    assert D(2026, 9, 28).weekday() == 0


@pytest.mark.parametrize(("policy_id", "stage"), [(CM, "eligibility"), (CM, "internal")])
def test_a_notice_published_on_a_rest_day_starts_counting_on_the_next_working_day(
    policy_id: str, stage: str
) -> None:
    policy = load_policy(policy_id)
    saturday, monday = D(2026, 6, 13), D(2026, 6, 15)
    assert notice_for(policy, stage, saturday)["end"] == notice_for(policy, stage, monday)["end"]
    window = notice_window(load_default_calendar(), saturday, 5, "working_days")
    assert (window.first_counted_day, window.end) == (monday, D(2026, 6, 22))


@pytest.mark.parametrize("published", [
    pytest.param(D(2026, 9, 20), id="make-up working Sunday 2026-09-20"),
    pytest.param(D(2026, 10, 10), id="make-up working Saturday 2026-10-10"),
])
def test_a_working_weekend_publication_day_is_day_1(published: date) -> None:
    policy = load_policy(CN)
    window = notice_window(load_default_calendar(), published, 5, "working_days")
    assert window.first_counted_day == published
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
    assert result == {"start": "2026-09-28", "end": "2026-10-09", "rule": "不少于5个工作日",
                      "article": "第十五条; length configured: 区审定办通知（2026）3号"}
    with pytest.raises(ConfigurationRequired):  # the shortlist notice is still open
        notice_for(load_policy(HK), "shortlist", D(2026, 9, 28))


def test_notice_titles_in_the_regulations_words() -> None:
    assert notice_title(load_policy("changning-2023"), "final") == ("拟获奖名单",
                                                                   "Proposed winners")
    assert notice_title(load_policy("hongkou-2021"), "shortlist")[0] == "现场评审名单"
    with pytest.raises(QawardError, match="requires no `shortlist` notice"):
        notice_title(load_policy("chanhe-2021"), "shortlist")
