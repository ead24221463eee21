"""API tokens: a signed value naming a user (no table); see the package documentation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac
from ninja.security import HttpBearer, SessionAuth

TOKEN_SALT = "qaward.api.token"


DEFAULT_TOKEN_MAX_AGE = 365 * 24 * 3600


def _password_fingerprint(user: Any) -> str:
    """Changes when the password changes, so a new password revokes the old tokens."""
    return salted_hmac(TOKEN_SALT, user.password or "").hexdigest()[:20]


def issue_token(user: Any) -> str:
    """A bearer token for ``user``, for integrations: ``Authorization: Bearer <token>``.

    Valid for ``settings.QAWARD_API_TOKEN_MAX_AGE`` seconds (default 365 days); revoked by
    deactivating the user or changing their password. The token grants exactly the user's
    roles, as the browser session would.
    """
    if not getattr(user, "pk", None):
        raise ValueError("a token can only be issued for a saved user")
    return signing.dumps({"u": user.pk, "p": _password_fingerprint(user)}, salt=TOKEN_SALT)


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
                                                 _password_fingerprint(user)):
        return None
    return user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


AUTH = [TokenAuth(), SessionAuth()]

