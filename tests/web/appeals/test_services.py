"""Appeals (申诉/复核) under 滨江 二、（四）4: the time limit from the notification, a decider
other than the one who decided, the application held meanwhile, both outcomes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from qaward.core.workdays import today_shanghai
from qaward.web.appeals.models import Appeal
from qaward.web.appeals.services import appeal_deadline_for, appeal_decide, appeal_file
from qaward.web.audit.models import AuditEvent
from qaward.web.common.errors import ServiceError
from qaward.web.cycles.services import application_transition, cycle_repin, facts_for
from qaward.web.policies.services import sync_policies
from tests.web.office_world import World, fresh, into_eligibility

pytestmark = pytest.mark.django_db

LIMIT_DAYS = 15


@pytest.fixture
def configured(w: World, tmp_path: Path, monkeypatch: Any) -> None:
    """滨江 sets no time limit (二、（四）4): the office configures 15 days. The running cycle
    pinned the content it was opened under, so the office head moves it to the configured one."""
    (tmp_path / "binjiang-2020.yaml").write_text(
        "policy: binjiang-2020\nvalues:\n  appeals.time_limit: {value: 15, unit: days, "
        "source: configuration, cite: 区评审办2024年第1次会议}\n", encoding="utf-8")
    monkeypatch.setenv("QAWARD_CONFIG_DIR", str(tmp_path))
    configured_version = next(pv for pv in sync_policies() if pv.policy_id == "binjiang-2020")
    cycle_repin(cycle=w.cycle, to_version=configured_version, actor=w.head,
                reason="评审办配置申诉时限")
    w.cycle.refresh_from_db()


def refused(w: World, target: str = "ineligible") -> Any:
    """The office head decides the application out at the eligibility review."""
    app = into_eligibility(w)
    return application_transition(application=app, target=target, actor=w.head,
                                  reason="注册地不在本区")


def notified(app: Any) -> dt.date:
    ev = AuditEvent.objects.filter(entity="application", entity_id=str(app.pk),
                                   to_state=app.state).latest("seq")
    return timezone.localdate(ev.at)


def test_a_time_limit_the_regulation_leaves_open_must_be_configured(w: World) -> None:
    app = refused(w)
    with pytest.raises(ServiceError) as err:
        appeal_file(application=app, actor=w.applicant_user, reason="我们已在本区注册")
    assert err.value.field == "appeals.time_limit"
    assert "appeals.time_limit" in str(err.value)
    assert appeal_deadline_for(app) is None
    assert not Appeal.objects.exists()


@pytest.mark.parametrize(("days_after", "in_time"), [
    (0, True), (LIMIT_DAYS - 1, True), (LIMIT_DAYS, True), (LIMIT_DAYS + 1, False),
    (LIMIT_DAYS + 30, False),
])
def test_time_limit_counts_from_the_notification(w: World, configured: None, days_after: int,
                                                 in_time: bool) -> None:
    app = refused(w)
    filed_on = notified(app) + dt.timedelta(days=days_after)
    if in_time:
        a = appeal_file(application=app, actor=w.applicant_user, reason="我们已在本区注册",
                        today=filed_on)
        assert a.deadline == notified(app) + dt.timedelta(days=LIMIT_DAYS)
        assert a.decided_originally_by == w.head
        assert a.refused_from == "eligibility"
        ev = AuditEvent.objects.filter(action="appeal_file").get()
        assert ev.article.startswith("二、（四）")
        assert "区评审办2024年第1次会议" in ev.article
    else:
        with pytest.raises(ServiceError) as err:
            appeal_file(application=app, actor=w.applicant_user, reason="我们已在本区注册",
                        today=filed_on)
        assert err.value.field == "filed_on"
        assert "已逾期" in str(err.value)
        assert not Appeal.objects.exists()


def test_the_portal_shows_the_deadline(w: World, configured: None) -> None:
    app = refused(w)
    assert appeal_deadline_for(app) == notified(app) + dt.timedelta(days=LIMIT_DAYS)


def test_a_reason_and_the_applicant_are_required(w: World, configured: None) -> None:
    app = refused(w)
    with pytest.raises(ServiceError) as err:
        appeal_file(application=app, actor=w.applicant_user, reason="  ")
    assert err.value.field == "reason"
    with pytest.raises(ServiceError) as err:
        appeal_file(application=app, actor=w.office, reason="代为申诉")
    assert err.value.field == "application"


def test_only_a_refusal_can_be_appealed(w: World, configured: None) -> None:
    app = into_eligibility(w)
    with pytest.raises(ServiceError) as err:
        appeal_file(application=app, actor=w.applicant_user, reason="理由")
    assert err.value.field == "state"


def test_one_appeal_per_decision(w: World, configured: None) -> None:
    app = refused(w)
    a = appeal_file(application=app, actor=w.applicant_user, reason="理由")
    appeal_decide(appeal=a, actor=w.reviewer, upheld=False, findings="注册地确在外区")
    with pytest.raises(ServiceError) as err:
        appeal_file(application=fresh(app), actor=w.applicant_user, reason="再次申诉")
    assert "重复" in str(err.value)


def test_the_application_is_held_while_the_appeal_is_open(w: World, configured: None) -> None:
    app = refused(w)
    a = appeal_file(application=app, actor=w.applicant_user, reason="理由")
    assert facts_for(fresh(app), today_shanghai()).open_appeal
    # Even withdrawal waits until the appeal is decided.
    with pytest.raises(ServiceError) as err:
        application_transition(application=fresh(app), target="withdrawn", actor=w.office)
    assert err.value.article == "二、（四）"
    assert fresh(app).state == "ineligible"
    appeal_decide(appeal=a, actor=w.reviewer, upheld=False, findings="注册地确在外区")
    assert not facts_for(fresh(app), today_shanghai()).open_appeal


def test_the_one_who_decided_may_not_decide_the_appeal(w: World, configured: None) -> None:
    app = refused(w)
    a = appeal_file(application=app, actor=w.applicant_user, reason="理由")
    with pytest.raises(ServiceError) as err:
        appeal_decide(appeal=a, actor=w.head, upheld=True, findings="成立")
    assert err.value.field == "decided_by"
    assert err.value.article == "二、（四）"
    # Nor may someone without the policy's deciding role (review team or office head).
    with pytest.raises(ServiceError):
        appeal_decide(appeal=a, actor=w.office, upheld=True, findings="成立")
    assert Appeal.objects.get().status == "open"


def test_the_database_refuses_the_original_decider(w: World, configured: None) -> None:
    app = refused(w)
    a = appeal_file(application=app, actor=w.applicant_user, reason="理由")
    with pytest.raises(IntegrityError), transaction.atomic():
        Appeal.objects.filter(pk=a.pk).update(status="upheld", decided_by=w.head,
                                              decided_at=timezone.now(), findings="成立")


def test_upheld_the_application_returns_to_the_stage_that_refused_it(
        w: World, configured: None) -> None:
    app = refused(w)
    a = appeal_file(application=app, actor=w.applicant_user, reason="我们已在本区注册")
    a = appeal_decide(appeal=a, actor=w.reviewer, upheld=True, findings="营业执照显示注册在本区")
    assert a.status == "upheld" and a.decided_by == w.reviewer
    app = fresh(app)
    assert app.state == "eligibility"
    moves = AuditEvent.objects.filter(entity_id=str(app.pk)).order_by("seq")
    last = list(moves)[-2:]
    assert [e.action for e in last] == ["appeal_decide", "transition"]
    assert last[1].from_state == "ineligible" and last[1].to_state == "eligibility"
    assert last[1].article == "二、（四）"
    # Back in review, it moves on as before.
    application_transition(application=app, target="material_review", actor=w.office)


def test_dismissed_the_application_stays_refused(w: World, configured: None) -> None:
    app = refused(w)
    a = appeal_file(application=app, actor=w.applicant_user, reason="理由")
    a = appeal_decide(appeal=a, actor=w.reviewer, upheld=False, findings="注册地确在外区")
    assert a.status == "dismissed"
    assert fresh(app).state == "ineligible"
    ev = AuditEvent.objects.filter(action="appeal_decide").get()
    assert ev.reason == "注册地确在外区" and ev.data["upheld"] is False


def test_a_findings_text_is_required(w: World, configured: None) -> None:
    app = refused(w)
    a = appeal_file(application=app, actor=w.applicant_user, reason="理由")
    with pytest.raises(ServiceError) as err:
        appeal_decide(appeal=a, actor=w.reviewer, upheld=False, findings="")
    assert err.value.field == "findings"
