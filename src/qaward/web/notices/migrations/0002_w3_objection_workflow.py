"""The objection workflow: receipt numbers, idempotent submission, not-accepted and duplicate
outcomes, and the removal decision an upheld objection waits for.

Objections received before it get a receipt number; an objection upheld before it had
already removed its application, so its removal is recorded as approved, by the
investigator (or the notice's publisher), with a note saying so."""

import secrets

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def fill_existing(apps, schema_editor):
    Objection = apps.get_model("notices", "Objection")
    for o in Objection.objects.select_related("notice").order_by("pk"):
        chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
        o.receipt_no = f"{o.submitted_at:%Y%m%d}-{chars[:4]}-{chars[4:]}"
        if o.status == "upheld":
            o.removal, o.removal_by = "approved", "office"
            o.removal_decided_by_id = o.investigator_id or o.notice.published_by_id
            o.removal_decided_at = o.decided_at
            o.removal_opinion = "异议成立后已直接退出评审（本功能上线前）。"
        o.save()


class Migration(migrations.Migration):

    dependencies = [
        ('cycles', '0001_initial'),
        ('notices', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='objection',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='objection',
            name='duplicate_of',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='duplicates', to='notices.objection'),
        ),
        migrations.AddField(
            model_name='objection',
            name='idempotency_key',
            field=models.CharField(blank=True, max_length=100, null=True),
        ),
        migrations.AddField(
            model_name='objection',
            name='not_accepted_reason',
            field=models.CharField(blank=True, choices=[('out_of_time', '超出公示期'), ('not_about_notice', '与本次公示无关'), ('no_evidence', '未提供必要的证明材料')], max_length=20),
        ),
        migrations.AddField(
            model_name='objection',
            name='receipt_no',
            field=models.CharField(max_length=32, null=True, verbose_name='受理编号'),
        ),
        migrations.AddField(
            model_name='objection',
            name='removal',
            field=models.CharField(blank=True, choices=[('', '无'), ('pending', '待决定退出评审'), ('approved', '已决定退出评审'), ('refused', '决定不退出评审')], default='', max_length=10),
        ),
        migrations.AddField(
            model_name='objection',
            name='removal_by',
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AddField(
            model_name='objection',
            name='removal_decided_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='objection',
            name='removal_decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='objection',
            name='removal_opinion',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='objection',
            name='removal_reference',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='objection',
            name='removal_resolution_on',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='objection',
            name='status',
            field=models.CharField(choices=[('received', '已受理'), ('investigating', '调查中'), ('upheld', '异议成立'), ('dismissed', '异议不成立'), ('not_accepted', '不予受理'), ('duplicate', '重复异议')], default='received', max_length=20),
        ),
        migrations.RunPython(fill_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='objection',
            name='receipt_no',
            field=models.CharField(max_length=32, unique=True, verbose_name='受理编号'),
        ),
        migrations.AddConstraint(
            model_name='objection',
            constraint=models.UniqueConstraint(fields=('notice', 'idempotency_key'), name='objection_one_per_idempotency_key'),
        ),
        migrations.AddConstraint(
            model_name='objection',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('not_accepted_reason__in', ['out_of_time', 'not_about_notice', 'no_evidence']), ('status', 'not_accepted')), models.Q(models.Q(('status', 'not_accepted'), _negated=True), ('not_accepted_reason', '')), _connector='OR'), name='objection_not_accepted_has_reason'),
        ),
        migrations.AddConstraint(
            model_name='objection',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('duplicate_of__isnull', False), ('status', 'duplicate')), models.Q(models.Q(('status', 'duplicate'), _negated=True), ('duplicate_of__isnull', True)), _connector='OR'), name='objection_duplicate_names_original'),
        ),
        migrations.AddConstraint(
            model_name='objection',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('removal__in', ['pending', 'approved', 'refused']), ('status', 'upheld')), models.Q(models.Q(('status', 'upheld'), _negated=True), ('removal', '')), _connector='OR'), name='objection_upheld_needs_removal_decision'),
        ),
        migrations.AddConstraint(
            model_name='objection',
            constraint=models.CheckConstraint(condition=models.Q(('removal__in', ['', 'pending']), models.Q(('removal_decided_by__isnull', False), ('removal_decided_at__isnull', False), models.Q(('removal_opinion', ''), _negated=True)), _connector='OR'), name='objection_removal_decision_recorded'),
        ),
    ]
