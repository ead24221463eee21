"""Regulations as versioned, cited data."""

from qaward.core.policy.loader import (
    list_policies,
    load_all,
    load_policy,
    load_policy_file,
    require,
)
from qaward.core.policy.model import Cited, Policy, Silent

__all__ = [
    "Cited",
    "Policy",
    "Silent",
    "list_policies",
    "load_all",
    "load_policy",
    "load_policy_file",
    "require",
]
