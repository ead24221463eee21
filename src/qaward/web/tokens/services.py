"""Every write of API tokens: issuing one to a user and revoking it, each recorded in the
audit log. The token is a signed value (``django.core.signing``) naming the user and the
token's row; ``user_for_token`` (qaward.web.api.auth) refuses a revoked one."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from qaward.web.audit.services import record_event
from qaward.web.clock import now as clock_now
from qaward.web.common.errors import ServiceError

from .models import ApiToken

TOKEN_SALT = "qaward.api.token"


def password_fingerprint(user: Any) -> str:
    """Changes when the password changes, so a new password revokes the old tokens."""
    return salted_hmac(TOKEN_SALT, user.password or "").hexdigest()[:20]


def signed_token(user: Any, token_id: int | None = None) -> str:
    """The signed value naming ``user`` (and the token's row, when there is one)."""
    data: dict[str, Any] = {"u": user.pk, "p": password_fingerprint(user)}
    if token_id is not None:
        data["t"] = token_id
    return signing.dumps(data, salt=TOKEN_SALT)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(*, username: str, label: str = "", actor: Any = None) -> tuple[ApiToken, str]:
    """Issue a token to ``username``; returns the row and the token (shown once)."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ServiceError(_("没有名为“%(name)s”的有效用户：请检查用户名")
                           % {"name": username}, field="user")
    with transaction.atomic():
        row = ApiToken.objects.create(user=user, label=label.strip()[:100],
                                      created_at=clock_now())
        token = signed_token(user, row.pk)
        row.sha256 = token_digest(token)
        row.save(update_fields=["sha256"])
        record_event(actor=actor, jurisdiction=None, entity="api_token", entity_id=row.pk,
                     action="token_create", data={"user": user.username, "label": row.label})
    return row, token


def token_find(token_or_id: str) -> ApiToken:
    value = token_or_id.strip()
    row = (ApiToken.objects.filter(pk=int(value)).first() if value.isdigit()
           else ApiToken.objects.filter(sha256=token_digest(value)).first())
    if row is None:
        raise ServiceError(_("没有这个令牌：请给出令牌本身或 token list 列出的编号"),
                           field="token")
    return row


def token_revoke(*, token_or_id: str, actor: Any = None, reason: str = "") -> ApiToken:
    """Revoke a token given by its value or its id; it stops working at once."""
    row = token_find(token_or_id)
    with transaction.atomic():
        row = ApiToken.objects.select_for_update().select_related("user").get(pk=row.pk)
        if row.revoked_at is not None:
            raise ServiceError(_("该令牌已于%(at)s吊销")
                               % {"at": row.revoked_at.date().isoformat()}, field="token")
        row.revoked_at = clock_now()
        row.save(update_fields=["revoked_at"])
        record_event(actor=actor, jurisdiction=None, entity="api_token", entity_id=row.pk,
                     action="token_revoke", reason=reason,
                     data={"user": row.user.username, "label": row.label})
    return row
