"""The regulation versions known to the installation; the rules themselves live in the
policy files (``qaward/data/policies``) and are loaded by ``qaward.core.policy``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from qaward.web.accounts.models import Jurisdiction


class PolicyVersion(models.Model):
    """One content of a regulation version as it was registered: the policy file's text (and
    the office's configuration of what it leaves open, if any), identified by its digest
    (``qaward.core.policy.inspect.policy_digest``). A cycle pins one row; an edited file
    registers a new row and never changes an old one. ``current`` marks the row whose
    content the file on disk has now (one per policy id)."""

    policy_id = models.CharField(_("办法版本"), max_length=64)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT,
                                     related_name="policies")
    title_zh = models.CharField(_("办法名称"), max_length=200)
    in_force_from = models.DateField(null=True, blank=True)
    in_force_until = models.DateField(null=True, blank=True)
    # SHA-256 of the file's bytes when registered (formatting included).
    content_sha256 = models.CharField(max_length=64)
    # policy_digest of the loaded policy: formatting and comments do not change it.
    digest = models.CharField(_("内容摘要"), max_length=64)
    policy_text = models.TextField(blank=True)
    config_text = models.TextField(null=True, blank=True)
    registered_at = models.DateTimeField(auto_now_add=True)
    current = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["policy_id", "digest"],
                                    name="policy_version_one_per_digest"),
            models.UniqueConstraint(fields=["policy_id"], condition=models.Q(current=True),
                                    name="policy_version_one_current"),
        ]

    def __str__(self) -> str:
        return f"{self.title_zh}（{self.policy_id} · {self.digest[:12]}）"
