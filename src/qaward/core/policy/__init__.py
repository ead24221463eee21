"""Regulations as versioned, cited data."""

from qaward.core.policy.loader import (
    list_policies,
    load_all,
    load_policy,
    load_policy_file,
    require,
)
from qaward.core.policy.model import Cited, NoRule, Policy, Silent, given, is_none, is_silent

__all__ = [
    "Cited",
    "NoRule",
    "Policy",
    "Silent",
    "given",
    "is_none",
    "is_silent",
    "list_policies",
    "load_all",
    "load_policy",
    "load_policy_file",
    "require",
]
