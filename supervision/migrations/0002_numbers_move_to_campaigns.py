"""Card numbers now come from campaigns.YearlyNumber (series "supervision-card"); carry the counters over."""

from django.db import migrations


def copy_counters(apps, schema_editor):
    CardNumberCounter = apps.get_model("supervision", "CardNumberCounter")
    YearlyNumber = apps.get_model("campaigns", "YearlyNumber")
    for counter in CardNumberCounter.objects.all():
        YearlyNumber.objects.update_or_create(
            series="supervision-card", year=counter.year, defaults={"last_number": counter.last_number}
        )


def copy_back(apps, schema_editor):
    CardNumberCounter = apps.get_model("supervision", "CardNumberCounter")
    YearlyNumber = apps.get_model("campaigns", "YearlyNumber")
    for number in YearlyNumber.objects.filter(series="supervision-card"):
        CardNumberCounter.objects.update_or_create(year=number.year, defaults={"last_number": number.last_number})


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_initial"),
        ("campaigns", "0003_yearly_numbers"),
    ]

    operations = [
        migrations.RunPython(copy_counters, copy_back),
        migrations.DeleteModel(name="CardNumberCounter"),
    ]
