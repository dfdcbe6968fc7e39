"""The cockpit (驾驶舱) and its command-room screen (大屏): who may open them, figures equal to hand-computed values on a
hand-built division, links to the records behind each figure, and a query count that does not grow with the data."""

from datetime import timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.cockpit import CockpitScope
from campaigns.models import Division
from datong_portal.dashboard.cockpit import cockpit
from inspections.choices import ProblemStatus
from inspections.models import Inspection, Point, Problem, Standard
from supervision.choices import CardSource, CardStatus
from supervision.models import SupervisionCard
from taskforces.choices import ReportKind, ReportStatus
from taskforces.models import Report
from volunteers.models import DivisionVolunteerDay, DivisionVolunteerStats

_numbers = count(1)


# --- building records by hand -------------------------------------------------------------------------------------


def _card(division, unit, issuer, *, issued, deadline, status=CardStatus.ISSUED, closed=None, **extra):
    n = next(_numbers)
    return SupervisionCard.objects.create(
        year=2099,
        sequence=n,
        number=f"督办〔2099〕第{n}号",
        title=f"驾驶舱测试卡 {n}",
        description="测试",
        source=CardSource.INSPECTION,
        issued_by=issuer,
        issued_at=issued,
        assignee_unit=unit,
        division=division,
        deadline=deadline,
        original_deadline=deadline,
        status=status,
        closed_at=closed,
        **extra,
    )


def _report(unit, *, due, status=ReportStatus.EXPECTED, late=False):
    submitted = None if status == ReportStatus.EXPECTED else due - timedelta(hours=1)
    return Report.objects.create(
        unit=unit,
        kind=ReportKind.WEEKLY,
        period=f"T{next(_numbers)}",
        due_at=due,
        status=status,
        submitted_at=submitted,
        is_late=late,
    )


def _point(division, unit):
    standard = Standard.objects.select_related("category").first()
    point = Point.objects.create(
        code=f"CK-{next(_numbers)}",
        name="驾驶舱测试点位",
        category=standard.category,
        division=division,
        responsible_unit=unit,
    )
    return point, standard


def _problem(division, unit, finder, *, found, deadline, status=ProblemStatus.DISPATCHED, closed=None):
    point, standard = _point(division, unit)  # one open problem per point and standard: a point of its own
    return Problem.objects.create(
        point=point,
        standard=standard,
        division=point.division,
        responsible_unit=point.responsible_unit,
        description="驾驶舱测试问题",
        status=status,
        found_by=finder,
        found_at=found,
        last_found_at=found,
        deadline=deadline,
        closed_at=closed,
    )


def _visit(point, inspector, *, at, passed, applicable):
    return Inspection.objects.create(
        point=point,
        division=point.division,
        inspector=inspector,
        inspected_at=at,
        weighted_passed=Decimal(passed),
        weighted_applicable=Decimal(applicable),
    )


def _untouched_division():
    """A division the demo set has no cards, reports, problems or visits in: its figures are ours alone."""
    for division in Division.objects.order_by("-code"):
        if not (
            SupervisionCard.objects.filter(division=division).exists()
            or Report.objects.filter(unit__division=division).exists()
            or Problem.objects.filter(division=division).exists()
            or Inspection.objects.filter(division=division).exists()
        ):
            return division
    raise AssertionError("every division holds demo records")


