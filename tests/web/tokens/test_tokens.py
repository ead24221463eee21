"""API tokens from the command line: `token create` prints only the token, which works on the
API until `token revoke` (by value or id); `token list` never shows the secret; each write
is an audit event."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from qaward.web.api.auth import user_for_token
from qaward.web.audit.models import AuditEvent
from qaward.web.audit.services import verify_chain
from qaward.web.tokens.models import ApiToken

pytestmark = pytest.mark.django_db


def _token(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def alice() -> User:
    return User.objects.create_user("alice", password="pw-alice-2026")


def test_create_prints_only_the_token_which_names_the_user(alice: User) -> None:
    out, _ = _token("create", "--user", "alice", "--label", "ERP 对接")
    token = out.strip()
    assert out == token + "\n" and " " not in token  # one line, nothing else
    assert user_for_token(token) == alice
    row = ApiToken.objects.get()
    assert (row.user, row.label, row.revoked_at) == (alice, "ERP 对接", None)
    assert token not in str(row.__dict__)  # the secret is not stored
    event = AuditEvent.objects.get(action="token_create")
    assert event.entity_id == str(row.pk) and event.data["user"] == "alice"


def test_the_token_authenticates_on_the_api_until_revoked(alice: User) -> None:
    token = _token("create", "--user", "alice")[0].strip()
    client = Client()
    assert client.get("/api/cycles", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    _token("revoke", token)
    assert client.get("/api/cycles", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert user_for_token(token) is None


def test_revoke_by_id_and_twice(alice: User) -> None:
    first = _token("create", "--user", "alice")[0].strip()
    second = _token("create", "--user", "alice")[0].strip()
    row = ApiToken.objects.order_by("pk").first()
    assert row is not None
    _, err = _token("revoke", str(row.pk))
    assert f"#{row.pk}" in err
    assert user_for_token(first) is None
    assert user_for_token(second) == alice  # the other token still works
    with pytest.raises(CommandError, match="token"):
        _token("revoke", str(row.pk))
    assert AuditEvent.objects.filter(action="token_revoke").count() == 1
    assert verify_chain().ok


@pytest.mark.parametrize("args, field", [
    (("create", "--user", "nobody"), "user"),
    (("revoke", "not-a-token"), "token"),
    (("revoke", "999"), "token"),
])
def test_bad_input_is_a_clear_error(alice: User, args: tuple[str, ...], field: str) -> None:
    with pytest.raises(CommandError) as err:
        _token(*args)
    assert str(err.value).startswith(f"{field}: ")
    assert not AuditEvent.objects.exists()


def test_an_inactive_user_gets_no_token(alice: User) -> None:
    alice.is_active = False
    alice.save()
    with pytest.raises(CommandError, match="user"):
        _token("create", "--user", "alice")


def test_list_shows_no_secret_and_filters_by_user(alice: User, settings: Any) -> None:
    User.objects.create_user("bob")
    secrets = [_token("create", "--user", u, "--label", f"{u}-job")[0].strip()
               for u in ("alice", "bob")]
    _token("revoke", secrets[1])
    out, _ = _token("list")
    assert "alice-job" in out and "bob-job" in out and "revoked" in out and "active" in out
    assert not any(s in out for s in secrets)
    out, _ = _token("list", "--user", "alice")
    assert "alice-job" in out and "bob" not in out


def test_a_password_change_still_revokes_a_listed_token(alice: User) -> None:
    token = _token("create", "--user", "alice")[0].strip()
    alice.set_password("new-password-2026")
    alice.save()
    assert user_for_token(token) is None
