"""The regulation versions: registered from the policy files (``sync_policies``), looked up
for a cycle (``policy_of``: the content the cycle pinned) and for a date
(``policy_in_force``: the current content of the jurisdiction's policy files).

A version is one content of a policy file (with the office's configuration, if any),
identified by its digest (``qaward.core.policy.inspect.policy_digest``). Editing a file
registers a new version; a running cycle keeps the version it pinned until the office head
moves it (``qaward.web.cycles.services.cycle_repin``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from qaward.core.eligibility import check_in_force
from qaward.core.errors import ConfigurationRequired, PolicyFileError, PolicyNotInForce, QawardError
from qaward.core.policy import Policy, list_policies
from qaward.core.policy.inspect import DiffRow, changed_values, policy_digest
from qaward.core.policy.loader import BrokenPolicy, config_file, load_policy_text, policy_files
from qaward.web.accounts.models import Jurisdiction
from qaward.web.audit.services import record_event
from qaward.web.common.errors import ServiceError

from .models import PolicyVersion

logger = logging.getLogger(__name__)

# Loaded policies by (policy id, digest): a version's content never changes, so each is
# parsed and validated once per process, and a page pays one dictionary look-up.
_LOADED: dict[tuple[str, str], Policy] = {}
# The changed values between two versions, by (policy id, pinned digest, newest digest).
_CHANGES: dict[tuple[str, str, str], list[DiffRow]] = {}


def policy_of_version(pv: PolicyVersion) -> Policy:
    """The policy as the version stored it (strictly validated, cached by digest)."""
    key = (pv.policy_id, pv.digest)
    policy = _LOADED.get(key)
    if policy is None:
        policy = load_policy_text(pv.policy_text, config_text=pv.config_text,
                                  source=f"{pv.policy_id}@{pv.digest[:12]}",
                                  folder_name=pv.policy_id)
        _LOADED[key] = policy
    return policy


def policy_of(cycle: Any) -> Policy:
    """The policy the cycle pinned: its stored content, whatever the file on disk says now."""
    return policy_of_version(cycle.policy)


def current_version(policy_id: str) -> PolicyVersion | None:
    """The newest registered content of a policy id (what its file on disk had at the last
    ``sync_policies``)."""
    return PolicyVersion.objects.filter(policy_id=policy_id, current=True).first()


def pending_change(cycle: Any) -> tuple[PolicyVersion, list[DiffRow]] | None:
    """The current version of the cycle's policy and its changed values, when it is not the
    version the cycle pinned; else None."""
    pinned = cycle.policy
    cur = (PolicyVersion.objects.filter(policy_id=pinned.policy_id, current=True)
           .exclude(pk=pinned.pk).first())
    if cur is None:
        return None
    key = (pinned.policy_id, pinned.digest, cur.digest)
    rows = _CHANGES.get(key)
    if rows is None:
        rows = _CHANGES[key] = changed_values(policy_of_version(pinned), policy_of_version(cur))
    return cur, rows


@dataclass
class SyncReport:
    """What ``sync_policies_report`` registered, and the policy folders it could not load."""

    versions: list[PolicyVersion] = field(default_factory=list)
    broken: list[BrokenPolicy] = field(default_factory=list)


def sync_policies(actor: Any = "system") -> list[PolicyVersion]:
    """Register every loadable policy file (see ``sync_policies_report``); a broken folder
    is logged and skipped."""
    return sync_policies_report(actor).versions


def sync_policies_report(actor: Any = "system") -> SyncReport:
    """Register every policy file in the database (jurisdictions included).

    A folder whose file cannot be loaded is skipped and reported (``broken``, and a warning
    in the log naming its file and first problem): the other policies are registered, and
    its earlier versions, if any, stay as they were.

    A file whose content (digest) is new becomes a new version, the current one of its
    policy id, recorded as ``policy_registered``; an old version is never changed, only
    marked as no longer current. A file edited back to an earlier content makes that
    version current again (``policy_current``)."""
    report = SyncReport()
    out = report.versions
    files = policy_files()
    for pid in list_policies():
        path = files[pid]
        try:
            raw = path.read_bytes()
            cfg = config_file(pid)
            cfg_text = cfg.read_text(encoding="utf-8") if cfg else None
            text = raw.decode("utf-8")
            p = load_policy_text(text, config_text=cfg_text, source=str(path), folder_name=pid)
        except (QawardError, OSError, UnicodeDecodeError) as err:
            error = err if isinstance(err, QawardError) else PolicyFileError(
                str(path), [f"cannot read: {err}"])
            broken = BrokenPolicy(pid, path, error)
            report.broken.append(broken)
            logger.warning("policy %s not registered: %s: %s", pid, path, broken.first_problem)
            continue
        digest = policy_digest(p)
        with transaction.atomic():
            j, _created = Jurisdiction.objects.update_or_create(
                code=p.jurisdiction.id, defaults={"name_zh": p.jurisdiction.name_zh})
            versions = PolicyVersion.objects.select_for_update().filter(policy_id=pid)
            previous = next((v for v in versions if v.current), None)
            pv = next((v for v in versions if v.digest == digest), None)
            if pv is not None and pv.current:
                out.append(pv)
                continue
            if previous is not None:
                previous.current = False
                previous.save(update_fields=["current"])
            changed = ([r.key for r in changed_values(policy_of_version(previous), p)]
                       if previous is not None else [])
            data = {"policy": pid, "digest": digest,
                    "previous_digest": previous.digest if previous else None,
                    "changed_keys": changed}
            if pv is None:
                pv = PolicyVersion.objects.create(
                    policy_id=pid, jurisdiction=j, title_zh=p.title_zh,
                    in_force_from=p.in_force.first_day or p.in_force.from_not_later_than,
                    in_force_until=p.in_force.until,
                    content_sha256=hashlib.sha256(raw).hexdigest(), digest=digest,
                    policy_text=text, config_text=cfg_text, current=True)
                _LOADED.setdefault((pid, digest), p)
                action = "policy_registered"
            else:
                pv.current = True
                pv.save(update_fields=["current"])
                action = "policy_current"
            record_event(actor=actor, jurisdiction=j, entity="policy", entity_id=pv.pk,
                         action=action, article=p.in_force.cite, data=data)
        out.append(pv)
    return report


def policy_in_force(jurisdiction: Jurisdiction, on: dt.date) -> tuple[PolicyVersion, Policy]:
    """The jurisdiction's policy version in force on ``on`` (the current content of each of
    its policy files); refusals cite the article."""

    refusals: list[str] = []
    for pv in jurisdiction.policies.filter(current=True).order_by("-in_force_from"):
        p = policy_of_version(pv)
        try:
            check_in_force(p, on)
        except (PolicyNotInForce, ConfigurationRequired) as err:
            refusals.append(str(err))
            continue
        return pv, p
    raise ServiceError(
        _("%(date)s 没有有效的管理办法，不能开启评选周期：%(refusals)s")
        % {"date": on, "refusals": "; ".join(refusals)}
        if refusals
        else _("%(jurisdiction)s 没有登记任何管理办法") % {"jurisdiction": jurisdiction})

