"""Eligibility screening (资格审查) of applicant profiles against a policy."""

from qaward.core.eligibility.engine import (
    ExcludedTier,
    ManualItem,
    Reason,
    Screener,
    ScreeningResult,
    check_in_force,
    screen,
    screener,
)
from qaward.core.eligibility.profile import Profile, ProfileBatch, parse_profile, read_profiles

__all__ = [
    "ExcludedTier",
    "ManualItem",
    "Profile",
    "ProfileBatch",
    "Reason",
    "Screener",
    "ScreeningResult",
    "check_in_force",
    "parse_profile",
    "read_profiles",
    "screen",
    "screener",
]
