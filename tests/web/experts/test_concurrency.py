"""Two conflict checks of one cycle at once (two office members clicking): the second waits
for the first and creates nothing twice. PostgreSQL only, like the other concurrency tests."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone

from qaward.web.audit.services import verify_chain
from qaward.web.cycles.models import Application
from qaward.web.experts import services
from qaward.web.experts.models import Conflict
from tests.web.office_world import build_world

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor == "sqlite",
                       reason="in-memory SQLite reports 'table is locked' instead of waiting; "
                       "runs on PostgreSQL"),
]


def test_two_concurrent_checks_create_each_conflict_once() -> None:
    w = build_world()
    Application.objects.filter(pk=w.app.pk).update(state="material_review",
                                                   submitted_at=timezone.now())
    for i in range(4):
        e = services.expert_create(jurisdiction=w.j, actor=w.office, name=f"专家{i}",
                                   employer_name="杭州示例科技有限公司")
        services.availability_set(expert=e, cycle=w.cycle, actor=w.office)
    barrier = threading.Barrier(2)
    created: list[int] = []
    errors: list[BaseException] = []

    def check() -> None:
        try:
            barrier.wait()
            created.append(services.detect_conflicts(w.cycle, w.office).created)
        except BaseException as err:  # reported by the assertion below
            errors.append(err)
        finally:
            connection.close()

    threads = [threading.Thread(target=check) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and sorted(created) == [0, 4]
    assert Conflict.objects.count() == 4
    assert verify_chain().ok
