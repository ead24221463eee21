"""Reading roles. Memberships are created by the demo builder and the admin shell; the
permission predicates of the pages are in ``rules.py``."""

from __future__ import annotations

from typing import Any

from .models import Jurisdiction, Membership


def has_role(user: Any, jurisdiction: Jurisdiction, *roles: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, jurisdiction=jurisdiction,
                                     role__in=roles).exists()

