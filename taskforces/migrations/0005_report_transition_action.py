"""ReportTransition joins the workflow engine: it gains ``action`` (filled in from ``to_status`` for existing rows) and
its actor becomes required (rows without one are given the report's submitter, else a headquarters account)."""

from django.db import migrations, models

ACTION_FOR_STATUS = {"submitted": "submit", "accepted": "accept", "returned": "return"}


def fill_in(apps, schema_editor):
    ReportTransition = apps.get_model("taskforces", "ReportTransition")
    for to_status, action in ACTION_FOR_STATUS.items():
        ReportTransition.objects.filter(to_status=to_status, action="").update(action=action)
    orphans = ReportTransition.objects.filter(actor__isnull=True).select_related("report")
    if not orphans.exists():
        return
    User = apps.get_model("campaigns", "User")
    fallback = (
        User.objects.filter(role="hq").order_by("id").first()
        or User.objects.filter(is_superuser=True).order_by("id").first()
    )
    for move in orphans:
        actor_id = move.report.submitted_by_id if move.to_status == "submitted" else None
        actor_id = actor_id or (fallback.pk if fallback else None)
        if actor_id is None:
            raise RuntimeError("报告流转记录缺少操作人，且没有指挥部账号可以代填：请先创建一个指挥部账号再迁移。")
        ReportTransition.objects.filter(pk=move.pk).update(actor_id=actor_id)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0003_yearly_numbers"),
        ("taskforces", "0004_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="reporttransition",
            name="action",
            field=models.CharField(default="", max_length=30, verbose_name="操作"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_in, migrations.RunPython.noop),
    ]
