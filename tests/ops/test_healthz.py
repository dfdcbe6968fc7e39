"""``/healthz`` answers 200 when PostgreSQL, Redis, a Celery worker and the beat are all there, and 503 naming the
part that is not. Services other tests share are never stopped: a probe is pointed at a closed port instead."""

import json
import time
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from tests.ops.conftest import database_url


def _healthz(client):
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


@pytest.mark.django_db
def test_healthz_needs_no_sign_in_and_says_nothing_but_part_names(client):
    status, body = _healthz(client)
    assert set(body) == {"status", "failed", "checks"}
    assert set(body["checks"]) == {"database", "redis", "worker", "beat"}
    assert set(body["checks"].values()) <= {"ok", "fail"}
    assert "127.0.0.1" not in json.dumps(body)
    # No worker runs in this test: the answer is 503 and names it, and only it.
    assert (status, body["failed"]) == (503, ["worker"])


@pytest.mark.django_db
def test_healthz_names_redis_when_redis_is_down(client, settings, closed_port):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port}/0"
    status, body = _healthz(client)
    assert status == 503
    assert body["checks"]["redis"] == "fail" and body["checks"]["database"] == "ok"


@pytest.fixture
def unreachable_database(settings, closed_port):
    """A database alias just like the test database, on a port where no PostgreSQL listens."""
    alias = "unreachable"
    connections.settings[alias] = {**connections["default"].settings_dict, "PORT": str(closed_port)}
    settings.HEALTHZ_DATABASE_ALIAS = alias
    yield alias
    del connections.settings[alias]


@pytest.mark.django_db
def test_healthz_names_the_database_when_postgresql_is_down(client, unreachable_database):
    status, body = _healthz(client)
    assert status == 503
    assert body["checks"]["database"] == "fail" and body["checks"]["redis"] == "ok"


@pytest.mark.django_db
def test_healthz_names_the_worker_when_the_broker_is_down(client, settings, closed_port):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/0"
    started = time.monotonic()
    status, body = _healthz(client)
    assert status == 503 and body["checks"]["worker"] == "fail"
    assert time.monotonic() - started < 15  # a dead broker is reported, not retried for minutes


@pytest.mark.django_db(transaction=True)
def test_healthz_names_the_beat_when_a_periodic_task_is_overdue(client, settings):
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    settings.HEALTHZ_BEAT_GRACE_SECONDS = 600
    settings.HEALTHZ_WORKER_TIMEOUT_SECONDS = 1  # no worker here; do not wait long for one
    daily, _ = CrontabSchedule.objects.get_or_create(minute="30", hour="8", timezone="Asia/Shanghai")
    PeriodicTask.objects.create(
        name="每日", task="campaigns.tasks.run_sweep", crontab=daily, last_run_at=timezone.now() - timedelta(hours=1)
    )
    assert _healthz(client)[1]["checks"]["beat"] == "ok"  # ran an hour ago, next run is within a day

    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.MINUTES)
    task = PeriodicTask.objects.create(
        name="每分钟", task="campaigns.tasks.run_sweep", interval=every_minute, last_run_at=timezone.now()
    )
    assert _healthz(client)[1]["checks"]["beat"] == "ok"

    # The beat stopped half an hour ago: the every-minute task is 29 minutes late, beyond the 10 allowed.
    PeriodicTask.objects.filter(pk=task.pk).update(last_run_at=timezone.now() - timedelta(minutes=30))
    status, body = _healthz(client)
    assert status == 503 and body["checks"]["beat"] == "fail"

    PeriodicTask.objects.filter(pk=task.pk).update(enabled=False)  # switched off in the admin: not late
    assert _healthz(client)[1]["checks"]["beat"] == "ok"


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_healthz_is_200_with_every_part_up_and_503_once_the_worker_stops(client, settings, celery_worker_process):
    deadline = time.monotonic() + 60
    while True:
        status, body = _healthz(client)
        if status == 200 or time.monotonic() > deadline or celery_worker_process.poll() is not None:
            break
        time.sleep(1)
    assert (status, body) == (200, {"status": "ok", "failed": [], "checks": dict.fromkeys(body["checks"], "ok")})
    assert set(body["checks"]) == {"database", "redis", "worker", "beat"}

    celery_worker_process.terminate()
    celery_worker_process.wait(timeout=20)
    status, body = _healthz(client)
    assert (status, body["failed"]) == (503, ["worker"])


def test_the_test_database_url_is_postgresql():
    assert database_url().startswith("postgresql://")
