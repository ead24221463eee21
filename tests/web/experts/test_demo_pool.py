"""The demo's pool: built for a cycle in review, the expected conflicts found and decided,
the clean experts (a past employer outside the window, the same sector alone) never flagged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qaward.core.policy import load_policy
from qaward.web.accounts.models import Jurisdiction, Role
from qaward.web.cycles.models import Applicant, Application
from qaward.web.cycles.services import application_create, cycle_open
from qaward.web.demo import review_pool
from qaward.web.experts.models import Conflict, ExpertCycle
from tests.web.office_world import CLOSES, OPENS, World, build_world, user

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 15)


def in_review(cycle: object, office: object, j: object, n: int) -> list[Application]:
    apps = []
    for i in range(n):
        a = Applicant.objects.create(jurisdiction=j, kind="organization",
                                     name=f"演示第{i}科技股份有限公司",
                                     credit_code=f"91310000MA1000000{i}", sector="数字经济")
        apps.append(application_create(cycle=cycle, applicant=a, track="organization",
                                       actor=office))
    Application.objects.filter(cycle=cycle).update(state="material_review",
                                                   submitted_at=timezone.now())
    return apps


POLICIES = ["binjiang-2020", "changning-2023", "chongming-2022", "hongkou-2021", "chanhe-2021"]


@pytest.mark.parametrize("pid", POLICIES)
def test_demo_pool(pid: str) -> None:
    w: World = build_world()
    policy = load_policy(pid)
    j = Jurisdiction.objects.get(code=policy.jurisdiction.id)
    if j == w.j:
        cycle, office = w.cycle, w.office
    else:
        office = user(f"office-{pid}", j, Role.OFFICE)
        cycle = cycle_open(jurisdiction=j, year=2026, title="2026年度演示", opened_on=OPENS,
                           applications_close_on=CLOSES, actor=office)
    head = user(f"head-{pid}", j, Role.OFFICE_HEAD)
    where = "changning" if "mentor_of_applicant" in policy.reviewers.recusal_relations() \
        else "other"
    in_review(cycle, office, j, 7)
    out = review_pool.run(cycle, office=office, day=DAY, head=head)
    assert len(out.experts) == 12 and not out.skipped
    flagged = set(Conflict.objects.filter(cycle=cycle, origin="detected")
                  .values_list("expert_id", flat=True))
    e = out.experts
    assert {e[0].pk, e[1].pk, e[2].pk, e[4].pk, e[5].pk, e[7].pk} <= flagged
    assert e[3].pk not in flagged and e[6].pk not in flagged
    assert out.detected == len(flagged) and out.dismissed == 1 and out.declared == 1
    assert not Conflict.objects.filter(cycle=cycle, status="pending").exists()
    assert ExpertCycle.objects.filter(cycle=cycle, pledge_signed_at__isnull=False).count() == 11
    mentor = Conflict.objects.get(cycle=cycle, expert=e[5])
    assert out.sanctioned == 1
    e[10].refresh_from_db()
    assert e[10].status == "warned"
    assert mentor.relation == ("mentor_of_applicant" if where == "changning" else "interest")
