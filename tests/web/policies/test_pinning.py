"""A cycle keeps the exact policy content it was opened under. The policy file is a copy of
binjiang-2020 in a temporary QAWARD_POLICY_DIRS folder; editing it in place (the final
notice's length, 四、（七）, from 7 to 10 days) and re-syncing registers a new version, which
the office sees on the cycle page and only the office head can move the cycle to."""

from __future__ import annotations

import datetime as dt
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.urls import reverse
from django.utils import translation

from qaward.core.notices import notice_for
from qaward.core.policy.inspect import policy_digest
from qaward.core.policy.loader import load_policy_file
from qaward.web.audit.models import AuditEvent
from qaward.web.common.errors import ServiceError
from qaward.web.cycles.models import Cycle
from qaward.web.cycles.services import cycle_repin
from qaward.web.policies.models import PolicyVersion
from qaward.web.policies.services import current_version, policy_of, sync_policies
from tests.web.office_world import World, build_world, client_for, fresh, submit

pytestmark = pytest.mark.django_db

PID = "binjiang-2020"
KEY = "notices.final.length.value"
START = dt.date(2026, 9, 28)


@pytest.fixture
def policy_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bundled = Path(str(resources.files("qaward") / "data" / "policies" / PID))
    shutil.copytree(bundled, tmp_path / "policies" / PID)
    monkeypatch.setenv("QAWARD_POLICY_DIRS", str(tmp_path / "policies"))
    monkeypatch.delenv("QAWARD_CONFIG_DIR", raising=False)
    return tmp_path / "policies" / PID / "policy.yaml"


@pytest.fixture
def w(policy_file: Path) -> Any:
    # Service refusals are read in Chinese, whatever a test client switched to before.
    with translation.override("zh-hans"):
        yield build_world()


def set_final_notice_days(path: Path, days: int) -> None:
    """Edit the file in place, keeping its formatting and comments."""
    text = path.read_text(encoding="utf-8")
    old = "length: {value: 7, unit: days, minimum: false}"
    assert text.count(old) == 1
    path.write_text(text.replace(old, f"length: {{value: {days}, unit: days, minimum: false}}"),
                    encoding="utf-8")


def final_notice_rule(cycle: Cycle) -> Any:
    return notice_for(policy_of(fresh_cycle(cycle)), "final", START)["rule"]


def fresh_cycle(cycle: Cycle) -> Cycle:
    return Cycle.objects.select_related("policy", "jurisdiction").get(pk=cycle.pk)


def test_an_edited_file_registers_a_new_version_and_never_changes_the_old(
        w: World, policy_file: Path) -> None:
    old = w.cycle.policy
    old_text = old.policy_text
    assert old.digest == policy_digest(policy_file) and old.current
    set_final_notice_days(policy_file, 10)
    sync_policies()
    versions = list(PolicyVersion.objects.filter(policy_id=PID).order_by("pk"))
    assert len(versions) == 2
    kept, new = versions
    assert kept.pk == old.pk
    assert (kept.policy_text, kept.digest, kept.current) == (old_text, old.digest, False)
    assert new.current and new.digest == policy_digest(policy_file) != old.digest
    assert "value: 10, unit: days" in new.policy_text
    event = AuditEvent.objects.get(action="policy_registered", entity_id=str(new.pk))
    assert event.data["digest"] == new.digest
    assert event.data["previous_digest"] == old.digest
    assert event.data["changed_keys"] == [KEY]
    assert current_version(PID) == new


def test_syncing_an_unchanged_file_registers_nothing(w: World) -> None:
    before = AuditEvent.objects.filter(action__startswith="policy_").count()
    sync_policies()
    assert PolicyVersion.objects.filter(policy_id=PID).count() == 1
    assert AuditEvent.objects.filter(action__startswith="policy_").count() == before


def test_reformatting_the_file_keeps_the_version(w: World, policy_file: Path) -> None:
    data = yaml.safe_load(policy_file.read_text(encoding="utf-8"))
    policy_file.write_text(yaml.safe_dump(data, allow_unicode=True, indent=4, width=60),
                           encoding="utf-8")  # comments and layout gone, values kept
    sync_policies()
    assert PolicyVersion.objects.filter(policy_id=PID).count() == 1


