"""Prometheus metrics at ``/metrics``.

django-prometheus measures each web process: request latency by view (``django_http_requests_latency_seconds_by_
view_method``), database queries (``django_db_execute_total`` through its engine wrappers, see settings), and more.
Celery workers run on other machines, so what they do is counted where every web process can read it — the cache
(Redis in production) — and read at each scrape:

* ``datong_celery_tasks_total{task, outcome}`` — tasks that succeeded, failed or were retried;
* ``datong_sweep_last_success_timestamp_seconds{sweep}`` — when each calendar sweep last finished without error.

Who may scrape: addresses in ``METRICS_ALLOWED_IPS`` (loopback by default) asking directly, not through the proxy,
or anyone presenting ``Authorization: Bearer <METRICS_TOKEN>``. Everyone else gets 403.
"""

import hmac
import ipaddress
import os
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

OUTCOMES = ("succeeded", "failed", "retried")
SWEEP_TASK = "campaigns.tasks.run_sweep"
_PREFIX = "ops:metrics"


def _outcome_key(task: str, outcome: str) -> str:
    return f"{_PREFIX}:task:{task}:{outcome}"


def _sweep_key(sweep: str) -> str:
    return f"{_PREFIX}:sweep-success:{sweep}"


def task_outcome_record(task: str, outcome: str) -> None:
    key = _outcome_key(task, outcome)
    cache.add(key, 0, timeout=None)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=None)


def sweep_success_record(sweep: str, at: float | None = None) -> None:
    cache.set(_sweep_key(sweep), at or time.time(), timeout=None)


def _portal_task_names() -> list[str]:
    from datong_portal.celery import app

    return sorted(name for name in app.tasks if not name.startswith("celery."))


def _sweep_names() -> list[str]:
    from campaigns.clock import all_sweeps

    return sorted(all_sweeps())


class PortalCollector:
    """Reads the workers' counters from the cache at scrape time."""

    def collect(self):
        tasks = CounterMetricFamily(
            "datong_celery_tasks", "Celery tasks by outcome, counted by the workers", labels=["task", "outcome"]
        )
        names = _portal_task_names()
        counts = cache.get_many([_outcome_key(task, outcome) for task in names for outcome in OUTCOMES])
        for task in names:
            for outcome in OUTCOMES:
                tasks.add_metric([task, outcome], counts.get(_outcome_key(task, outcome), 0))
        yield tasks
        sweeps = GaugeMetricFamily(
            "datong_sweep_last_success_timestamp_seconds",
            "When each calendar sweep last finished without error (Unix time; absent if never)",
            labels=["sweep"],
        )
        names = _sweep_names()
        stamps = cache.get_many([_sweep_key(name) for name in names])
        for name in names:
            if _sweep_key(name) in stamps:
                sweeps.add_metric([name], stamps[_sweep_key(name)])
        yield sweeps


_collector = None


def register_collector() -> None:
    global _collector
    if _collector is None:
        _collector = PortalCollector()
        REGISTRY.register(_collector)


def connect_celery_signals() -> None:
    """Count every task's outcome and stamp each sweep's success (in whichever process runs the task)."""
    from celery.signals import task_failure, task_retry, task_success

    def succeeded(sender=None, result=None, **kwargs):
        task_outcome_record(sender.name, "succeeded")
        if sender.name == SWEEP_TASK:
            args = sender.request.args or []
            name = args[0] if args else (sender.request.kwargs or {}).get("name")
            if name:
                sweep_success_record(name)

    def failed(sender=None, **kwargs):
        task_outcome_record(sender.name, "failed")

    def retried(sender=None, request=None, **kwargs):
        task_outcome_record(sender.name, "retried")

    task_success.connect(succeeded, weak=False, dispatch_uid="ops-metrics-task-success")
    task_failure.connect(failed, weak=False, dispatch_uid="ops-metrics-task-failure")
    task_retry.connect(retried, weak=False, dispatch_uid="ops-metrics-task-retry")


def _address_allowed(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in settings.METRICS_ALLOWED_IPS)


def scrape_allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        if given.startswith("Bearer ") and hmac.compare_digest(given[len("Bearer ") :].encode(), token.encode()):
            return True
    # Through the proxy the address is the proxy's: a forwarded request must bring the token.
    if "X-Forwarded-For" in request.headers:
        return False
    return _address_allowed(request.META.get("REMOTE_ADDR", ""))


@never_cache
def metrics_view(request):
    if not scrape_allowed(request):
        return HttpResponseForbidden("forbidden\n", content_type="text/plain")
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:  # gunicorn's workers write their figures to files; add them up
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(PortalCollector())
    else:
        registry = REGISTRY
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
