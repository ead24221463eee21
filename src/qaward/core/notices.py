"""Notice windows (公示) of a policy, counted on the official working-day calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from qaward.core.errors import QawardError
from qaward.core.policy import Policy, require
from qaward.core.policy.model import NoticeLength, Silent
from qaward.core.workdays import NoticeCounting, load_default_calendar, notice_window


def notice_counting(policy: Policy) -> NoticeCounting:
    """How the policy's notices are counted: as its regulation states (with the article), as
    the office configured (the publication day is day 1, with its decision), or by the law
    (民法典 第二百零一条、第二百零三条)."""
    stated = policy.notice_counting
    if stated is None:
        return NoticeCounting()
    return NoticeCounting(publication_day_counts=stated.publication_day_counts,
                          calendar_days_extend_to_workday=stated.calendar_days_extend_to_workday,
                          source=stated.source, cite=stated.cite)


def notice_for(policy: Policy, stage: str, start: dt.date) -> dict[str, Any]:
    """The minimum window of a policy's notice published on ``start``, with its article.

    ``start`` is the publication day, ``first_counted_day`` day 1 of the period and ``end`` its
    last day (ISO dates); ``period_zh``/``period_en`` print both in full; ``counting_zh``/
    ``counting_en`` give the basis of counting, ``counting_source`` whether it is the law, the
    regulation or the office's configuration."""
    notice = policy.notice(stage)
    if not notice.required:
        raise QawardError(
            f"{policy.id} requires no `{stage}` notice ({notice.cite}): nothing to count"
        )
    length = notice.length
    if isinstance(length, Silent):
        require(policy, length, f"notices.{stage}.length")
    assert isinstance(length, NoticeLength)
    counting = notice_counting(policy)
    w = notice_window(load_default_calendar(), start, length.value, length.unit, counting)
    unit_zh = "个工作日" if length.unit == "working_days" else "天"
    rule = f"{'不少于' if length.minimum else ''}{length.value}{unit_zh}"
    article = notice.cite
    configured = policy.configured.get(f"notices.{stage}.length")
    if configured:
        article += f"; length configured: {configured}"
    period_zh, period_en = w.period()
    basis_zh, basis_en = counting.basis()
    return {"start": w.start.isoformat(), "first_counted_day": w.first_counted_day.isoformat(),
            "end": w.end.isoformat(), "rule": rule, "article": article,
            "period_zh": period_zh, "period_en": period_en,
            "counting_source": counting.source, "counting_cite": counting.cite,
            "counting_zh": basis_zh, "counting_en": basis_en}


def notice_title(policy: Policy, stage: str) -> tuple[str, str]:
    """The title (zh, en) of a policy's notice, in the regulation's words where it has them
    (``notices.<stage>.title_zh``); a notice a policy does not require has none."""
    notice = policy.notice(stage)
    if not notice.required or notice.title_zh is None or notice.title_en is None:
        raise QawardError(
            f"{policy.id} requires no `{stage}` notice ({notice.cite}): it has no title"
        )
    return notice.title_zh, notice.title_en
