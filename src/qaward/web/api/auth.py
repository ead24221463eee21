"""API tokens: a signed value naming a user (and, for tokens made with ``qaward-manage token
create``, the row that can revoke it: qaward.web.tokens); see the package documentation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from ninja.security import HttpBearer, SessionAuth

from qaward.web.tokens.models import ApiToken
from qaward.web.tokens.services import TOKEN_SALT, password_fingerprint, signed_token

DEFAULT_TOKEN_MAX_AGE = 365 * 24 * 3600


def issue_token(user: Any) -> str:
    """A bearer token for ``user``, for integrations: ``Authorization: Bearer <token>``.

    Valid for ``settings.QAWARD_API_TOKEN_MAX_AGE`` seconds (default 365 days); revoked by
    deactivating the user or changing their password. The token grants exactly the user's
    roles, as the browser session would.
    """
    if not getattr(user, "pk", None):
        raise ValueError("a token can only be issued for a saved user")
    return signed_token(user)


def user_for_token(token: str) -> Any | None:
    """The active user a valid, unexpired token names, or None."""
    max_age = int(getattr(settings, "QAWARD_API_TOKEN_MAX_AGE", DEFAULT_TOKEN_MAX_AGE))
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict):
        return None
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or not constant_time_compare(str(data.get("p", "")),
                                                 password_fingerprint(user)):
        return None
    # A token issued with `qaward-manage token create` has a row: revoked, it stops working.
    if "t" in data and not ApiToken.objects.filter(pk=data["t"], user=user,
                                                    revoked_at__isnull=True).exists():
        return None
    return user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


AUTH = [TokenAuth(), SessionAuth()]

