"""The security issue's items: every way in gets the same limits, tokens can be ended, bad input is a Chinese 4xx."""

import time

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from campaigns import throttle
from campaigns.middleware import SESSION_SEEN, SESSION_STARTED

# --- every way in gets the same session limits ------------------------------------------------------------------


def test_a_session_started_through_the_admin_login_ends_after_thirty_idle_minutes(client, steward, settings):
    response = client.post("/admin/login/", {"username": "steward", "password": "Steward-2021-x"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    session = client.session
    assert SESSION_STARTED in session
    session[SESSION_SEEN] = time.time() - settings.SESSION_IDLE_SECONDS - 5
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_every_login_path_stamps_the_session(client, hq):
    client.force_login(hq)  # the admin's "log in as", the test client and any future login path call login()
    assert SESSION_STARTED in client.session and SESSION_SEEN in client.session


# --- API tokens: ended by a password change or on request ---------------------------------------------------------


def _token(anonymous_api, username, password):
    response = anonymous_api.post("/api/v1/auth/token/", {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def test_a_password_change_ends_the_users_api_tokens(anonymous_api, hq, settings):
    key = _token(anonymous_api, "hq", settings.DEMO_PASSWORD)
    hq.set_password("Another-Pass-2022")
    hq.save()
    response = APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
    assert not Token.objects.filter(key=key).exists()


def test_saving_a_user_without_a_new_password_keeps_the_token(anonymous_api, hq, settings):
    key = _token(anonymous_api, "hq", settings.DEMO_PASSWORD)
    hq.title = "主任"
    hq.save()
    assert APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_a_token_can_be_revoked_by_its_holder(anonymous_api, hq, settings):
    key = _token(anonymous_api, "hq", settings.DEMO_PASSWORD)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.post("/api/v1/auth/token/revoke/")
    assert response.status_code == 204
    assert not Token.objects.filter(key=key).exists()
    assert client.get("/api/v1/me/").status_code == 401
    # A new token can be asked for afterwards, and it is a different one.
    assert _token(anonymous_api, "hq", settings.DEMO_PASSWORD) != key


def test_revoking_needs_a_signed_in_client(anonymous_api, city):
    response = anonymous_api.post("/api/v1/auth/token/revoke/")
    assert response.status_code == 401
    assert Token.objects.count() == 0


# --- login throttling: per username and pair, per address only at a much higher bound ---------------------------


def _ask_token(client, username, password, **extra):
    return client.post("/api/v1/auth/token/", {"username": username, "password": password}, format="json", **extra)


def test_thirty_failures_with_made_up_usernames_do_not_lock_out_everyone_behind_the_address(
    anonymous_api, city, settings
):
    for n in range(30):
        assert _ask_token(anonymous_api, f"nobody-{n}", "guess").status_code == 400
    response = _ask_token(anonymous_api, "hq", settings.DEMO_PASSWORD)
    assert response.status_code == 200, response.content
    page = Client().post("/accounts/login/", {"username": "leader", "password": settings.DEMO_PASSWORD})
    assert page.status_code == 302


def test_an_address_is_locked_only_at_its_much_higher_bound(anonymous_api, city, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 12
    for n in range(12):
        _ask_token(anonymous_api, f"nobody-{n}", "guess")
    response = _ask_token(anonymous_api, "hq", settings.DEMO_PASSWORD)
    assert response.status_code == 429
    assert "过多" in response.json()["detail"]
    assert Token.objects.count() == 0
    assert _ask_token(anonymous_api, "hq", settings.DEMO_PASSWORD, REMOTE_ADDR="10.9.9.9").status_code == 200


def test_guessing_one_username_from_many_addresses_locks_that_username(anonymous_api, city, settings):
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 8
    for n in range(8):
        _ask_token(anonymous_api, "hq", "guess", REMOTE_ADDR=f"10.0.1.{n + 1}")
    response = _ask_token(anonymous_api, "hq", settings.DEMO_PASSWORD, REMOTE_ADDR="10.0.2.1")
    assert response.status_code == 429
    assert Token.objects.count() == 0
    # Another account is not affected.
    assert _ask_token(anonymous_api, "leader", settings.DEMO_PASSWORD, REMOTE_ADDR="10.0.2.1").status_code == 200


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(anonymous_api, city, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    via_proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _ask_token(anonymous_api, "hq", "guess", HTTP_X_FORWARDED_FOR="203.0.113.5", **via_proxy)
    locked = _ask_token(anonymous_api, "hq", settings.DEMO_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5", **via_proxy)
    assert locked.status_code == 429
    # The owner, another client behind the same proxy, is not locked out by the stranger's guessing.
    own = _ask_token(anonymous_api, "hq", settings.DEMO_PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **via_proxy)
    assert own.status_code == 200


def test_forwarded_for_from_an_untrusted_address_is_ignored(rf, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    spoofed = rf.get("/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert throttle.client_address(spoofed) == "198.51.100.9"
    # Through the proxy, the right-most hop that is not a trusted proxy is the client, whatever the client prepended.
    chained = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5, 10.0.0.1")
    assert throttle.client_address(chained) == "203.0.113.5"
    settings.TRUSTED_PROXIES = []
    assert throttle.client_address(chained) == "10.0.0.1"


def test_trusted_proxies_setting_fails_loudly_on_a_malformed_value(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from datong_portal.env import env_networks

    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.1, proxy.example")
    with pytest.raises(ImproperlyConfigured):
        env_networks("TRUSTED_PROXIES", [])
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.1, 172.16.0.0/12")
    assert [str(n) for n in env_networks("TRUSTED_PROXIES", [])] == ["10.0.0.1/32", "172.16.0.0/12"]
