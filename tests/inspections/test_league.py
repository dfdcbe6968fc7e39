"""The league table on a hand-built case: the formulas, the period's scope, the rank and its movement."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from campaigns.league import district_rows
from campaigns.models import Division
from campaigns.periods import parse_period
from inspections.choices import ProblemStatus
from inspections.models import Inspection, Point, Problem

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day, hour=10):
    return datetime(2022, 8, day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def league_case(point, yungang_point, standards, supervisor):
    """2022-W33 (15–21 Aug) and 2022-W34 (22–28 Aug) in 平城区 and 云冈区.

    W33: 平城 scores 10/10 = 100.0 and has problems found but none closed nor yet overdue (100.0); 云冈 scores
         5/10 = 50.0 and has no problem yet → 平城 1st, 云冈 2nd.
    W34: 平城 scores (4 + 2)/(5 + 5) = 60.0; its problems: one closed on time, one closed late, one open and overdue,
         one closed only after the week (overdue at the week's end), one found this week and not yet due:
         on time 1 ÷ (2 closed + 2 overdue) = 25.0 → mean 42.5.
         云冈 scores 9/10 = 90.0, one problem closed on time → 100.0 → mean 95.0: 云冈 1st (▲1), 平城 2nd (▼1).
    """

    def visit(target, day, passed, applicable="10"):
        return Inspection.objects.create(
            point=target,
            division=target.division,
            inspector=supervisor,
            inspected_at=at(day),
            weighted_passed=Decimal(passed),
            weighted_applicable=Decimal(applicable),
        )

    def problem(target, standard, *, status, found, deadline, closed=None):
        return Problem.objects.create(
            point=target,
            standard=standard,
            division=target.division,
            responsible_unit=target.responsible_unit,
            description="测试问题",
            status=status,
            found_by=supervisor,
            found_at=found,
            deadline=deadline,
            closed_at=closed,
        )

    visit(point, 16, "10")
    visit(yungang_point, 17, "5")
    visit(point, 23, "4", "5")
    visit(point, 24, "2", "5")
    visit(yungang_point, 24, "9")

    closed = ProblemStatus.CLOSED
    a, b, c = standards
    extra = Point.objects.create(
        code="T-PC-002",
        name="平城区第二点位",
        category=point.category,
        division=point.division,
        responsible_unit=point.responsible_unit,
    )
    problem(point, a, status=closed, found=at(16), deadline=date(2022, 8, 25), closed=at(24))  # on time
    problem(point, b, status=closed, found=at(16), deadline=date(2022, 8, 22), closed=at(23))  # late
    problem(point, a, status=ProblemStatus.DISPATCHED, found=at(17), deadline=date(2022, 8, 25))  # overdue
    problem(point, c, status=closed, found=at(17), deadline=date(2022, 8, 26), closed=at(30))  # overdue at the end
    problem(extra, a, status=ProblemStatus.DISPATCHED, found=at(24), deadline=date(2022, 9, 5))  # not yet due
    problem(extra, b, status=closed, found=at(1), deadline=date(2022, 8, 5), closed=at(3))  # earlier week: out
    problem(yungang_point, a, status=closed, found=at(22), deadline=date(2022, 8, 30), closed=at(26))


def rows_by_name(period):
    return {row["division_name"]: row for row in district_rows(list(Division.objects.all()), parse_period(period))}


def test_league_table_computes_each_rate_for_the_period_and_ranks_by_their_mean(league_case):
    rows = rows_by_name("2022-W34")
    pingcheng, yungang = rows["平城区"], rows["云冈区"]
    assert pingcheng["score_rate"] == 60.0
    assert pingcheng["on_time_closure_rate"] == 25.0
    assert pingcheng["problems_overdue"] == 2
    assert pingcheng["visits"] == 2
    assert yungang["score_rate"] == 90.0
    assert yungang["on_time_closure_rate"] == 100.0
    assert (yungang["rank"], pingcheng["rank"]) == (1, 2)


def test_league_table_gives_the_previous_periods_rank_and_the_movement(league_case):
    rows = rows_by_name("2022-W34")
    assert (rows["云冈区"]["previous_rank"], rows["云冈区"]["movement"]) == (2, 1)
    assert (rows["平城区"]["previous_rank"], rows["平城区"]["movement"]) == (1, -1)
    before = rows_by_name("2022-W33")
    assert (before["平城区"]["score_rate"], before["云冈区"]["score_rate"]) == (100.0, 50.0)
    assert (before["平城区"]["rank"], before["云冈区"]["rank"]) == (1, 2)


def test_a_division_without_visits_or_problems_has_no_rate_not_zero(league_case):
    rows = rows_by_name("2022-W34")
    quiet = next(row for name, row in rows.items() if name not in {"平城区", "云冈区"})
    assert quiet["score_rate"] is None
    assert quiet["on_time_closure_rate"] is None


def test_the_month_counts_every_visit_and_problem_of_the_month(league_case):
    rows = rows_by_name("2022-08")
    # visits (10 + 4 + 2) ÷ 20; closed in August: 4, of which on time 2 (the 24th and the 3rd); open and overdue
    # at the month's end: 1 (the one due 5 September is not) → 2 ÷ (4 + 1)
    assert rows["平城区"]["score_rate"] == 80.0
    assert rows["平城区"]["on_time_closure_rate"] == 40.0
    assert "previous_rank" in rows["平城区"]


@pytest.mark.parametrize("label", ["2022-W54", "2022-13", "1999-08", "2101-W01", "2022-8", "W34", "2022-W00", "今天"])
def test_malformed_or_out_of_range_periods_are_refused_in_chinese(label):
    with pytest.raises(ValidationError) as error:
        parse_period(label)
    assert "周期格式" in str(error.value)


def test_periods_are_shanghai_weeks_and_months():
    w = parse_period("2022-W34")
    assert (w.first_day, w.last_day, w.previous().label) == (date(2022, 8, 22), date(2022, 8, 28), "2022-W33")
    m = parse_period("2022-01")
    assert (m.first_day, m.last_day, m.previous().label) == (date(2022, 1, 1), date(2022, 1, 31), "2021-12")
    assert w.start.utcoffset().total_seconds() == 8 * 3600


def test_districts_endpoint_takes_a_period_and_adds_the_previous_rank(api_as, hq, league_case):
    answer = api_as(hq).get("/api/v1/dashboard/districts/?period=2022-W34")
    assert answer.status_code == 200
    rows = {row["division_name"]: row for row in answer.json()}
    assert rows["云冈区"]["movement"] == 1
    assert rows["平城区"]["previous_rank"] == 1
    plain = api_as(hq).get("/api/v1/dashboard/districts/").json()
    assert "previous_rank" not in plain[0]


def test_districts_endpoint_refuses_a_malformed_period_with_400(api_as, hq):
    answer = api_as(hq).get("/api/v1/dashboard/districts/?period=2022-W99")
    assert answer.status_code == 400
    assert "周期格式" in answer.json()["period"][0]


def test_officer_sees_only_their_own_division_with_its_city_rank(api_as, officer_pingcheng, league_case):
    rows = api_as(officer_pingcheng).get("/api/v1/dashboard/districts/?period=2022-W34").json()
    assert [(row["division_name"], row["rank"], row["movement"]) for row in rows] == [("平城区", 2, -1)]


def test_summary_gains_problems_and_inspections(api_as, hq, request):
    before = api_as(hq).get("/api/v1/dashboard/summary/").json()
    assert set(before["problems"]) == {"open", "overdue", "closed", "on_time_closure_rate"}
    request.getfixturevalue("league_case")  # on top of the demo set: 2 more open (both overdue by now), 5 closed
    after = api_as(hq).get("/api/v1/dashboard/summary/").json()
    assert after["problems"]["open"] - before["problems"]["open"] == 2
    assert after["problems"]["overdue"] - before["problems"]["overdue"] == 2
    assert after["problems"]["closed"] - before["problems"]["closed"] == 5
    weights = Inspection.objects.aggregate(p=Sum("weighted_passed"), a=Sum("weighted_applicable"))
    assert after["inspections"]["score_rate"] == float(round(weights["p"] * 100 / weights["a"], 1))


def test_league_page_shows_ranks_movement_and_links_to_the_records_behind(client_as, hq, league_case):
    page = client_as(hq).get("/league/?period=2022-W34").content.decode()
    assert "▲1" in page and "▼1" in page
    assert "/inspections/problems/?division=" in page and "period=2022-W34" in page
    assert 'data-chart="bar"' in page


def test_league_page_for_an_officer_shows_only_their_division(client_as, officer_pingcheng, league_case):
    page = client_as(officer_pingcheng).get("/league/?period=2022-W34").content.decode()
    assert 'data-division="平城区"' in page and 'data-division="云冈区"' not in page


def test_league_page_explains_a_malformed_period_instead_of_failing(client_as, hq):
    answer = client_as(hq).get("/league/?period=2022-W77")
    assert answer.status_code == 200
    assert "周期格式" in answer.content.decode()


def test_the_problem_list_behind_a_figure_filters_by_division_and_period(api_as, hq, pingcheng, league_case):
    answer = api_as(hq).get(f"/api/v1/problems/?division={pingcheng.pk}&period=2022-W34")
    assert answer.status_code == 200
    # closed in the week (2), open and overdue at its end (2), found in the week and not yet due (1)
    assert answer.json()["count"] == 5
    assert api_as(hq).get("/api/v1/problems/?period=2022-W99").status_code == 400


def test_division_breakdown_lists_the_points_and_the_standards_that_lost_marks(client_as, hq, pingcheng, league_case):
    page = client_as(hq).get(f"/league/{pingcheng.pk}/?period=2022-W34").content.decode()
    assert "T-PC-001" in page
    assert client_as(hq).get("/league/999999/").status_code == 404


def test_an_officer_cannot_open_another_divisions_breakdown(client_as, officer_pingcheng, yungang):
    assert client_as(officer_pingcheng).get(f"/league/{yungang.pk}/").status_code == 404


def test_the_summary_and_the_league_rate_problems_inside_their_deadlines_alike(
    api_as, hq, point, standards, supervisor
):
    """Problems found, none closed, none overdue: on time so far — 100.0 in the league row and in the summary alike;
    no problems at all: nothing to rate (the league's null, the summary's 0.0)."""
    quiet = Division.objects.create(code="140299", name="测试新区", pinyin="ceshixinqu", kind=point.division.kind)
    new_point = Point.objects.create(
        code="T-XQ-001",
        name="测试新区点位",
        category=point.category,
        division=quiet,
        responsible_unit=point.responsible_unit,
    )

    def figures():
        summary = api_as(hq).get(f"/api/v1/dashboard/summary/?division={quiet.pk}").json()["problems"]
        (row,) = district_rows([quiet])
        return summary, row

    summary, row = figures()
    assert row["on_time_closure_rate"] is None and summary["on_time_closure_rate"] == 0.0
    for standard in standards[:2]:
        Problem.objects.create(
            point=new_point,
            standard=standard,
            division=quiet,
            responsible_unit=point.responsible_unit,
            description="限期内的问题",
            status=ProblemStatus.DISPATCHED,
            found_by=supervisor,
            found_at=at(16),
            deadline=date.today() + timedelta(days=30),
        )
    summary, row = figures()
    assert (summary["open"], summary["overdue"], summary["closed"]) == (2, 0, 0)
    assert summary["on_time_closure_rate"] == row["on_time_closure_rate"] == 100.0
