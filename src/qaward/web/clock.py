"""The office's "today": the date in Asia/Shanghai, or QAWARD_TODAY when a demo or a browser
test runs a cycle on fixed dates."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from qaward.core.workdays import today_shanghai


def today() -> dt.date:
    fixed = getattr(settings, "QAWARD_TODAY", None)
    return dt.date.fromisoformat(fixed) if fixed else today_shanghai()
