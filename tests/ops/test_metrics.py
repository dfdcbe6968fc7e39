"""``/metrics``: request latency by view, database queries, Celery task outcomes and the sweeps' last success — for
this machine or the bearer of the metrics token, and nobody else."""

import time

import pytest

from campaigns.tasks import run_sweep


def _scrape(client, **headers):
    return client.get("/metrics", **headers)


@pytest.mark.django_db
def test_metrics_show_latency_by_view_and_database_queries(client_as, hq, client):
    client_as(hq).get("/tasks/")
    client.logout()
    response = _scrape(client)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'django_http_requests_latency_seconds_by_view_method_count{method="GET",view="' in text
    assert "django_db_execute_total{" in text and 'vendor="postgresql"' in text


@pytest.mark.django_db
def test_metrics_count_celery_outcomes_and_stamp_the_sweeps_last_success(client, city):
    before = time.time()
    run_sweep.apply(args=["reports_mark_missing"])
    run_sweep.apply(args=["no-such-sweep"])  # a KeyError, retried until the retries run out
    text = _scrape(client).content.decode()
    assert 'datong_celery_tasks_total{outcome="succeeded",task="campaigns.tasks.run_sweep"} 1.0' in text
    stamp = next(
        line for line in text.splitlines()
        if line.startswith('datong_sweep_last_success_timestamp_seconds{sweep="reports_mark_missing"}')
    )  # fmt: skip
    assert float(stamp.rsplit(" ", 1)[1]) >= before
    assert 'datong_sweep_last_success_timestamp_seconds{sweep="reports_open"}' not in text  # never ran
    assert 'datong_celery_tasks_total{outcome="retried",task="campaigns.tasks.run_sweep"}' in text


@pytest.mark.django_db
def test_metrics_refuse_remote_and_proxied_strangers(client, settings):
    assert _scrape(client, REMOTE_ADDR="203.0.113.7").status_code == 403
    # Through the proxy the address is the proxy's own: that is not enough.
    assert _scrape(client, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 403

    settings.METRICS_TOKEN = "scrape-token-0123456789"
    assert _scrape(client, REMOTE_ADDR="203.0.113.7", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    allowed = _scrape(client, REMOTE_ADDR="203.0.113.7", HTTP_AUTHORIZATION="Bearer scrape-token-0123456789")
    assert allowed.status_code == 200 and b"django_http_requests" in allowed.content


def test_metrics_allow_a_configured_network(client, settings, db):
    import ipaddress

    settings.METRICS_ALLOWED_IPS = [ipaddress.ip_network("10.20.0.0/16")]
    assert _scrape(client, REMOTE_ADDR="10.20.3.4").status_code == 200
    assert _scrape(client).status_code == 403  # 127.0.0.1 is no longer listed
