"""The campaign's calendar.

A *sweep* is a function ``sweep(now) -> str`` that looks at the records as of ``now`` and does what is due: opens
report slots, sends reminders, marks what is missing, escalates overdue cards. Sweeps are idempotent — the unique rows
they write (report slots, notification keys, escalation steps) decide — so running one twice, or two at once, or
replaying one after downtime with ``manage.py campaign_clock --now …`` does each thing once.

Each app keeps its sweeps in ``<app>/clock.py`` (``SWEEPS = {"name": function}``, ``SCHEDULE = [(name, crontab,
help)]``) and contributes them in its ``AppConfig.ready()`` (``campaigns/registry.py``).
Celery beat runs :func:`campaigns.tasks.run_sweep` by name on the schedules stored in django-celery-beat's tables
(created by ``seed_datong``, editable in the admin, in Asia/Shanghai).
"""

import json
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from campaigns import registry

SWEEP_TASK = "campaigns.tasks.run_sweep"


def all_sweeps() -> dict:
    return registry.sweeps()


def all_schedules() -> list[tuple[str, dict, str]]:
    return registry.schedules()


def run_sweeps(now: datetime | None = None, only: list[str] | None = None) -> dict[str, str]:
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must carry a time zone offset")
    sweeps = all_sweeps()
    unknown = set(only or []) - set(sweeps)
    if unknown:
        raise KeyError(f"unknown sweeps: {', '.join(sorted(unknown))}")
    return {name: sweep(now) for name, sweep in sweeps.items() if not only or name in only}


def ensure_schedules() -> int:
    """Create (or leave alone) the beat entry of every sweep. Edits made in the admin survive a re-seed."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    created = 0
    for name, cron, description in all_schedules():
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=cron.get("minute", "0"),
            hour=cron.get("hour", "*"),
            day_of_week=cron.get("day_of_week", "*"),
            day_of_month=cron.get("day_of_month", "*"),
            month_of_year=cron.get("month_of_year", "*"),
            timezone=settings.TIME_ZONE,
        )
        _task, was_created = PeriodicTask.objects.get_or_create(
            name=f"创城日历：{description}",
            defaults={"task": SWEEP_TASK, "crontab": schedule, "args": json.dumps([name]), "description": description},
        )
        created += was_created
    return created
