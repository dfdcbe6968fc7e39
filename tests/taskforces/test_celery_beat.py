"""A real Celery worker and beat (not eager mode) against Redis fire a scheduled sweep that writes reminders.

The subprocesses read the pytest-django test database, so the test is transactional (rows are committed)."""

import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from campaigns.models import Notification
from taskforces.models import Report

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start(args, env, log):
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "datong_portal", *args],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_beat_fires_the_missing_sweep_on_a_real_worker(city, officer_pingcheng, hq, card_pingcheng, tmp_path):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    redis_url = os.environ.get("REDIS_URL") or settings.CELERY_BROKER_URL
    assert redis_url.startswith("redis://"), "this test needs Redis (REDIS_URL)"
    # A slot of 平城区 whose deadline has just passed: the sweep must mark it and tell the officer and headquarters.
    report = Report.objects.create(
        unit=officer_pingcheng.unit,
        kind="weekly",
        period="2021-W01",
        due_at=timezone.now() - timedelta(minutes=1),
    )
    every_two_seconds, _ = IntervalSchedule.objects.get_or_create(every=2, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name="测试：标记缺报",
        task="campaigns.tasks.run_sweep",
        interval=every_two_seconds,
        args=json.dumps(["reports_mark_missing"]),
    )
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "DJANGO_ENV": "test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    log_path = tmp_path / "celery.log"
    with open(log_path, "w") as log:
        subprocess.run(
            [sys.executable, "-m", "celery", "-A", "datong_portal", "purge", "-f"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        )
        worker = _start(["worker", "--pool=solo", "--without-gossip", "--without-mingle", "--loglevel=INFO"], env, log)
        beat = _start(["beat", "--loglevel=INFO", "-s", str(tmp_path / "beat-schedule"), "--max-interval=1"], env, log)
        key = f"report-missing:weekly:2021-W01:deadline:{report.pk}"
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                if Notification.objects.filter(key=key).count() >= 2:
                    break
                if worker.poll() is not None or beat.poll() is not None:
                    break
                time.sleep(1)
            # Let beat fire a few more times: each run finds the same report and must add nothing.
            time.sleep(5)
        finally:
            for process in (beat, worker):
                process.terminate()
            for process in (beat, worker):
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
    output = log_path.read_text()
    told = sorted(Notification.objects.filter(key=key).values_list("recipient__username", flat=True))
    assert told == sorted([hq.username, officer_pingcheng.username]), output[-3000:]
    report.refresh_from_db()
    assert report.missing_marked_at is not None
    assert "campaigns.tasks.run_sweep" in output
