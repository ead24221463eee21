"""Build the demo: policies, users of every role, one cycle run through every stage built."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from qaward.web.cycles.models import Cycle
from qaward.web.demo.builder import build_demo


class Command(BaseCommand):
    help = "Create the demo data (idempotent: does nothing if the demo cycle exists)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--policy", default="binjiang-2020")
        parser.add_argument("--year", type=int, default=2026)
        parser.add_argument("--count", type=int, default=10)

    def handle(self, *args: Any, **opts: Any) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        if Cycle.objects.filter(year=opts["year"], policy__policy_id=opts["policy"]).exists():
            self.stdout.write("demo data already present")
            return
        result = build_demo(policy_id=opts["policy"], year=opts["year"], count=opts["count"])
        self.stdout.write(f"demo cycle #{result.cycle_id} under {opts['policy']}:")
        for st, n in sorted(result.summary.items()):
            self.stdout.write(f"  {st}: {n}")
        self.stdout.write("demo logins (username / password):")
        for user, password, label in result.logins:
            self.stdout.write(f"  {user:<10} {password}   {label}")
