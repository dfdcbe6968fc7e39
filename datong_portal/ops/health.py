"""``GET /healthz``: is every part the portal needs answering? 200 when all are, 503 naming the parts that are not.

The probes are django-health-check's (database, Redis, Celery ping) plus one of our own for the beat. The answer
says only each part's name and ``ok`` / ``fail`` — no host names, ports or error texts (those go to the log), and
nobody needs to sign in. Every probe reads its settings when it runs, so a test can point one at a closed port.
"""

import asyncio
import dataclasses
import datetime
import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import JsonResponse
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.checks import Database
from health_check.contrib.celery import Ping
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

logger = logging.getLogger(__name__)


def _redis_client():
    from redis.asyncio import Redis as RedisClient

    return RedisClient.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)


@dataclasses.dataclass
class DatabaseProbe(Database):
    """``SELECT 1`` on the connection named by ``HEALTHZ_DATABASE_ALIAS`` (``default``)."""

    def run(self):
        self.alias = settings.HEALTHZ_DATABASE_ALIAS
        return super().run()


@dataclasses.dataclass
class RedisProbe(Redis):
    """PING on ``REDIS_URL`` (cache, sessions and the broker in production)."""

    client_factory: object = dataclasses.field(default=_redis_client, repr=False)


@dataclasses.dataclass
class WorkerProbe(Ping):
    """At least one Celery worker answers a ping over the broker of ``CELERY_BROKER_URL``, and serves the queue."""

    def run(self):
        timeout = settings.HEALTHZ_WORKER_TIMEOUT_SECONDS
        try:
            with self.app.connection_for_write(settings.CELERY_BROKER_URL) as connection:
                # Fail at once on a broker that is down instead of retrying for minutes.
                connection.ensure_connection(max_retries=1, interval_start=0, timeout=timeout)
                replies = self.app.control.ping(timeout=timeout, connection=connection)
                if not replies:
                    raise ServiceUnavailable("no Celery worker answered")
                workers = list(self.active_workers(replies))
                active = self.app.control.inspect(workers, timeout=timeout, connection=connection).active_queues()
        except ServiceUnavailable:
            raise
        except Exception as error:  # the broker is down or answers nonsense
            raise ServiceUnavailable("Celery broker unreachable") from error
        served = {queue.get("name") for queues in (active or {}).values() for queue in queues}
        if self.app.conf.task_default_queue not in served:
            raise ServiceUnavailable("no worker serves the default queue")


@dataclasses.dataclass
class BeatProbe(HealthCheck):
    """Every enabled periodic task has run no later than its schedule allows, plus ``HEALTHZ_BEAT_GRACE_SECONDS``.

    django-celery-beat writes ``last_run_at`` when the beat sends a task (it saves every few minutes, hence the
    grace). A task that never ran counts from when it was last changed, as the beat itself does.
    """

    def run(self):
        from django_celery_beat.models import PeriodicTask

        grace = datetime.timedelta(seconds=settings.HEALTHZ_BEAT_GRACE_SECONDS)
        now = timezone.now()
        late = []
        try:  # the probe runs in a thread of its own: leave no connection behind it
            tasks = list(
                PeriodicTask.objects.filter(enabled=True, one_off=False, clocked__isnull=True).select_related(
                    "interval", "crontab", "solar"
                )
            )
        finally:
            connections[DEFAULT_DB_ALIAS].close()
        for task in tasks:
            if (task.start_time and task.start_time > now) or (task.expires and task.expires <= now):
                continue
            since = task.last_run_at or task.date_changed
            overdue = -task.schedule.remaining_estimate(since)
            if overdue > grace:
                late.append(task.name)
        if late:
            logger.warning("healthz: periodic tasks overdue: %s", ", ".join(late))
            raise ServiceUnavailable(f"{len(late)} periodic task(s) overdue")


def portal_checks():
    """The parts ``/healthz`` asks about, by name. Redis only where the portal uses it (not under ``make run``)."""
    # Ping waits its timeout for replies, then asks the workers' queues: give the probe room for both and a connect.
    worker_budget = datetime.timedelta(seconds=3 * settings.HEALTHZ_WORKER_TIMEOUT_SECONDS + 1)
    checks = {"database": DatabaseProbe(), "worker": WorkerProbe(timeout=worker_budget), "beat": BeatProbe()}
    if settings.REDIS_URL:
        checks = {"database": checks["database"], "redis": RedisProbe(), **checks}
    return checks


class HealthzView(HealthCheckView):
    """The probes run side by side; the answer is JSON ``{"status": "ok"|"fail", "checks": {part: "ok"|"fail"}}``."""

    async def get(self, request, *args, **kwargs):
        checks = portal_checks()
        with self.get_executor() as executor:
            results = await asyncio.gather(*(check.get_result(executor) for check in checks.values()))
        parts = {name: "fail" if result.error else "ok" for name, result in zip(checks, results, strict=True)}
        for name, result in zip(checks, results, strict=True):
            if result.error:
                logger.warning("healthz: %s failed: %s", name, result.error)
        failed = [name for name, state in parts.items() if state == "fail"]
        return JsonResponse(
            {"status": "fail" if failed else "ok", "failed": failed, "checks": parts},
            status=503 if failed else 200,
        )
