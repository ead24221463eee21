"""Errors the core raises for user-facing problems.

Every error says what is wrong, which rule or article is involved and what to do, so that
the CLI and the web layer can show it as it is, without a stack trace.
"""

from __future__ import annotations


class QawardError(Exception):
    """Base of every error a user can cause and fix."""


class PolicyFileError(QawardError):
    """A policy (or criteria, calendar) data file is malformed: names file, key and problem."""

    def __init__(self, file: str, problems: list[str]) -> None:
        self.file = file
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{file}: {len(problems)} problem(s)\n{lines}")


class ConfigurationRequired(QawardError):
    """The regulation is silent on a value the system needs: the office must configure it."""

    def __init__(self, policy_id: str, key: str, explanation: str) -> None:
        self.policy_id = policy_id
        self.key = key
        self.explanation = explanation
        super().__init__(
            f"{policy_id}: `{key}` is not set by the regulation ({explanation}). "
            f"Configure it in a configuration file for {policy_id} "
            f"(see docs/policy-guide.md, 'Configuring what a regulation leaves open')."
        )


class NoSuchRule(QawardError):
    """The regulation has no such rule (``{none: ...}``); configuration cannot add it."""

    def __init__(self, policy_id: str, key: str, explanation: str) -> None:
        self.policy_id = policy_id
        self.key = key
        self.explanation = explanation
        super().__init__(
            f"{policy_id}: the regulation has no rule `{key}` ({explanation}); it does not "
            "apply, and a configuration file cannot add it."
        )


class PolicyNotInForce(QawardError):
    """A date falls outside the period a regulation version is in force."""

    def __init__(self, policy_id: str, on: object, article: str, detail: str) -> None:
        self.policy_id = policy_id
        self.on = on
        self.article = article
        super().__init__(f"{policy_id} is not in force on {on}: {detail} ({article})")


class CalendarNotAvailable(QawardError):
    """A working-day computation touches a year whose official schedule is not loaded."""

    def __init__(self, year: int, detail: str = "") -> None:
        self.year = year
        extra = f" {detail}" if detail else ""
        super().__init__(
            f"the official working-day schedule for {year} is not loaded or not complete.{extra} "
            f"When the State Council publishes it, import it with `qaward calendar import FILE`."
        )


class UnknownPolicy(QawardError):
    def __init__(self, policy_id: str, known: list[str]) -> None:
        self.policy_id = policy_id
        super().__init__(f"no policy `{policy_id}`; known policies: {', '.join(known)}")


class ProfileError(QawardError):
    """One applicant record is malformed: names the record, the field and the problem."""

    def __init__(self, record: str, problems: list[str]) -> None:
        self.record = record
        self.problems = problems
        super().__init__(f"record {record}: " + "; ".join(problems))