def test_the_running_cycle_keeps_the_pinned_value(w: World, policy_file: Path) -> None:
    assert final_notice_rule(w.cycle) == "7天"
    set_final_notice_days(policy_file, 10)
    sync_policies()
    assert load_policy_file(policy_file).notices.final.length.value == 10  # type: ignore[union-attr]
    assert final_notice_rule(w.cycle) == "7天"
    app = submit(w)  # judged under the content the cycle pinned
    assert fresh(app).pinned_version_id == w.cycle.policy_id


def test_the_cycle_page_lists_the_changed_values(w: World, policy_file: Path) -> None:
    url = reverse("awards:cycle_detail", args=[w.cycle.pk])
    page = client_for(w.office).get(url).content.decode()
    assert "管理办法文件已变更" not in page
    set_final_notice_days(policy_file, 10)
    sync_policies()
    page = client_for(w.office).get(url).content.decode()
    assert "自本周期开启以来，管理办法文件已变更" in page
    assert (f'<tr><td><code>{KEY}</code></td><td>7</td><td>10</td>'
            '<td class="cite">四、（七）</td></tr>') in page
    assert reverse("awards:cycle_repin", args=[w.cycle.pk]) not in page  # office: no button
    assert "由评审办负责人决定" in page
    head_page = client_for(w.head).get(url).content.decode()
    assert reverse("awards:cycle_repin", args=[w.cycle.pk]) in head_page


def test_the_notice_is_in_english_after_the_switch(w: World, policy_file: Path) -> None:
    set_final_notice_days(policy_file, 10)
    sync_policies()
    c = client_for(w.head)
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = c.get(reverse("awards:cycle_detail", args=[w.cycle.pk])).content.decode()
    assert "The policy file has changed since this cycle was opened" in page
    assert "Value in the file now" in page


def test_an_office_member_cannot_repin(w: World, policy_file: Path) -> None:
    set_final_notice_days(policy_file, 10)
    sync_policies()
    new = current_version(PID)
    assert new is not None
    with pytest.raises(ServiceError, match="评审办负责人") as info:
        cycle_repin(cycle=w.cycle, to_version=new, actor=w.office, reason="按新文件执行")
    assert info.value.field == "reason"
    url = reverse("awards:cycle_repin", args=[w.cycle.pk])
    c = client_for(w.office)
    assert c.get(url).status_code == 403
    assert c.post(url, {"from_version": w.cycle.policy_id, "to_version": new.pk,
                        "reason": "x", "confirm": "on"}).status_code == 403
    assert fresh_cycle(w.cycle).policy_id == w.cycle.policy_id
    assert not AuditEvent.objects.filter(action="cycle_repin").exists()


def test_the_head_must_give_a_reason(w: World, policy_file: Path) -> None:
    set_final_notice_days(policy_file, 10)
    sync_policies()
    new = current_version(PID)
    assert new is not None
    with pytest.raises(ServiceError, match="须写明理由") as info:
        cycle_repin(cycle=w.cycle, to_version=new, actor=w.head, reason="  ")
    assert info.value.field == "reason"
    assert fresh_cycle(w.cycle).policy_id == w.cycle.policy_id


def test_the_head_repins_with_a_reason_and_the_new_value_applies(
        w: World, policy_file: Path) -> None:
    old = w.cycle.policy
    set_final_notice_days(policy_file, 10)
    sync_policies()
    new = current_version(PID)
    assert new is not None
    submitted = submit(w)  # before the move: judged under the old content
    cycle_repin(cycle=w.cycle, to_version=new, actor=w.head,
                reason="区评审办决定按修订后的公示期执行", expected_from=old.pk)
    assert fresh_cycle(w.cycle).policy == new
    assert final_notice_rule(w.cycle) == "10天"
    event = AuditEvent.objects.get(action="cycle_repin", entity_id=str(w.cycle.pk))
    assert event.actor == w.head and event.reason == "区评审办决定按修订后的公示期执行"
    assert event.data == {"policy": PID, "from_digest": old.digest, "to_digest": new.digest,
                          "changed_keys": [KEY]}
    assert event.article == policy_of(fresh_cycle(w.cycle)).in_force.cite
    assert fresh(submitted).pinned_version_id == old.pk
    page = client_for(w.office).get(
        reverse("awards:cycle_detail", args=[w.cycle.pk])).content.decode()
    assert "管理办法文件已变更" not in page


