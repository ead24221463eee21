"""The office's "today": the date in Asia/Shanghai, or QAWARD_TODAY when a demo or a browser
test runs a cycle on fixed dates, or the date a ``frozen`` block sets (the demo runs a whole
cycle step by step on the dates of its rules).

``now()`` is the instant recorded with a write (audit events, submission times): the real
time, or inside ``frozen(day)`` a time on that day (09:00 Asia/Shanghai, one second later for
each call, so events keep their order)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from qaward.core.workdays import today_shanghai

_SHANGHAI = ZoneInfo("Asia/Shanghai")
# One counter per frozen day, shared by the blocks that freeze it: events keep their order.
_TICKS: dict[dt.date, Iterator[int]] = {}
_frozen: ContextVar[tuple[dt.date, Iterator[int]] | None] = ContextVar("qaward_clock",
                                                                      default=None)


def today() -> dt.date:
    frozen = _frozen.get()
    if frozen is not None:
        return frozen[0]
    fixed = getattr(settings, "QAWARD_TODAY", None)
    return dt.date.fromisoformat(fixed) if fixed else today_shanghai()


def now() -> dt.datetime:
    frozen = _frozen.get()
    if frozen is None:
        return timezone.now()
    day, tick = frozen
    start = dt.datetime.combine(day, dt.time(9, 0), tzinfo=_SHANGHAI)
    # In UTC, as timezone.now(): the audit chain hashes the instant as it is read back.
    return (start + dt.timedelta(seconds=next(tick))).astimezone(dt.UTC)


@contextmanager
def frozen(day: dt.date) -> Iterator[None]:
    """Run the block as if the office's today were ``day`` (today() and now())."""
    token = _frozen.set((day, _TICKS.setdefault(day, itertools.count())))
    try:
        yield
    finally:
        _frozen.reset(token)
