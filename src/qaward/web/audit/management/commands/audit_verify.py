"""Verify the hash chain of the audit log; exit 1 if it is broken."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

from qaward.web.audit.services import verify_chain


class Command(BaseCommand):
    help = "Check that no audit event was altered, inserted or removed."

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            report = verify_chain()
        except DatabaseError as err:
            raise CommandError(
                f"cannot read the audit log in the database {connection.settings_dict['NAME']} "
                f"({err}); set QAWARD_DATABASE_URL (or QAWARD_VAR_DIR) to the application's "
                "database, or create it with `qaward-manage migrate`") from None
        if not report.ok:
            where = f" at event #{report.first_bad_seq}" if report.first_bad_seq else ""
            raise CommandError(f"audit chain BROKEN{where}: {report.problem}")
        self.stdout.write(f"audit chain intact: {report.events} events")
