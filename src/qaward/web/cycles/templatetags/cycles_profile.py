"""The list fields of a profile in the reader's words, for the office's and the portal's
pages (``{% load cycles_profile %}``)."""

from __future__ import annotations

from typing import Any

from django import template

from qaward.web.cycles.profile_changes import LIST_KEYS, field_words, row_words

register = template.Library()


def profile_lists(profile: Any) -> list[tuple[str, list[str]]]:
    """(field name, its rows in words) of each non-empty list field but the annual results
    (shown as their own table)."""
    if not isinstance(profile, dict):
        return []
    names = field_words()
    return [(names[key], [row_words(key, r) for r in profile[key]])
            for key in LIST_KEYS if key != "annual_results" and profile.get(key)]


register.filter("profile_lists", profile_lists)


def revoked_award(row: Any) -> str:
    """A revoked award as declared in the profile: "2019 区级 … 2020-06-01 被撤销（弄虚作假）"."""
    return row_words("awards", row)


register.filter("revoked_award", revoked_award)