@pytest.fixture
def built(hq, government):
    """One division with records whose figures are worked out by hand in the test below."""
    division = _untouched_division()
    unit = government(division)
    now = timezone.now()
    today = timezone.localdate(now)
    days = timedelta(days=1)
    long_ago = now - 20 * days
    cards = {
        "open": _card(division, unit, hq, issued=long_ago, deadline=today + 5 * days),
        "escalated": _card(
            division,
            unit,
            hq,
            issued=long_ago,
            deadline=today - 10 * days,
            status=CardStatus.ACKNOWLEDGED,
            flagged_at=now - 7 * days,
        ),
        "newly_overdue": _card(division, unit, hq, issued=long_ago, deadline=today - 3 * days),
        "closed": _card(
            division,
            unit,
            hq,
            issued=long_ago,
            deadline=today + 2 * days,
            status=CardStatus.CLOSED,
            closed=now - 2 * days,
        ),
        "new": _card(division, unit, hq, issued=now - 3 * days, deadline=today + 10 * days),
        "withdrawn": _card(
            division,
            unit,
            hq,
            issued=long_ago,
            deadline=today + 5 * days,
            status=CardStatus.WITHDRAWN,
            status_changed_at=now - 10 * days,
        ),
        "closed_yesterday": _card(
            division, unit, hq, issued=long_ago, deadline=today + 5 * days, status=CardStatus.CLOSED, closed=now - days
        ),
    }
    reports = {
        "on_time": _report(unit, due=now - 3 * days, status=ReportStatus.SUBMITTED),
        "missing": _report(unit, due=now - 2 * days),
        "late": _report(unit, due=now - 4 * days, status=ReportStatus.SUBMITTED, late=True),
        "accepted": _report(unit, due=now - 10 * days, status=ReportStatus.ACCEPTED),
        "returned": _report(unit, due=now - 9 * days, status=ReportStatus.RETURNED),
        "not_yet_due": _report(unit, due=now + 2 * days),
    }
    point, _ = _point(division, unit)
    problems = {
        "open": _problem(division, unit, hq, found=now - 2 * days, deadline=today + 5 * days),
        "closed": _problem(
            division,
            unit,
            hq,
            found=now - 3 * days,
            deadline=today + 3 * days,
            status=ProblemStatus.CLOSED,
            closed=now - days,
        ),
        "closed_last_week": _problem(
            division,
            unit,
            hq,
            found=now - 10 * days,
            deadline=today - 5 * days,
            status=ProblemStatus.CLOSED,
            closed=now - 9 * days,
        ),
        "overdue": _problem(division, unit, hq, found=now - 12 * days, deadline=today - 2 * days),
        "found_this_week": _problem(division, unit, hq, found=now - 4 * days, deadline=today + days),
    }
    _visit(point, hq, at=now - 2 * days, passed="8", applicable="10")
    _visit(point, hq, at=now - 20 * days, passed="3", applicable="5")
    DivisionVolunteerStats.objects.update_or_create(
        division=division, defaults={"registered": 10, "with_service_hours": 4, "ratings": 5, "satisfied_ratings": 4}
    )
    return {"division": division, "now": now, "cards": cards, "reports": reports, "problems": problems}


def _figures(data) -> dict:
    return {f["key"]: f for f in data["figures"]}


def test_cockpit_figures_equal_the_hand_computed_values_of_a_built_division(built):
    data = cockpit(CockpitScope(now=built["now"], division=built["division"]))
    figures = _figures(data)
    # open now: open, escalated, newly_overdue, new; a week ago: open, escalated, newly_overdue, closed, closed_yesterday
    assert (figures["cards_open"]["value"], figures["cards_open"]["previous"], figures["cards_open"]["change"]) == (
        4,
        5,
        -1,
    )
    # overdue now: escalated (10 days) and newly_overdue (3 days); a week ago only escalated's deadline had passed
    assert (figures["cards_overdue"]["value"], figures["cards_overdue"]["previous"]) == (2, 1)
    # due in the last 7 days: on_time, missing, late → 1 of 3 on time; the 7 before: accepted, returned → 2 of 2
    assert (figures["report_punctuality"]["value"], figures["report_punctuality"]["previous"]) == (33.3, 100.0)
    assert figures["report_punctuality"]["change"] == -66.7
    # found in the last 7 days: open, closed, found_this_week; the 7 before: closed_last_week, overdue
    assert (figures["problems_found"]["value"], figures["problems_found"]["previous"]) == (3, 2)
    assert (figures["problems_closed"]["value"], figures["problems_closed"]["previous"]) == (1, 1)
    # (8 + 3) / (10 + 5) now; only the older visit (3 / 5) a week ago
    assert (figures["score_rate"]["value"], figures["score_rate"]["previous"]) == (73.3, 60.0)
    assert figures["score_rate"]["change"] == 13.3
    assert (figures["activity_rate"]["value"], figures["satisfaction_rate"]["value"]) == (40.0, 80.0)
    assert figures["activity_rate"]["change"] is None  # no day of last week kept: no made-up change

    todo = {t["key"]: t for t in data["todo"]}
    assert todo["escalated_cards"]["count"] == 1
    assert todo["escalated_cards"]["items"][0]["label"].startswith(built["cards"]["escalated"].number)
    assert todo["missing_reports"]["count"] == 1 and todo["returned_reports"]["count"] == 1
    assert todo["overdue_problems"]["count"] == 1
    assert todo["overdue_problems"]["items"][0]["url"] == f"/inspections/problems/{built['problems']['overdue'].pk}/"

    charts = {c["key"]: c for c in data["charts"]}
    assert len(charts["punctuality_by_week"]["labels"]) == 8
    opened, closed = charts["problems_opened_closed"]["datasets"]
    assert sum(opened["data"]) == 5 and sum(closed["data"]) == 2  # every problem was found, two closed, within 8 weeks
    running, overdue, closed_cards = charts["cards_by_status"]["datasets"]
    assert (running["data"][-1], overdue["data"][-1], closed_cards["data"][-1]) == (2, 2, 2)  # as of now
    assert [row["division"] for row in data["league"]["rows"]] == [built["division"].pk]


