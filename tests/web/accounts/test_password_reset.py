"""Password reset with Django's own views: the mail's link sets a new password, which the
default validators check."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db


def test_reset_by_following_the_link_in_the_mail() -> None:
    User.objects.create_user("org", email="org@example.com", password="old-Passw0rd-x")
    c = Client()
    assert "忘记密码" in c.get("/accounts/login/").content.decode()
    r = c.post("/accounts/password-reset/", {"email": "org@example.com"}, follow=True)
    assert "邮件已发送" in r.content.decode()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body)
    assert link is not None
    r = c.get(link.group(1), follow=True)
    form_url = r.redirect_chain[-1][0]
    # The default validators refuse a short, common or numeric password.
    r = c.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert r.status_code == 200
    assert not User.objects.get(username="org").check_password("12345678")
    r = c.post(form_url, {"new_password1": "Qiantang-river-2026", "new_password2":
                          "Qiantang-river-2026"}, follow=True)
    assert "密码已重设" in r.content.decode()
    assert User.objects.get(username="org").check_password("Qiantang-river-2026")
    # The link works once.
    assert "无效或已过期" in c.get(link.group(1), follow=True).content.decode()


def test_an_unknown_address_gets_no_mail_and_the_same_answer() -> None:
    r = Client().post("/accounts/password-reset/", {"email": "nobody@example.com"}, follow=True)
    assert "邮件已发送" in r.content.decode()
    assert mail.outbox == []
