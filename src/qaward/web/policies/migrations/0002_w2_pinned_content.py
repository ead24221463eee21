"""A policy version holds its content: one row per (policy id, digest).

Existing rows (one per policy id) are filled from the policy files as they are when the
migration runs: the best record of the content their cycles ran under."""

from pathlib import Path

import django.utils.timezone
from django.db import migrations, models


def fill_content(apps, schema_editor):  # type: ignore[no-untyped-def]
    from qaward.core.policy.inspect import policy_digest
    from qaward.core.policy.loader import config_file, load_policy_text, policy_files

    PolicyVersion = apps.get_model("policies", "PolicyVersion")
    files = policy_files()
    for pv in PolicyVersion.objects.all():
        path: Path | None = files.get(pv.policy_id)
        if path is None:  # no file any more: keep the row, its content is unknown
            pv.digest = pv.content_sha256
            pv.save(update_fields=["digest"])
            continue
        text = path.read_text(encoding="utf-8")
        cfg = config_file(pv.policy_id)
        cfg_text = cfg.read_text(encoding="utf-8") if cfg else None
        policy = load_policy_text(text, config_text=cfg_text, source=str(path),
                                  folder_name=pv.policy_id)
        pv.policy_text, pv.config_text, pv.digest = text, cfg_text, policy_digest(policy)
        pv.save(update_fields=["policy_text", "config_text", "digest"])


class Migration(migrations.Migration):

    dependencies = [
        ("policies", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="policyversion",
            name="policy_id",
            field=models.CharField(max_length=64, verbose_name="办法版本"),
        ),
        migrations.AddField(
            model_name="policyversion",
            name="digest",
            field=models.CharField(default="", max_length=64, verbose_name="内容摘要"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="policyversion",
            name="policy_text",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="policyversion",
            name="config_text",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="policyversion",
            name="registered_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="policyversion",
            name="current",
            field=models.BooleanField(default=True),
        ),
        migrations.RunPython(fill_content, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="policyversion",
            constraint=models.UniqueConstraint(fields=("policy_id", "digest"),
                                               name="policy_version_one_per_digest"),
        ),
        migrations.AddConstraint(
            model_name="policyversion",
            constraint=models.UniqueConstraint(condition=models.Q(("current", True)),
                                               fields=("policy_id",),
                                               name="policy_version_one_current"),
        ),
    ]
