"""Notice windows (公示) of a policy, counted on the official working-day calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from qaward.core.errors import QawardError
from qaward.core.policy import Policy, require
from qaward.core.policy.model import NoticeLength, Silent
from qaward.core.workdays import NoticeCounting, load_default_calendar, notice_window


def notice_for(policy: Policy, stage: str, start: dt.date) -> dict[str, Any]:
    """The minimum window of a policy's notice published on ``start``, with its article."""
    notice = policy.notice(stage)
    if not notice.required:
        raise QawardError(
            f"{policy.id} requires no `{stage}` notice ({notice.cite}): nothing to count"
        )
    length = notice.length
    if isinstance(length, Silent):
        require(policy, length, f"notices.{stage}.length")
    assert isinstance(length, NoticeLength)
    counting = NoticeCounting(
        publication_day_counts=policy.notice_counting.publication_day_counts,
        calendar_days_extend_to_workday=policy.notice_counting.calendar_days_extend_to_workday,
    )
    w = notice_window(load_default_calendar(), start, length.value, length.unit, counting)
    unit_zh = "个工作日" if length.unit == "working_days" else "天"
    rule = f"{'不少于' if length.minimum else ''}{length.value}{unit_zh}"
    article = notice.cite
    configured = policy.configured.get(f"notices.{stage}.length")
    if configured:
        article += f"; length configured: {configured}"
    return {"start": w.start.isoformat(), "end": w.end.isoformat(), "rule": rule,
            "article": article}


def notice_title(policy: Policy, stage: str) -> tuple[str, str]:
    """The title (zh, en) of a policy's notice, in the regulation's words where it has them
    (``notices.<stage>.title_zh``); a notice a policy does not require has none."""
    notice = policy.notice(stage)
    if not notice.required or notice.title_zh is None or notice.title_en is None:
        raise QawardError(
            f"{policy.id} requires no `{stage}` notice ({notice.cite}): it has no title"
        )
    return notice.title_zh, notice.title_en