def test_the_volunteer_rates_change_since_the_day_kept_a_week_ago(built):
    division, today = built["division"], timezone.localtime(built["now"]).date()
    # 8 days ago (the latest day at least a week back) stands for last week; 3 days ago and 20 days ago do not
    for days_back, registered, active, ratings, satisfied in ((8, 10, 3, 4, 2), (3, 10, 1, 1, 1), (20, 5, 5, 5, 5)):
        DivisionVolunteerDay.objects.create(
            division=division,
            day=today - timedelta(days=days_back),
            registered=registered,
            with_service_hours=active,
            ratings=ratings,
            satisfied_ratings=satisfied,
        )
    figures = _figures(cockpit(CockpitScope(now=built["now"], division=division)))
    assert (figures["activity_rate"]["previous"], figures["activity_rate"]["change"]) == (30.0, 10.0)
    assert (figures["satisfaction_rate"]["previous"], figures["satisfaction_rate"]["change"]) == (50.0, 30.0)


def test_every_figure_links_to_a_list_of_exactly_its_records(client_as, hq, built):
    division = built["division"]
    figures = _figures(cockpit(CockpitScope(now=timezone.now(), division=division)))
    client = client_as(hq)
    expectations = {
        "cards_open": ["open", "escalated", "newly_overdue", "new"],
        "cards_overdue": ["escalated", "newly_overdue"],
    }
    for key, names in expectations.items():
        url = figures[key]["url"]
        assert f"division={division.pk}" in url
        html = client.get(url).content.decode()
        for name, card in built["cards"].items():
            assert (card.number in html) == (name in names), (key, name)
    problems = client.get(figures["problems_found"]["url"]).content.decode()
    closed = client.get(figures["problems_closed"]["url"]).content.decode()
    for name, problem in built["problems"].items():
        link = f"/inspections/problems/{problem.pk}/"
        assert (link in problems) == (name in {"open", "closed", "found_this_week"}), name
        assert (link in closed) == (name == "closed"), name
    api = client.get(figures["report_punctuality"]["url"].replace("/reports/", "/api/v1/reports/")).json()
    listed = {row["id"] for row in api["results"]}
    reports = built["reports"]
    assert listed == {reports[name].pk for name in ("on_time", "missing", "late")}


def test_the_cockpit_api_and_the_home_page_show_the_same_figures(api_as, client_as, hq, built):
    division = built["division"]
    data = api_as(hq).get(f"/api/v1/dashboard/cockpit/?division={division.pk}").json()
    assert _figures(data)["cards_open"]["value"] == 4
    assert data["scope"] == {"division": division.pk, "leader": None, "name": division.name}
    html = client_as(hq).get(f"/?division={division.pk}").content.decode()
    assert f"{division.name} · 创城驾驶舱" in html
    assert 'data-figure="cards_overdue"' in html and 'data-chart="stacked"' in html and "逾期三日、七日的督办卡" in html


def test_headquarters_home_is_the_city_cockpit_with_every_division_in_the_league(client_as, hq):
    html = client_as(hq).get("/").content.decode()
    assert "创城工作全景 · 驾驶舱" in html and 'id="cockpit-league"' in html
    assert html.count('href="/league/') >= Division.objects.count()
    assert "vendor/echarts.min.js" in html and "chart.umd" not in html


def test_an_officers_cockpit_is_their_own_division(client_as, api_as, officer_pingcheng, pingcheng, yungang):
    html = client_as(officer_pingcheng).get("/").content.decode()
    assert "平城区 · 创城驾驶舱" in html and "云冈区" not in html.split('id="cockpit-league"')[1].split("</table>")[0]
    data = api_as(officer_pingcheng).get("/api/v1/dashboard/cockpit/").json()
    assert data["scope"]["division"] == pingcheng.pk
    assert [row["division"] for row in data["league"]["rows"]] == [pingcheng.pk]
    expected = cockpit(CockpitScope(now=timezone.now(), division=pingcheng))
    assert [(f["key"], f["value"]) for f in data["figures"]] == [(f["key"], f["value"]) for f in expected["figures"]]


