"""Build the demo: policies, users of every role, one cycle run through every stage."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from qaward.core.errors import QawardError
from qaward.core.policy import Policy, list_policies, load_policy
from qaward.web.common.errors import ServiceError
from qaward.web.cycles.models import Cycle
from qaward.web.demo.builder import (
    DEFAULT_YEAR,
    DemoError,
    build_demo,
    demo_configuration,
)


class Command(BaseCommand):
    help = "Create the demo data (idempotent: does nothing if the demo cycle exists)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--policy", default=os.environ.get("QAWARD_DEMO_POLICY"),
                            help="policy id, bundled or from QAWARD_POLICY_DIRS (default: "
                                 "QAWARD_DEMO_POLICY, else the first id in alphabetical order)")
        parser.add_argument("--year", type=int, default=DEFAULT_YEAR)
        parser.add_argument("--applicants", "--count", dest="applicants", type=int, default=10,
                            help="number of generated applicants (at least 6)")

    def handle(self, *args: Any, **opts: Any) -> None:
        available = list_policies()
        pid = opts["policy"] or available[0]
        if pid not in available:
            raise CommandError(f"--policy: unknown policy `{pid}`; available: "
                               f"{', '.join(available)} (add folders with QAWARD_POLICY_DIRS)")
        if opts["applicants"] < 6:
            raise CommandError("--applicants: the demo needs at least 6 applicants to reach "
                               "the award and every exit")
        try:
            policy = self._configured(load_policy(pid))
        except QawardError as err:
            raise CommandError(f"--policy: {pid} cannot be loaded: {err}") from None
        call_command("migrate", verbosity=0, interactive=False)
        if Cycle.objects.filter(year=opts["year"], policy__policy_id=pid).exists():
            self.stdout.write("demo data already present")
            return
        try:
            result = build_demo(policy_id=policy.id, year=opts["year"], count=opts["applicants"])
        except (DemoError, ServiceError, QawardError) as err:
            raise CommandError(f"the demo cannot be built under {pid}: {err}") from None
        if os.environ.get("QAWARD_CONFIG_DIR"):
            self.stdout.write(f"configuration: {os.environ['QAWARD_CONFIG_DIR']}")
        self.stdout.write(f"demo cycle #{result.cycle_id} under {result.policy_id}:")
        for st, n in result.summary.items():
            self.stdout.write(f"  {st}: {n}")
        self.stdout.write("notices:")
        for line in result.notices:
            self.stdout.write(f"  {line}")
        if result.review:
            self.stdout.write("expert review:")
            for line in result.review:
                self.stdout.write(f"  {line}")
        self.stdout.write("demo logins (username / password):")
        for user, password, label in result.logins:
            self.stdout.write(f"  {user:<10} {password}   {label}")

    def _configured(self, policy: Policy) -> Policy:
        """Where the regulation is silent on a value the demo needs (a notice length), and no
        configuration folder is set, write the demo's assumptions as a configuration file
        under QAWARD_VAR_DIR/config and use it (docs/policy-guide.md §6)."""
        values = demo_configuration(policy)
        if not values or os.environ.get("QAWARD_CONFIG_DIR"):
            return policy
        folder = Path(settings.VAR_DIR) / "config"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{policy.id}.yaml").write_text(
            yaml.safe_dump({"policy": policy.id, "values": values}, allow_unicode=True),
            encoding="utf-8")
        os.environ["QAWARD_CONFIG_DIR"] = str(folder)
        return load_policy(policy.id)
