"""The dashboard's figures kept in the cache (campaigns/figures.py): read back while nothing they count has changed,
computed again after any committed write to a table they read — by save(), an F() update, raw SQL or COPY, from this
connection or another — never kept from one's own uncommitted writes, renewed with the minute, and still answered when
the cache server is away.

These tests commit (``transactional_db``): a kept figure is only ever shared across transactions.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from campaigns import figures
from campaigns.management.commands.seed_datong import load_reference_data, seed_city
from campaigns.models import Division
from datong_portal.dashboard.cockpit import cockpit, cockpit_scope
from datong_portal.dashboard.summary import city_summary, district_rows
from inspections.choices import ProblemStatus
from inspections.models import Problem
from tests.concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def committed_city(transactional_db):
    seed_city(load_reference_data(), demo=True, log=lambda message: None)
    from campaigns.models import User

    return {user.username: user for user in User.objects.all()}


def _fresh(settings, read):
    """What ``read()`` gives with nothing kept: the figure computed from the rows."""
    settings.FIGURES_CACHE = False
    try:
        return read()
    finally:
        settings.FIGURES_CACHE = True


def _warm(read):
    """The first computation in a process learns which tables a figure reads; from the second on it is kept."""
    read()
    return read()


def _queries(read):
    with CaptureQueriesContext(connection) as queries:
        value = read()
    return value, len(queries)


def _open_problem():
    return Problem.objects.exclude(status=ProblemStatus.CLOSED).order_by("id").first()


def test_a_second_read_is_kept_and_an_f_update_is_seen_at_once(committed_city, settings):
    first = _warm(city_summary)
    again, counted_again = _queries(city_summary)
    assert again == first and counted_again == 0  # read back from Redis: not one query

    # A QuerySet.update() sends no signal; the wrapper on the connection sees its SQL all the same.
    Problem.objects.filter(pk=_open_problem().pk).update(status=ProblemStatus.CLOSED, closed_at=timezone.now())
    after = city_summary()
    assert after["problems"]["closed"] == first["problems"]["closed"] + 1
    assert after == _fresh(settings, city_summary)


def test_a_write_from_another_connection_is_seen_on_the_next_read(committed_city, settings):
    before = city_summary()
    problem = _open_problem()

    def close_elsewhere():
        with transaction.atomic():
            Problem.objects.filter(pk=problem.pk).update(status=ProblemStatus.CLOSED, closed_at=timezone.now())

    assert run_together([close_elsewhere]) == [("ok", None)]
    assert city_summary()["problems"]["closed"] == before["problems"]["closed"] + 1


def test_ones_own_uncommitted_write_is_counted_but_not_kept(committed_city):
    before = _warm(city_summary)
    with pytest.raises(RuntimeError), transaction.atomic():
        Problem.objects.filter(pk=_open_problem().pk).update(status=ProblemStatus.CLOSED, closed_at=timezone.now())
        inside = city_summary()
        assert inside["problems"]["closed"] == before["problems"]["closed"] + 1
        raise RuntimeError("rolled back")
    assert city_summary() == before  # the rolled-back figure was never kept


@transaction.atomic
def _close_in_a_service(problem_id):
    """A write in a decorated service: Django reuses one ``Atomic`` object for every call of the function."""
    Problem.objects.filter(pk=problem_id).update(status=ProblemStatus.CLOSED, closed_at=timezone.now())


def test_every_call_of_an_atomic_decorated_service_moves_the_figure_on(committed_city, settings):
    problems = list(Problem.objects.exclude(status=ProblemStatus.CLOSED).order_by("id").values_list("id", flat=True))
    before = _warm(city_summary)
    for n, problem_id in enumerate(problems[:3], start=1):
        _close_in_a_service(problem_id)
        after = city_summary()
        assert after["problems"]["closed"] == before["problems"]["closed"] + n
    assert after == _fresh(settings, city_summary)


def test_a_write_in_a_rolled_back_savepoint_is_forgotten_and_the_outer_write_is_not(committed_city, settings):
    first, second = Problem.objects.exclude(status=ProblemStatus.CLOSED).order_by("id").values_list("id", flat=True)[:2]
    before = _warm(city_summary)
    with transaction.atomic():
        _close_in_a_service(first)
        with pytest.raises(RuntimeError), transaction.atomic():
            _close_in_a_service(second)
            raise RuntimeError("rolled back")
        inside = city_summary()  # one's own write counted, not kept
        assert inside["problems"]["closed"] == before["problems"]["closed"] + 1
    assert city_summary()["problems"]["closed"] == before["problems"]["closed"] + 1
    assert city_summary() == _fresh(settings, city_summary)


def test_concurrent_writers_and_readers_end_on_the_true_figures(committed_city, settings):
    problems = list(Problem.objects.exclude(status=ProblemStatus.CLOSED).order_by("id").values_list("id", flat=True))
    assert len(problems) >= 4
    _warm(city_summary)

    def overdue(pk):
        def run():
            with transaction.atomic():
                Problem.objects.filter(pk=pk).update(deadline=timezone.localdate() - timedelta(days=2))

        return run

    results = run_together([overdue(pk) for pk in problems[:4]] + [city_summary] * 4)
    assert [outcome for outcome, _ in results] == ["ok"] * 8, results
    assert city_summary() == _fresh(settings, city_summary)


def test_the_league_and_the_cockpit_are_kept_and_renewed_by_writes(committed_city, settings):
    divisions = list(Division.objects.all())
    league = _warm(lambda: district_rows(divisions))
    assert _queries(lambda: district_rows(divisions)) == (league, 0)
    scope = cockpit_scope(committed_city["hq"])
    seen = _warm(lambda: cockpit(scope))
    assert _queries(lambda: cockpit(scope)) == (seen, 0)

    Problem.objects.filter(pk=_open_problem().pk).update(deadline=timezone.localdate() - timedelta(days=3))
    assert district_rows(divisions) == _fresh(settings, lambda: district_rows(divisions))
    assert cockpit(scope) == _fresh(settings, lambda: cockpit(scope))


def test_a_write_computes_again_only_the_cockpit_parts_that_read_its_table(committed_city, settings, monkeypatch):
    # From a process that has learned nothing: what earlier tests taught it could let the whole be kept on the first
    # read while a part that read a table for the first time is not, until the whole is computed again.
    monkeypatch.setattr(figures, "_learned", {})
    scope = cockpit_scope(committed_city["hq"])
    _warm(lambda: cockpit(scope))
    Problem.objects.filter(pk=_open_problem().pk).update(deadline=timezone.localdate() - timedelta(days=3))
    with CaptureQueriesContext(connection) as queries:
        renewed = cockpit(scope)
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert "inspections_problem" in read  # the problems' part is computed again …
    assert "volunteers_" not in read and "supervision_supervisioncard" not in read  # … the others are read back
    assert renewed == _fresh(settings, lambda: cockpit(scope))


def test_a_figure_as_of_another_minute_is_computed_again(committed_city):
    hq = committed_city["hq"]
    now = timezone.now()
    _warm(lambda: cockpit(cockpit_scope(hq, now=now)))
    assert _queries(lambda: cockpit(cockpit_scope(hq, now=now)))[1] == 0
    assert _queries(lambda: cockpit(cockpit_scope(hq, now=now + timedelta(minutes=1))))[1] > 0


def test_rows_copied_around_the_cursor_move_the_figure_on(committed_city):
    _warm(city_summary)
    table = Problem._meta.db_table
    figures.written_around_the_cursor(table)  # what campaigns/bulkload.py's COPY says after it wrote
    assert _queries(city_summary)[1] > 0


def test_with_the_cache_server_away_figures_are_computed_and_writes_commit(committed_city, settings):
    expected = _fresh(settings, city_summary)
    away = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    with override_settings(CACHES=away):
        assert city_summary() == expected
        problem = _open_problem()
        Problem.objects.filter(pk=problem.pk).update(status=ProblemStatus.CLOSED, closed_at=timezone.now())
        assert Problem.objects.get(pk=problem.pk).status == ProblemStatus.CLOSED
        assert city_summary()["problems"]["closed"] == expected["problems"]["closed"] + 1


# --- the API's lists, kept per reader and query (campaigns/api/kept.py) ---------------------------------------------


def _list(api, user, path):
    client = api(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return response.json(), len(queries)


def test_a_list_is_kept_for_its_reader_and_moved_on_by_a_write(committed_city, api_as):
    officer = committed_city["officer-pingcheng"]
    path = "/api/v1/problems/?page_size=50"
    first, _ = _list(api_as, officer, path)
    _list(api_as, officer, path)  # the first computation in a process learns the tables
    again, counted = _list(api_as, officer, path)
    assert again == first and counted <= 2  # the token and nothing else

    problem = Problem.objects.filter(pk__in=[row["id"] for row in first["results"]]).order_by("id").first()
    Problem.objects.filter(pk=problem.pk).update(deadline=timezone.localdate() - timedelta(days=9))
    after, _ = _list(api_as, officer, path)
    row = next(row for row in after["results"] if row["id"] == problem.pk)
    assert row["deadline"] == (timezone.localdate() - timedelta(days=9)).isoformat()


def test_another_reader_never_gets_the_first_readers_copy(committed_city, api_as):
    path = "/api/v1/problems/?page_size=200"
    pingcheng, _ = _list(api_as, committed_city["officer-pingcheng"], path)
    _list(api_as, committed_city["officer-pingcheng"], path)
    yungang, _ = _list(api_as, committed_city["officer-yungang"], path)
    names = {division.pk: division.name for division in Division.objects.all()}
    assert {names[row["division"]] for row in pingcheng["results"]} == {"平城区"}
    assert {names[row["division"]] for row in yungang["results"]} <= {"云冈区"}
    assert not {row["id"] for row in pingcheng["results"]} & {row["id"] for row in yungang["results"]}


def test_a_bad_query_is_answered_every_time_and_not_kept(committed_city, api_as):
    client = api_as(committed_city["hq"])
    for _ in range(3):
        response = client.get("/api/v1/problems/?status=nonsense")
        assert response.status_code == 400 and "选择" in response.content.decode()


def test_a_computation_that_writes_is_never_kept(committed_city):
    from campaigns.models import Notification

    hq = committed_city["hq"]

    def logged_read():
        Notification.objects.create(recipient=hq, kind="test", title="读取记录")
        return Problem.objects.count()

    for _ in range(3):
        figures.kept("a-logged-read", ("city",), timezone.now(), logged_read)
    assert Notification.objects.filter(recipient=hq, kind="test").count() == 3


def test_a_figure_around_a_kept_figure_is_moved_on_by_the_inner_figures_tables(committed_city):
    now = timezone.now()

    def inner():
        return figures.kept("test-inner", ("city",), now, Problem.objects.filter(status=ProblemStatus.CLOSED).count)

    def outer():
        return figures.kept("test-outer", ("city",), now, lambda: {"closed": inner()})

    _warm(inner)  # kept before the outer figure is first computed: the outer one never reads a row itself
    first = _warm(outer)
    assert _queries(outer) == (first, 0)
    Problem.objects.filter(pk=_open_problem().pk).update(status=ProblemStatus.CLOSED, closed_at=timezone.now())
    assert outer() == {"closed": first["closed"] + 1}


def test_a_tokens_holder_is_kept_until_the_account_or_the_token_changes(committed_city):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from campaigns.models import Unit, User

    officer = committed_city["officer-pingcheng"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=officer).key}")
    _warm(lambda: client.get("/api/v1/me/"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/me/").status_code == 200
    assert not [q for q in queries if "authtoken_token" in q["sql"]]  # the holder came from the cache

    other = Unit.objects.exclude(pk=officer.unit_id).filter(division__isnull=False).first()
    User.objects.filter(pk=officer.pk).update(unit=other)
    assert client.get("/api/v1/me/").json()["unit"] == other.pk  # a new unit counts at once
    User.objects.filter(pk=officer.pk).update(is_active=False)
    assert client.get("/api/v1/me/").status_code == 401  # so does a deactivation
    User.objects.filter(pk=officer.pk).update(is_active=True)
    assert client.get("/api/v1/me/").status_code == 200
    Token.objects.filter(user=officer).delete()
    assert client.get("/api/v1/me/").status_code == 401  # and a revoked token


def _body(page) -> str:
    """The kept part of the home page: from the cockpit's figures to the end of the panels (no CSRF token).

    A kept part is as of the minute it was computed in: each app's part of the cockpit is kept on its own, so a link
    whose filter holds the instant (the reports due in the last seven days) may carry a second of another moment
    within the minute than a fresh render's. Seconds in such links are left out of the comparison."""
    html = page.content.decode()
    return re.sub(
        r"(T\d\d%3A\d\d%3A)\d\d", r"\g<1>00", html[html.index('id="cockpit-figures"') : html.index("</main>")]
    )


