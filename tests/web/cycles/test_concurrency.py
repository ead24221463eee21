"""Two people moving the same application at once: one wins, the other is told, nothing is
half-written. Runs on SQLite and, in CI, on the real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection

from qaward.web.accounts.models import Jurisdiction, Membership, Role
from qaward.web.audit.models import AuditEvent
from qaward.web.audit.services import verify_chain
from qaward.web.common.errors import StaleVersion
from qaward.web.cycles.models import Applicant
from qaward.web.cycles.services import (
    application_create,
    application_submit,
    application_transition,
    cycle_open,
)
from qaward.web.policies.services import sync_policies

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="the shared-cache in-memory SQLite test database reports 'table is locked' "
        "instead of waiting; production SQLite is a file that waits (timeout 20 s). "
        "This test runs on PostgreSQL in CI.",
    ),
]


def submitted_application() -> tuple[object, User]:
    sync_policies()
    j = Jurisdiction.objects.get(code="hangzhou-binjiang")
    office = User.objects.create_user("office")
    Membership.objects.create(user=office, jurisdiction=j, role=Role.OFFICE)
    cycle = cycle_open(jurisdiction=j, year=2026, title="周期", opened_on=dt.date(2026, 3, 2),
                         applications_close_on=dt.date(2026, 4, 30), actor=office)
    org = Applicant.objects.create(jurisdiction=j, kind="organization", name="杭州示例有限公司",
                                   profile={"jurisdiction": "滨江区",
                                            "established_on": "2010-01-01"})
    app = application_create(cycle=cycle, applicant=org, track="organization", actor=office)
    app = application_submit(application=app, actor=office, expected_version=app.version,
                               report_chars=1000, today=dt.date(2026, 4, 1))
    return app, office


def test_of_two_concurrent_moves_with_the_same_version_exactly_one_wins() -> None:
    app, office = submitted_application()
    version = app.version
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def move(target: str) -> None:
        try:
            barrier.wait()
            application_transition(application=app, target=target, actor=office,
                                     expected_version=version, today=dt.date(2026, 4, 2))
            outcomes.append("ok")
        except StaleVersion:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(t,)) for t in ("recommendation", "returned")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["ok", "stale"]
    app.refresh_from_db()
    assert app.version == version + 1
    assert app.state in ("recommendation", "returned")
    moves = AuditEvent.objects.filter(entity="application", entity_id=str(app.pk),
                                      action="transition", from_state="submitted")
    assert moves.count() == 1
    assert verify_chain().ok
