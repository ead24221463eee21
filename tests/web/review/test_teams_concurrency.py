"""Two office members adding one expert to two teams at once, when the expert has room for
one more: the cycle lock makes the second wait and then see the first, so exactly one wins.
PostgreSQL only (the in-memory SQLite test database reports 'table is locked')."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from qaward.web.common.errors import ServiceError
from qaward.web.experts.models import ExpertCycle
from qaward.web.review import teams
from qaward.web.review.models import Team, TeamMember
from tests.web.office_world import build_world
from tests.web.review.test_teams import STAGE, expert, in_stage

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor == "sqlite",
                       reason="runs where two requests can wait for each other (PostgreSQL)"),
]


def test_an_expert_with_room_for_one_joins_only_one_of_two_teams_added_at_once() -> None:
    w = build_world()
    members = [expert(w, f"成员{i}", max_load=5) for i in range(3)]
    target = expert(w, "争用专家", max_load=1)
    made = []
    for name in ("甲公司", "乙公司"):
        t = Team.objects.create(cycle=w.cycle, application=in_stage(w, name), stage=STAGE)
        for i, e in enumerate(members):
            TeamMember.objects.create(team=t, expert=e, is_leader=i == 0)
        made.append(t)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def add(team: Team) -> None:
        try:
            barrier.wait()
            teams.member_add(team=team, expert=target, actor=w.office, reason="补充专家")
            outcomes.append("ok")
        except ServiceError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(t,)) for t in made]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    assert sorted(outcomes) == ["ok", "refused"]
    assert TeamMember.objects.filter(expert=target, active=True).count() == 1
    assert ExpertCycle.objects.get(expert=target).max_load == 1
