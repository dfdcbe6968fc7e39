"""Reminder-card numbers now come from campaigns.YearlyNumber (series "reminder-card"); start each year's counter
at the highest number already given out."""

from django.db import migrations
from django.db.models import Max


def seed_counters(apps, schema_editor):
    ReminderCard = apps.get_model("taskforces", "ReminderCard")
    YearlyNumber = apps.get_model("campaigns", "YearlyNumber")
    for row in ReminderCard.objects.values("year").annotate(last=Max("seq")):
        YearlyNumber.objects.update_or_create(
            series="reminder-card", year=row["year"], defaults={"last_number": row["last"]}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("taskforces", "0002_reportcalendar_report_reportattachment_and_more"),
        ("campaigns", "0003_yearly_numbers"),
    ]

    operations = [migrations.RunPython(seed_counters, migrations.RunPython.noop)]
