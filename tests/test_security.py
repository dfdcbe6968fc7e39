"""The security issue's items: every way in gets the same limits, tokens can be ended, bad input is a Chinese 4xx."""

import time

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from campaigns.middleware import SESSION_SEEN, SESSION_STARTED

# --- every way in gets the same session limits ------------------------------------------------------------------


def test_a_session_started_through_the_admin_login_ends_after_thirty_idle_minutes(client, hq, settings):
    response = client.post("/admin/login/", {"username": "hq", "password": settings.DEMO_PASSWORD})
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
