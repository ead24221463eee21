"""``qaward-manage token create --user NAME [--label L]`` prints only the token (for scripts:
``TOKEN=$(qaward-manage token create --user office)``); ``token revoke TOKEN_OR_ID``;
``token list [--user NAME]`` lists tokens without their secret."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qaward.web.common.errors import ServiceError
from qaward.web.tokens.models import ApiToken
from qaward.web.tokens.services import token_create, token_revoke


class Command(BaseCommand):
    help = "Create, revoke and list API tokens (bearer tokens for /api/)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="issue a token; prints only the token")
        create.add_argument("--user", required=True, help="username of the token's holder")
        create.add_argument("--label", default="", help="what the token is for")
        revoke = sub.add_parser("revoke", help="revoke a token given by its value or id")
        revoke.add_argument("token", metavar="TOKEN_OR_ID")
        revoke.add_argument("--reason", default="")
        listing = sub.add_parser("list", help="list tokens (the secret is never shown)")
        listing.add_argument("--user", default=None)

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            if opts["action"] == "create":
                _, token = token_create(username=opts["user"], label=opts["label"])
                self.stdout.write(token)
            elif opts["action"] == "revoke":
                row = token_revoke(token_or_id=opts["token"], reason=opts["reason"])
                self.stderr.write(f"revoked token #{row.pk} of {row.user.username}")
            else:
                self._list(opts["user"])
        except ServiceError as err:
            field = f"{err.field}: " if getattr(err, "field", None) else ""
            raise CommandError(f"{field}{err}") from None

    def _list(self, username: str | None) -> None:
        rows = ApiToken.objects.select_related("user").order_by("pk")
        if username:
            rows = rows.filter(user__username=username)
        for r in rows:
            status = f"revoked {r.revoked_at:%Y-%m-%d}" if r.revoked_at else "active"
            self.stdout.write(f"{r.pk}\t{r.user.username}\t{r.created_at:%Y-%m-%d %H:%M}\t"
                              f"{status}\t{r.label}")
