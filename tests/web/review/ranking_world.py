"""A cycle whose applications are in a scored stage, with teams, sheets and consensus rows
made directly with the ORM (the ranking tests do not walk the teams' and sheets' pages)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from qaward.core.criteria import load_criteria
from qaward.web.accounts.models import Jurisdiction, Membership, Role
from qaward.web.cycles.models import Applicant, Application, Cycle
from qaward.web.cycles.services import application_create, cycle_open
from qaward.web.experts.models import Expert
from qaward.web.policies.services import sync_policies
from qaward.web.review.models import ConsensusItem, Sheet, SheetItem, Team, TeamMember
from tests.web.office_world import AFTER_CLOSE, CLOSES, IN_WINDOW, OPENS, set_today

CRITERIA = "gbt19580-2012"
ITEMS = [i.id for i in load_criteria(CRITERIA).items]  # 23 items, 1000 points


@dataclass
class RankingWorld:
    j: Jurisdiction
    office: User
    head: User
    committee: User
    reviewer: User
    cycle: Cycle
    apps: list[Application]
    users: list[User]  # the applicant user of each application
    experts: list[Expert]


def configure(tmp_path: Path, monkeypatch: Any, policy_id: str, values: str) -> None:
    """The office's configuration file for ``policy_id`` (``values`` is its YAML body)."""
    (tmp_path / f"{policy_id}.yaml").write_text(
        f"policy: {policy_id}\nvalues:\n{values}", encoding="utf-8")
    monkeypatch.setenv("QAWARD_CONFIG_DIR", str(tmp_path))


def user(name: str, j: Jurisdiction, role: str, **extra: Any) -> User:
    u = User.objects.create_user(name)
    Membership.objects.create(user=u, jurisdiction=j, role=role, **extra)
    return u


def build(code: str, n: int, *, stage: str = "material_review", track: str = "organization",
          experts: int = 3) -> RankingWorld:
    """``n`` applications of the district ``code`` now in ``stage`` (no team yet)."""
    sync_policies()
    j = Jurisdiction.objects.get(code=code)
    office = user("office", j, Role.OFFICE)
    set_today(IN_WINDOW)
    cycle = cycle_open(jurisdiction=j, year=OPENS.year, title=f"{OPENS.year}年度质量奖",
                       opened_on=OPENS, applications_close_on=CLOSES, actor=office)
    apps, users = [], []
    for i in range(n):
        a = Applicant.objects.create(jurisdiction=j, kind="organization", name=f"申报单位{i:03d}",
                                     sector="电子信息", profile={})
        apps.append(application_create(cycle=cycle, applicant=a, track=track, actor=office))
        users.append(user(f"org{i}", j, Role.APPLICANT, applicant=a))
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(
        state=stage, submitted_at=timezone.now())
    set_today(AFTER_CLOSE)
    pool = [Expert.objects.create(jurisdiction=j, name=f"专家{k}") for k in range(experts)]
    return RankingWorld(j, office, user("head", j, Role.OFFICE_HEAD),
                        user("committee", j, Role.COMMITTEE), user("reviewer", j, Role.REVIEWER),
                        cycle, [Application.objects.get(pk=a.pk) for a in apps], users, pool)


def score(w: RankingWorld, app: Application, stage: str, percentages: list[int | dict[str, int]],
          *, consensus: int | None = None, submitted: bool = True) -> Team:
    """A team of ``len(percentages)`` experts for ``app`` in ``stage``; each expert's sheet
    gives every item the same percentage (total = 10 × percentage) or the items given."""
    team = Team.objects.create(cycle=w.cycle, application=app, stage=stage)
    at = timezone.now()
    items = []
    for k, pct in enumerate(percentages):
        m = TeamMember.objects.create(team=team, expert=w.experts[k], is_leader=k == 0)
        sheet = Sheet.objects.create(member=m, criteria_id=CRITERIA,
                                     submitted_at=at if submitted else None)
        by_item = pct if isinstance(pct, dict) else dict.fromkeys(ITEMS, pct)
        items += [SheetItem(sheet=sheet, item_id=i, percentage=p, strengths=f"优势{k}",
                            opportunities=f"改进{k}") for i, p in by_item.items()]
    SheetItem.objects.bulk_create(items)
    if consensus is not None:
        ConsensusItem.objects.bulk_create(
            ConsensusItem(team=team, item_id=i, percentage=consensus, recorded_by=w.office,
                          recorded_at=at) for i in ITEMS)
        team.consensus_at = at
        team.save(update_fields=["consensus_at"])
    return team


def score_many(w: RankingWorld, stage: str, totals: list[tuple[int, int, int]], *,
               start: int = 0) -> None:
    """Teams for the applications from ``start`` on in bulk, three sheets each giving every
    item the percentages of ``totals`` (for the larger tests)."""
    at = timezone.now()
    members: list[TeamMember] = []
    sheets: list[Sheet] = []
    items: list[SheetItem] = []
    teams = Team.objects.bulk_create(Team(cycle=w.cycle, application=a, stage=stage)
                                     for a in w.apps[start:start + len(totals)])
    for team in teams:
        for k in range(3):
            members.append(TeamMember(team=team, expert=w.experts[k], is_leader=k == 0))
    members = TeamMember.objects.bulk_create(members)
    for m in members:
        sheets.append(Sheet(member=m, criteria_id=CRITERIA, submitted_at=at))
    sheets = Sheet.objects.bulk_create(sheets)
    for n, sheet in enumerate(sheets):
        pct = totals[n // 3][n % 3]
        items += [SheetItem(sheet=sheet, item_id=i, percentage=pct) for i in ITEMS]
    SheetItem.objects.bulk_create(items, batch_size=5000)


NOTIFIED = AFTER_CLOSE
TODAY = AFTER_CLOSE + dt.timedelta(days=1)