@pytest.mark.parametrize("username", ["hq", "officer-pingcheng"])
def test_the_home_page_body_is_kept_and_renewed_by_a_write(committed_city, client, settings, username):
    client.force_login(committed_city[username])
    _warm(lambda: client.get("/"))
    with CaptureQueriesContext(connection) as queries:
        kept_page = client.get("/")
    # the session, its user, unit and division, the header's unread count: none of the cockpit's or the panels'
    assert len(queries) <= 6, [query["sql"][:120] for query in queries]

    problem = Problem.objects.exclude(status=ProblemStatus.CLOSED).filter(division__name="平城区").first()
    Problem.objects.filter(pk=problem.pk).update(deadline=timezone.localdate() - timedelta(days=3))
    renewed = _body(client.get("/"))
    assert renewed != _body(kept_page)  # the overdue problem shows at once
    assert renewed == _body(_fresh(settings, lambda: client.get("/")))


@pytest.mark.parametrize("username", ["hq", "officer-pingcheng", "leader"])
def test_every_home_panel_is_kept(committed_city, client, username):
    client.force_login(committed_city[username])
    for _ in range(2):
        assert client.get("/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/")
    assert page.status_code == 200
    assert not {name for name in figures._unkeepable if name.startswith("home:")}
    # The session, its user and unit; not one panel's figures.
    assert len(queries) <= 6, [query["sql"][:120] for query in queries]
