"""Every page and endpoint the portal serves refuses an anonymous visitor — including ones added later.

Walks the URL configuration, fills each parameter with an existing-looking value, and asks as nobody: a page must
send the visitor to the login page, an API endpoint must answer 401. Only the few listed in ``OPEN`` are open.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# The login page and the token exchange are where strangers become users. /healthz is for the load balancer: it
# says only which parts answer (tests/ops/test_healthz.py). /metrics answers this test client only because it asks from
# 127.0.0.1, the default METRICS_ALLOWED_IPS; remote and proxied strangers get 403 (tests/ops/test_metrics.py).
# /api/schema/ describes the API and holds no data: client authors generate code from it without an account (the
# same schema is committed as docs/openapi.yaml, tests/test_openapi_file.py); /api/docs/ stays behind the login.
# /volunteers/rate/<token>/ is the public rating link a resident opens from a project's QR code: it refuses a forged
# token itself (tests/volunteers/test_public_rating.py).
OPEN = {"/accounts/login/", "/api/v1/auth/token/", "/api/schema/", "/healthz", "/metrics", "/volunteers/rate/1/"}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _concrete(route: str) -> str | None:
    """The route with every parameter filled in, or None for a pattern that is not a plain path."""
    route = route.replace("^", "").replace("$", "")  # the router's regex routes
    route = re.sub(r"\(\?P<[^>]+>[^)]*\)", "1", route)
    route = re.sub(r"<(?:[a-z]+:)?[^>]+>", "1", route)
    if any(ch in route for ch in "()[]*+?\\"):
        return None
    return "/" + route


def _portal_urls():
    urls = set()
    for route in _walk(get_resolver().url_patterns):
        path = _concrete(route)
        if path and not path.startswith("/admin/") and path not in OPEN:
            urls.add(path)
    return sorted(urls)


URLS = _portal_urls()


def test_the_walk_finds_the_portals_pages_and_endpoints():
    assert {"/", "/tasks/", "/api/v1/tasks/", "/api/v1/supervision-cards/", "/api/v1/volunteers/"} <= set(URLS)
    assert len(URLS) > 60


@pytest.mark.parametrize("path", URLS)
def test_anonymous_is_refused(client, db, path):
    response = client.get(path)
    if path.startswith("/api/") and path != "/api/docs/":  # the docs are a page for people
        assert response.status_code in (401, 405), (path, response.status_code)
        if response.status_code == 405:  # POST-only actions: asking with POST must still be 401
            assert client.post(path, {}, content_type="application/json").status_code == 401, path
    else:
        assert response.status_code in (302, 405), (path, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/"), (path, response["Location"])
        else:
            answer = client.post(path, {})
            assert answer.status_code in (302, 403), path
            if answer.status_code == 302:
                assert answer["Location"].startswith("/accounts/login/"), path
