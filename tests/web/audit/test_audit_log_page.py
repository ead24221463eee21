"""The audit log reads in words and filters by date, person and action."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.urls import reverse

import qaward.web as web
from qaward.web.audit.models import AuditEvent
from qaward.web.common.templatetags.qaward import ACTION_LABELS
from tests.web.office_world import World, client_for, into_eligibility

pytestmark = pytest.mark.django_db


def test_every_recorded_action_has_words() -> None:
    """Every ``action=`` a service records is named in words (the audit log, every history)."""
    recorded: set[str] = set()
    for path in Path(web.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for line in re.findall(r'action=("[a-z_]+"(?: if \w+ else "[a-z_]+")?)', text):
            recorded |= set(re.findall(r'"([a-z_]+)"', line))
    assert {"recommendation_decline", "eligibility_sign_off_refuse", "transition"} <= recorded
    assert sorted(recorded - set(ACTION_LABELS)) == []


def test_the_log_shows_actions_and_states_in_words(w: World) -> None:
    into_eligibility(w)
    page = client_for(w.auditor).get(reverse("awards:audit_log", args=[w.j.code]))
    text = page.content.decode()
    assert "签署推荐意见" in text and "已提交 → 推荐" in text
    assert "submitted → recommendation" not in text


def test_the_log_filters_by_person_action_and_date(w: World) -> None:
    into_eligibility(w)
    c = client_for(w.auditor)
    url = reverse("awards:audit_log", args=[w.j.code])
    by_dept = c.get(url, {"person": w.dept_user.pk}).context["page"]
    assert {e.action for e in by_dept} == {"recommendation_sign"}
    transitions = c.get(url, {"action": "transition"}).context["page"]
    assert len(transitions) == 3 and {e.action for e in transitions} == {"transition"}
    AuditEvent.objects.filter(action="cycle_open").update(
        at=dt.datetime(2020, 1, 5, 12, tzinfo=dt.UTC))
    old = c.get(url, {"date_from": "2020-01-01", "date_to": "2020-01-31"}).context["page"]
    assert [e.action for e in old] == ["cycle_open"]
    later = c.get(url, {"date_from": "2020-02-01"}).context["page"]
    assert "cycle_open" not in {e.action for e in later}
    bad = c.get(url, {"date_from": "2020-02-01", "date_to": "2020-01-01"})
    assert "date_to" in bad.context["form"].errors and list(bad.context["page"]) == []


def test_the_objection_history_reads_in_words() -> None:
    from qaward.web.common.templatetags.qaward import state_change

    class E:
        entity, from_state, to_state = "objection", "received", "investigating"

    assert state_change(E()) == "已受理 → 调查中"


def test_the_log_names_people_not_logins(w: World) -> None:
    w.dept_user.last_name, w.dept_user.first_name = "王", "丽华"
    w.dept_user.save()
    into_eligibility(w)
    page = client_for(w.auditor).get(reverse("awards:audit_log", args=[w.j.code]),
                                     {"person": w.dept_user.pk})
    assert "<td>王丽华</td>" in page.content.decode()
    assert (str(w.dept_user.pk), "王丽华") in page.context["form"].fields["person"].choices
