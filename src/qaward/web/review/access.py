"""Who of the reviewers may see an application, and the record of what they saw.

A reviewer sees an application only as an active member of its team for a stage, only while
the application is in that stage, and only after signing the cycle's pledge (保密承诺、回避承诺).
A member who recuses or is replaced is inactive and loses access at once. Every view and
download is recorded (``ReviewerAccess``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from qaward.web.clock import now
from qaward.web.cycles.models import Application
from qaward.web.experts.models import Conflict, ExpertCycle

from .models import ReviewerAccess, TeamMember


def active_member(user: Any, application: Application, stage: str | None = None
                  ) -> TeamMember | None:
    """The user's active membership of a team reviewing ``application`` in ``stage`` (by
    default the stage the application is in now), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    stage = stage or application.state
    return (TeamMember.objects.select_related("team", "expert")
            .filter(expert__user=user, active=True, team__application=application,
                    team__stage=stage).first())


def pledge_signed(user: Any, application: Application) -> bool:
    return ExpertCycle.objects.filter(expert__user=user, cycle_id=application.cycle_id,
                                      pledge_signed_at__isnull=False).exists()


def member_for(user: Any, application: Application, stage: str | None = None,
               *, what: str = "") -> TeamMember:
    """The user's active team membership for the application's current (or given) stage, after
    checking the pledge; records the access as ``what``. Refuses with PermissionDenied."""
    member = active_member(user, application, stage)
    if member is None:
        raise PermissionDenied(_("您不是该申报评审组的成员，或该申报不在您评审的阶段"))
    if not pledge_signed(user, application):
        raise PermissionDenied(_("请先签署本届评审的保密和回避承诺"))
    # A conflict raised after the team was formed (pending or confirmed) shuts the door at
    # once, even before the recusal is recorded (review.teams.recuse_conflicted).
    if Conflict.objects.filter(application=application, expert_id=member.expert_id,
                               status__in=(Conflict.Status.PENDING,
                                           Conflict.Status.CONFIRMED)).exists():
        raise PermissionDenied(_("您与该申报存在待确认或已确认的利益冲突，须回避"))
    if what:
        record_access(user, application, member.team.stage, what)
    return member


def record_access(user: Any, application: Application, stage: str, what: str) -> None:
    ReviewerAccess.objects.create(user=user, application=application, stage=stage,
                                  what=what[:200], at=now())