def test_a_repin_confirmed_against_a_stale_version_is_refused(
        w: World, policy_file: Path) -> None:
    set_final_notice_days(policy_file, 10)
    sync_policies()
    new = current_version(PID)
    assert new is not None
    with pytest.raises(ServiceError, match="已被他人变更"):
        cycle_repin(cycle=w.cycle, to_version=new, actor=w.head, reason="r",
                    expected_from=new.pk)


def test_a_repin_to_another_policy_is_refused(w: World) -> None:
    other = PolicyVersion.objects.get(policy_id="changning-2023", current=True)
    with pytest.raises(ServiceError, match="同一管理办法"):
        cycle_repin(cycle=w.cycle, to_version=other, actor=w.head, reason="r")


def test_the_head_confirms_on_the_page(w: World, policy_file: Path) -> None:
    old = w.cycle.policy
    set_final_notice_days(policy_file, 10)
    sync_policies()
    new = current_version(PID)
    assert new is not None
    url = reverse("awards:cycle_repin", args=[w.cycle.pk])
    c = client_for(w.head)
    page = c.get(url).content.decode()
    assert f"<code>{KEY}</code>" in page and "确认变更" in page
    post = {"from_version": old.pk, "to_version": new.pk, "reason": "按修订后的办法执行"}
    refused = c.post(url, post)  # not confirmed: the form again, nothing moved
    assert refused.status_code == 200 and fresh_cycle(w.cycle).policy == old
    assert "confirm" in refused.context["form"].errors
    no_reason = c.post(url, {**post, "reason": "", "confirm": "on"})
    assert "reason" in no_reason.context["form"].errors
    r = c.post(url, {**post, "confirm": "on"})
    assert r.status_code == 302 and r["Location"] == reverse("awards:cycle_detail",
                                                           args=[w.cycle.pk])
    assert fresh_cycle(w.cycle).policy == new
    assert AuditEvent.objects.filter(action="cycle_repin").count() == 1
    again = c.post(url, {**post, "confirm": "on"})  # a second, stale confirmation
    assert "已被他人变更" in again.content.decode()
    assert AuditEvent.objects.filter(action="cycle_repin").count() == 1


def test_editing_the_file_back_makes_the_earlier_version_current(
        w: World, policy_file: Path) -> None:
    old = w.cycle.policy
    set_final_notice_days(policy_file, 10)
    sync_policies()
    text = policy_file.read_text(encoding="utf-8")
    policy_file.write_text(text.replace("value: 10, unit: days", "value: 7, unit: days"),
                           encoding="utf-8")
    sync_policies()
    assert PolicyVersion.objects.filter(policy_id=PID).count() == 2
    assert current_version(PID) == old
    assert AuditEvent.objects.filter(action="policy_current", entity_id=str(old.pk)).exists()
    page = client_for(w.office).get(
        reverse("awards:cycle_detail", args=[w.cycle.pk])).content.decode()
    assert "管理办法文件已变更" not in page


def test_a_new_cycle_opens_under_the_current_content(w: World, policy_file: Path) -> None:
    set_final_notice_days(policy_file, 10)
    sync_policies()
    from qaward.web.cycles.services import cycle_open

    today = w.cycle.opened_on
    nxt = cycle_open(jurisdiction=w.j, year=w.cycle.year + 1, title="下一周期",
                     opened_on=today.replace(year=today.year + 1),
                     applications_close_on=today.replace(year=today.year + 1)
                     + dt.timedelta(days=30),
                     actor=w.head, override_reason="测试")
    assert nxt.policy == current_version(PID)
    assert final_notice_rule(nxt) == "10天"


def test_the_sync_command_reports_a_changed_file_and_the_cycles_left_on_it(
        w: World, policy_file: Path) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("policy_sync", stdout=out)
    assert f"{PID}  {w.cycle.policy.digest[:12]}  unchanged" in out.getvalue()
    set_final_notice_days(policy_file, 10)
    out = StringIO()
    call_command("policy_sync", stdout=out)
    line = next(x for x in out.getvalue().splitlines() if x.startswith(PID))
    assert f"changed (was {w.cycle.policy.digest[:12]})" in line and w.cycle.title in line
