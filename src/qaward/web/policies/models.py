"""The regulation versions known to the installation; the rules themselves live in the
policy files (``qaward/data/policies``) and are loaded by ``qaward.core.policy``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from qaward.web.accounts.models import Jurisdiction


class PolicyVersion(models.Model):
    """A regulation version known to the installation (the data lives in policy files)."""

    policy_id = models.CharField(_("办法版本"), max_length=64, unique=True)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT,
                                     related_name="policies")
    title_zh = models.CharField(_("办法名称"), max_length=200)
    in_force_from = models.DateField(null=True, blank=True)
    in_force_until = models.DateField(null=True, blank=True)
    content_sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.title_zh}（{self.policy_id}）"

