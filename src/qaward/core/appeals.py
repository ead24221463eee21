"""Appeals (申诉/复核) against an eligibility or shortlist decision, as the policy provides them.

Pure rules: which refused state a decision left an application in, whether the policy lets the
applicant appeal it, the last day to file (counted from the notification of the decision, on
the calendar where the unit is working days) and the article of each answer. The web layer
records appeals and moves the application; while an appeal is open the application is held
(``Facts.open_appeal``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from qaward.core.errors import ConfigurationRequired, QawardError
from qaward.core.policy.loader import require
from qaward.core.policy.model import Appeals, AppealTimeLimit, Policy, is_silent
from qaward.core.states import End, NoticeId, StageId
from qaward.core.workdays import load_default_calendar

# The refused state each appealable decision leaves an application in.
DECISION_OF_STATE: dict[str, str] = {
    End.INELIGIBLE.value: StageId.ELIGIBILITY.value,
    End.NOT_SHORTLISTED.value: NoticeId.SHORTLIST.value,
}


class AppealRefused(QawardError):
    def __init__(self, reason_zh: str, reason_en: str, article: str | None,
                 field: str = "application") -> None:
        self.reason_zh, self.reason_en, self.article, self.field = (
            reason_zh, reason_en, article, field)
        cite = f" ({article})" if article else ""
        super().__init__(f"{reason_en}{cite}")


@dataclass(frozen=True)
class Deadline:
    last_day: dt.date
    rule_zh: str
    rule_en: str
    article: str


def appeal_rules(policy: Policy, refused_state: str) -> Appeals:
    """The policy's appeal block for the decision that left an application in
    ``refused_state``, or AppealRefused naming why no appeal is possible."""
    decision = DECISION_OF_STATE.get(refused_state)
    if decision is None:
        raise AppealRefused("只有资格审查或入围结论可以申诉",
                            "only an eligibility or shortlist decision can be appealed", None,
                            field="state")
    appeals = policy.appeals
    if is_silent(appeals):  # the text does not settle whether there is an appeal
        raise ConfigurationRequired(policy.id, "appeals", appeals.silent)
    if not isinstance(appeals, Appeals):  # {none: ...}: the regulation provides no appeal
        raise AppealRefused(f"{policy.id} 未规定申诉程序，不能提出申诉",
                            f"{policy.id} provides no appeal", appeals.cite)
    if decision not in appeals.decisions:
        raise AppealRefused(f"{policy.id} 不允许对该结论提出申诉",
                            f"{policy.id} does not let this decision be appealed", appeals.cite)
    return appeals


def appeal_deadline(policy: Policy, refused_state: str, notified_on: dt.date) -> Deadline:
    """The last day to file an appeal against a decision notified on ``notified_on``.

    The day of notification does not count: N days means up to and including
    ``notified_on + N``. A time limit the regulation leaves open raises ConfigurationRequired.
    """
    appeals = appeal_rules(policy, refused_state)
    limit = require(policy, appeals.time_limit, "appeals.time_limit")
    assert isinstance(limit, AppealTimeLimit)
    if limit.unit == "working_days":
        last = load_default_calendar().add_workdays(notified_on, limit.value)
        zh, en = f"{limit.value}个工作日", f"{limit.value} working days"
    else:
        last = notified_on + dt.timedelta(days=limit.value)
        zh, en = f"{limit.value}天", f"{limit.value} days"
    article = limit.cite if limit.source == "regulation" else appeals.cite
    configured = policy.configured.get("appeals.time_limit")
    if configured:
        article += f"; time limit configured: {configured}"
    return Deadline(last, f"收到通知之日起{zh}内", f"within {en} of the notification", article)


def check_filing(policy: Policy, refused_state: str, notified_on: dt.date,
                 today: dt.date) -> Deadline:
    """The deadline when an appeal filed ``today`` is in time; AppealRefused otherwise."""
    d = appeal_deadline(policy, refused_state, notified_on)
    if today > d.last_day:
        raise AppealRefused(
            f"申诉期限为{d.rule_zh}（至{d.last_day}），已逾期",
            f"the time limit is {d.rule_en} (until {d.last_day}); it has passed", d.article,
            field="filed_on")
    return d
