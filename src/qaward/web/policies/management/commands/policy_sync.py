"""Register the policy files' contents (``sync_policies``): run it after installing or
editing a policy file. A file whose content changed becomes a new version; running cycles
keep the version they pinned until the office head moves them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from qaward.web.policies.models import PolicyVersion
from qaward.web.policies.services import sync_policies_report


class Command(BaseCommand):
    help = "Register every policy file's content; report new versions and the cycles they affect."

    def handle(self, *args: Any, **opts: Any) -> None:
        before = dict(PolicyVersion.objects.filter(current=True)
                      .values_list("policy_id", "digest"))
        report = sync_policies_report()
        for pv in report.versions:
            was = before.get(pv.policy_id)
            if was == pv.digest:
                status = "unchanged"
            elif was is None:
                status = "registered"
            else:
                pinned = (PolicyVersion.objects.filter(policy_id=pv.policy_id)
                          .exclude(pk=pv.pk).filter(cycles__isnull=False).distinct()
                          .values_list("cycles__title", flat=True))
                status = f"changed (was {was[:12]})"
                if pinned:
                    status += "; cycles still on an earlier version: " + ", ".join(pinned)
            self.stdout.write(f"{pv.policy_id}  {pv.digest[:12]}  {status}")
        # A broken policy folder does not stop the others: each is reported with its file
        # and every problem, and the command fails.
        for b in report.broken:
            self.stderr.write(f"BROKEN {b.policy_id}: {b.error}")
        if report.broken:
            raise CommandError(
                f"{len(report.broken)} policy folder(s) not registered: "
                + ", ".join(b.policy_id for b in report.broken))
