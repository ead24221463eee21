"""A notice records its first counted day and the basis of its counting (民法典
第二百零一条、第二百零三条, the regulation's article or the office's decision).

Notices published before counted the publication day as day 1 without stating a basis: they
keep their dates, with the publication day as day 1 and the basis "unstated"."""

from django.db import migrations, models

BEFORE_ZH = "发布之日计为第1日（本系统此前的计数方式，未注明依据）"
BEFORE_EN = "the publication day was day 1 (the counting used before; no basis stated)"


def fill_existing(apps, schema_editor):
    Notice = apps.get_model("notices", "Notice")
    for n in Notice.objects.filter(first_counted_on__isnull=True):
        n.first_counted_on = n.starts_on
        n.counting_source = "unstated"
        n.counting_zh = BEFORE_ZH
        n.counting_en = BEFORE_EN
        n.save(update_fields=["first_counted_on", "counting_source", "counting_zh",
                              "counting_en"])


class Migration(migrations.Migration):

    dependencies = [
        ("notices", "0002_w3_objection_workflow"),
    ]

    operations = [
        migrations.AddField(model_name="notice", name="first_counted_on",
                            field=models.DateField(null=True)),
        migrations.AddField(model_name="notice", name="counting_source",
                            field=models.CharField(default="law", max_length=20)),
        migrations.AddField(model_name="notice", name="counting_zh",
                            field=models.CharField(default="", max_length=300),
                            preserve_default=False),
        migrations.AddField(model_name="notice", name="counting_en",
                            field=models.CharField(default="", max_length=300),
                            preserve_default=False),
        migrations.RunPython(fill_existing, migrations.RunPython.noop),
        migrations.AlterField(model_name="notice", name="first_counted_on",
                              field=models.DateField()),
        migrations.AddConstraint(
            model_name="notice",
            constraint=models.CheckConstraint(
                condition=models.Q(("first_counted_on__gte", models.F("starts_on")),
                                   ("first_counted_on__lte", models.F("ends_on"))),
                name="notice_first_counted_day_in_window")),
        migrations.AddConstraint(
            model_name="notice",
            constraint=models.CheckConstraint(
                condition=models.Q(("counting_source__in",
                                    ["law", "regulation", "configuration", "unstated"]),
                                   models.Q(("counting_zh", ""), _negated=True),
                                   models.Q(("counting_en", ""), _negated=True)),
                name="notice_counting_has_basis")),
    ]
