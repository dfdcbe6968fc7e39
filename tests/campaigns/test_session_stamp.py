"""The idle stamp is renewed at most once a minute, so a busy browser does not write its session on every call."""

import time

from campaigns.middleware import SESSION_SEEN, SESSION_SEEN_RESOLUTION


def _stamp(client, seconds_ago):
    session = client.session
    session[SESSION_SEEN] = time.time() - seconds_ago
    session.save()
    return session[SESSION_SEEN]


def test_a_call_within_the_minute_leaves_the_stamp_alone(client, hq):
    client.force_login(hq)
    stamped = _stamp(client, 5)
    assert client.get("/api/v1/me/").status_code == 200
    assert client.session[SESSION_SEEN] == stamped


def test_a_call_after_the_minute_renews_the_stamp(client, hq):
    client.force_login(hq)
    stamped = _stamp(client, SESSION_SEEN_RESOLUTION + 5)
    assert client.get("/api/v1/me/").status_code == 200
    assert client.session[SESSION_SEEN] > stamped + SESSION_SEEN_RESOLUTION
