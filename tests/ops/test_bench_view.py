"""The benchmark's bare view exists only where ``BENCH=1`` says so: without it /ops/bench/bare/ is an ordinary 404."""

import importlib

import pytest
from django.test import override_settings
from django.urls import clear_url_caches

import datong_portal.urls


@pytest.fixture
def urls_with(settings):
    """Rebuild the URL configuration under a given BENCH, and put the usual one back afterwards."""

    def build(enabled: bool):
        with override_settings(BENCH=enabled):
            importlib.reload(datong_portal.urls)
        clear_url_caches()

    yield build
    importlib.reload(datong_portal.urls)
    clear_url_caches()


def test_without_bench_the_bare_view_is_not_mounted(client, db, urls_with):
    urls_with(False)
    response = client.get("/ops/bench/bare/")
    assert response.status_code == 404
    assert b"ok" not in response.content


def test_with_bench_the_bare_view_answers_ok_and_nothing_else(client, db, urls_with):
    urls_with(True)
    response = client.get("/ops/bench/bare/")
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert client.post("/ops/bench/bare/", {}).status_code in (403, 405)  # CSRF or method: never a write