def test_a_city_leaders_cockpit_is_their_fields(client_as, api_as, leader, hq, government):
    division = _untouched_division()
    not_theirs = _card(
        division, government(division), hq, issued=timezone.now(), deadline=timezone.localdate() + timedelta(days=3)
    )
    data = api_as(leader).get("/api/v1/dashboard/cockpit/").json()
    assert data["scope"] == {"division": None, "leader": leader.pk, "name": f"{leader} · 分管领域"}
    figures = _figures(data)
    theirs = SupervisionCard.objects.open().filter(responsible_leader=leader)
    assert theirs.exists() and theirs.count() < SupervisionCard.objects.open().count()
    assert figures["cards_open"]["value"] == theirs.count()
    assert f"leader={leader.pk}" in figures["cards_open"]["url"]
    listed = api_as(leader).get(figures["cards_open"]["url"].replace("/supervision/", "/api/v1/supervision-cards/"))
    assert {row["id"] for row in listed.json()["results"]} == set(theirs.values_list("pk", flat=True))
    assert not_theirs.pk not in {row["id"] for row in listed.json()["results"]}
    todo = {t["key"]: t for t in data["todo"]}
    missing = Report.objects.filter(leader=leader, status=ReportStatus.EXPECTED, due_at__lt=timezone.now())
    assert todo["missing_reports"]["count"] == missing.count()
    assert f"{leader} · 分管领域 · 创城驾驶舱" in client_as(leader).get("/").content.decode()


@pytest.mark.parametrize("path", ["/", "/screen/", "/api/v1/dashboard/cockpit/"])
def test_an_officer_cannot_open_another_divisions_cockpit(client_as, api_as, officer_pingcheng, yungang, path):
    client = api_as(officer_pingcheng) if path.startswith("/api/") else client_as(officer_pingcheng)
    response = client.get(f"{path}?division={yungang.pk}")
    assert response.status_code == 404
    assert "云冈区" not in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/screen/"])
def test_strangers_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_api_refuses_strangers(client):
    assert client.get("/api/v1/dashboard/cockpit/").status_code == 401


def test_the_screen_has_no_navigation_and_refreshes_from_the_api(client_as, hq):
    html = client_as(hq).get("/screen/?refresh=2").content.decode()
    assert 'data-refresh-seconds="2"' in html and 'data-source="/api/v1/dashboard/cockpit/"' in html
    assert "navbar" not in html and 'data-chart-theme="dark"' in html
    assert 'data-refresh-seconds="30"' in client_as(hq).get("/screen/").content.decode()


@pytest.mark.parametrize("refresh", ["0", "abc", "99999", "-1"])
def test_a_bad_refresh_interval_is_a_chinese_400(client_as, hq, refresh):
    response = client_as(hq).get(f"/screen/?refresh={refresh}")
    assert response.status_code == 400 and "刷新间隔" in response.content.decode()


def _more(hq, government, rounds):
    """Add ``rounds`` cards, reports, problems and visits in every division."""
    now, today = timezone.now(), timezone.localdate()
    for division in Division.objects.all():
        unit = government(division)
        point, _ = _point(division, unit)
        for n in range(rounds):
            _card(division, unit, hq, issued=now - timedelta(days=n), deadline=today - timedelta(days=n % 9 - 4))
            _report(unit, due=now - timedelta(days=n))
            _problem(division, unit, hq, found=now - timedelta(days=n), deadline=today - timedelta(days=n % 5))
            _visit(point, hq, at=now - timedelta(days=n), passed="1", applicable="2")


def test_the_cockpit_costs_the_same_number_of_queries_at_two_data_sizes(api_as, hq, government):
    api = api_as(hq)
    scope = CockpitScope(now=timezone.now())

    def counts():
        cockpit(scope)  # warm: the content types and the like are cached after the first call
        with CaptureQueriesContext(connection) as selectors:
            cockpit(CockpitScope(now=timezone.now()))
        with CaptureQueriesContext(connection) as endpoint:
            assert api.get("/api/v1/dashboard/cockpit/").status_code == 200
        return len(selectors), len(endpoint)

    _more(hq, government, 2)
    small = counts()
    _more(hq, government, 12)  # seven times the records
    large = counts()
    assert large == small
    assert small[0] <= 30  # a fixed handful per part, not one per row
