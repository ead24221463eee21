"""API tokens issued to a user for integrations (``qaward-manage token create``): the row
records who holds the token, its label, when it was made and revoked; the secret itself is
never stored, only its SHA-256 (to revoke a token given by its value)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    label = models.CharField(_("用途"), max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sha256"], name="apitoken_sha256")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.user} {self.label}".strip()
