"""The cycle page shows the office's checklist (issue 7): the duties of the stage the cycle is
at, with their articles, in the reader's language, and every stage's duties below."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from qaward.web.cycles.models import Cycle
from tests.web.office_world import World, build_world, client_for, into_eligibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.delenv("QAWARD_POLICY_DIRS", raising=False)
    monkeypatch.delenv("QAWARD_CONFIG_DIR", raising=False)
    return build_world()


def page(w: World, english: bool = False) -> str:
    client: Client = client_for(w.office)
    if english:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("awards:cycle_detail", args=[w.cycle.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('id="duties"'):html.index("</section>", html.index('id="duties"'))]


def current(section: str) -> str:
    return section[:section.index("<details>")]


def test_the_application_stage_shows_the_duties_of_every_stage(w: World) -> None:
    section = page(w)
    now = current(section)
    assert "当前阶段：申报" in now
    assert '申报及评审不收取任何费用 <small class="cite">一、（四）</small>' in now
    assert "评审员保守申报组织的相关秘密" in now
    assert "现场评审报告由受评组织确认" not in now  # a site-review duty
    # the full list, stage by stage
    assert "现场评审报告由受评组织确认" in section
    assert "获奖组织应当将奖金主要用于内部质量持续改进" in section


def test_the_checklist_follows_the_stage_and_is_english_for_an_english_reader(w: World) -> None:
    into_eligibility(w)
    section = page(w, english=True)
    now = current(section)
    assert "Current stage: Eligibility review" in now
    assert ('No fee is charged for applying or for the review '
            '<small class="cite">一、（四）</small>') in now
    assert "申报及评审不收取任何费用" not in section
    assert "Winners spend the prize money mainly on continuous quality improvement" in section


def test_a_closed_cycle_shows_the_duties_after_the_award(w: World) -> None:
    Cycle.objects.filter(pk=w.cycle.pk).update(status=Cycle.Status.CLOSED)
    now = current(page(w))
    assert "当前阶段：表彰之后" in now
    assert "违反的，由区评审办责令其限期改正" in now
    assert ('撤销称号由区评审办报区评委会，提请区政府批准 '
            '<small class="cite">七、（二）、七、（五）</small>') in now
