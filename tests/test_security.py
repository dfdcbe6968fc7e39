"""The security issue's items: every way in gets the same limits, tokens can be ended, bad input is a Chinese 4xx."""

import time

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
