"""``qaward-manage experts_import FILE --jurisdiction ID --as USER`` imports an expert pool
(xlsx, the columns of ``qaward.web.experts.xlsx.COLUMNS``) into the jurisdiction's pool, as the
office user given (the import is audited in their name). Each bad row is printed with its row
number, column and what to do; the other rows are imported. Exit status 1 when any row failed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from qaward.web.accounts.models import Jurisdiction, Membership, Role
from qaward.web.common.errors import ServiceError
from qaward.web.experts.xlsx import import_pool


class Command(BaseCommand):
    help = "Import an expert pool (xlsx) into a jurisdiction's pool."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--jurisdiction", required=True,
                            help="the jurisdiction's id or code (e.g. hangzhou-binjiang)")
        parser.add_argument("--as", dest="username", default=None,
                            help="the office user in whose name the import is recorded "
                                 "(default: the jurisdiction's only office head)")

    def handle(self, *args: Any, **opts: Any) -> None:
        ident = str(opts["jurisdiction"])
        j = Jurisdiction.objects.filter(**({"pk": int(ident)} if ident.isdigit()
                                           else {"code": ident})).first()
        if j is None:
            raise CommandError(f"no jurisdiction {ident!r}")
        if opts["username"]:
            user = User.objects.filter(username=opts["username"]).first()
            if user is None:
                raise CommandError(f"no user {opts['username']!r}")
        else:
            heads = list(Membership.objects.filter(jurisdiction=j, role=Role.OFFICE_HEAD)
                         .select_related("user")[:2])
            if len(heads) != 1:
                raise CommandError("name the office user with --as USER")
            user = heads[0].user
        path: Path = opts["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            report = import_pool(j, path.read_bytes(), user)
        except ServiceError as err:
            raise CommandError(str(err)) from None
        for e in report.errors:
            self.stderr.write(str(e))
        self.stdout.write(f"created {report.created}, updated {report.updated}, "
                          f"unchanged {report.unchanged}, rows with errors "
                          f"{report.rows_failed}")
        if report.errors:
            raise SystemExit(1)
