"""Score arithmetic with weights and not-applicable items; problem creation, merging and recurrence."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaigns import workdays
from inspections import services
from inspections.choices import ProblemStatus
from inspections.models import Inspection, Problem
from inspections.services import score_rate
from tests.inspections.conftest import days_ago, photo

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("passed", "expected"),
    [
        ((True, True, True), Decimal("100.0")),
        ((True, False, None), Decimal("60.0")),  # 3 ÷ (3 + 2); the weight-1 item does not apply
        ((False, True, True), Decimal("50.0")),  # (2 + 1) ÷ 6
        ((None, False, True), Decimal("33.3")),  # 1 ÷ 3
        ((False, True, None), Decimal("40.0")),  # 2 ÷ 5
        ((None, None, None), None),  # nothing applied: no score rather than 0 or 100
    ],
)
def test_score_rate_is_weighted_passed_over_weighted_applicable(visit, passed, expected):
    inspection = visit(passed)
    assert inspection.score_rate == expected


def test_score_rate_rounds_half_up_to_one_decimal():
    assert score_rate(Decimal("2"), Decimal("3")) == Decimal("66.7")
    assert score_rate(Decimal("1"), Decimal("8")) == Decimal("12.5")
    assert score_rate(Decimal("0"), Decimal("0")) is None


def test_editing_a_standard_never_changes_a_past_visits_score(visit, hq, standards):
    inspection = visit((True, False, True))
    assert inspection.score_rate == Decimal("66.7")  # (3 + 1) ÷ 6
    services.standard_update(actor=hq, standard=standards[1], weight="10", text="改过的标准")
    inspection.refresh_from_db()
    result = inspection.results.get(standard=standards[1])
    assert inspection.score_rate == Decimal("66.7")
    assert (result.weight, result.standard_text) == (Decimal("2.00"), "测试标准2")
    assert visit((True, False, True)).score_rate == Decimal("28.6")  # a new visit uses the new weight: 4 ÷ 14


def test_a_standard_of_another_category_or_twice_is_refused(supervisor, point, standards, city):
    from inspections.models import Standard

    foreign = Standard.objects.exclude(category=point.category).first()
    with pytest.raises(ValidationError) as error:
        services.inspection_record(actor=supervisor, point=point, results=[{"standard": foreign.pk, "passed": True}])
    assert "不属于该点位类别" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.inspection_record(
            actor=supervisor,
            point=point,
            results=[{"standard": standards[0].pk, "passed": True}, {"standard": standards[0].pk, "passed": False}],
        )
    assert "重复" in str(error.value)
    assert Inspection.objects.filter(point__code="T-PC-001").count() == 0


def test_a_failed_standard_becomes_a_problem_of_the_points_division_and_unit(visit, point, standards, supervisor):
    inspection = visit((True, False, None), notes={1: "人行道上停放三辆机动车"})
    problem = Problem.objects.get(point__code="T-PC-001")
    assert (problem.point, problem.standard, problem.division, problem.responsible_unit) == (
        point,
        standards[1],
        point.division,
        point.responsible_unit,
    )
    assert problem.status == ProblemStatus.OPEN
    assert problem.description == "人行道上停放三辆机动车"
    assert inspection.results.get(standard=standards[1]).problem == problem
    transition = problem.transitions.get()
    assert (transition.action, transition.from_status, transition.to_status, transition.actor) == (
        "find",
        "",
        "open",
        supervisor,
    )
    point.refresh_from_db()
    assert point.last_inspected_at == inspection.inspected_at


def test_a_new_failure_of_an_open_problem_adds_to_it(visit, problem_in, standards):
    problem = problem_in(ProblemStatus.DISPATCHED)
    second = visit((False, False, True))
    assert (
        Problem.objects.filter(point__code="T-PC-001").count() == 2
    )  # the second standard's problem is the same; the first standard's is new
    problem.refresh_from_db()
    assert problem.occurrences == 2
    assert problem.status == ProblemStatus.DISPATCHED  # a finding does not move the loop
    assert second.results.get(standard=standards[1]).problem == problem
    assert problem.findings.count() == 2


def test_a_failure_within_30_days_of_closing_is_a_recurrence(visit, problem_in, standards):
    closed = problem_in(ProblemStatus.CLOSED)
    Problem.objects.filter(pk=closed.pk).update(closed_at=days_ago(29))
    visit((True, False, True))
    new = Problem.objects.filter(point__code="T-PC-001").exclude(pk=closed.pk).get()
    assert new.is_recurrence is True
    assert new.recurrence_of == closed
    assert new.status == ProblemStatus.OPEN


def test_a_failure_more_than_30_days_after_closing_is_a_new_problem(visit, problem_in):
    closed = problem_in(ProblemStatus.CLOSED)
    Problem.objects.filter(pk=closed.pk).update(closed_at=days_ago(31))
    visit((True, False, True))
    new = Problem.objects.filter(point__code="T-PC-001").exclude(pk=closed.pk).get()
    assert (new.is_recurrence, new.recurrence_of) == (False, None)


def test_a_visit_sent_twice_with_the_same_client_key_is_stored_once(visit):
    first = visit((True, False, True), client_key="phone-7f3a")
    again = visit((True, False, True), client_key="phone-7f3a")
    assert again.pk == first.pk
    assert Inspection.objects.filter(point__code="T-PC-001").count() == 1
    assert Problem.objects.get(point__code="T-PC-001").occurrences == 1


def test_photos_are_checked_by_content(supervisor, point, standards):
    fake = photo("fake.png", data=b"GIF89a not really")
    with pytest.raises(ValidationError):
        services.inspection_record(
            actor=supervisor, point=point, results=[{"standard": standards[0].pk, "passed": False, "photos": [fake]}]
        )
    inspection = services.inspection_record(
        actor=supervisor, point=point, results=[{"standard": standards[0].pk, "passed": False, "photos": [photo()]}]
    )
    stored = inspection.results.get().photos.get()
    assert stored.content_type == "image/png" and stored.file.name.endswith(".png")


def test_only_supervisors_and_headquarters_record_visits(point, standards, officer_pingcheng):
    from campaigns.errors import NotAllowed

    with pytest.raises(NotAllowed):
        services.inspection_record(
            actor=officer_pingcheng, point=point, results=[{"standard": standards[0].pk, "passed": True}]
        )


def test_dispatch_deadline_follows_the_severity_setting(problem_in, supervisor):
    from inspections.models import SeverityDeadline

    problem = problem_in(ProblemStatus.OPEN)
    SeverityDeadline.objects.update_or_create(severity=problem.severity, defaults={"days": 5})
    problem = services.problem_dispatch(actor=supervisor, problem=problem)
    # five working days (工作日): weekends and holidays in between do not count, and the deadline is itself worked
    assert workdays.working_days_between(timezone.localdate(), problem.deadline) == 5
    assert workdays.is_working_day(problem.deadline)
    assert problem.deadline >= timezone.localdate() + timedelta(days=5)


def test_a_problems_default_deadline_counts_working_days_across_national_day():
    """Found Tuesday 29 September 2026, minor (7 working days): 30 Sep, 8, 9, 10 (the make-up Saturday), 12, 13, 14."""
    from datetime import date

    from inspections.choices import Severity
    from inspections.models import SeverityDeadline

    SeverityDeadline.objects.update_or_create(severity=Severity.MINOR, defaults={"days": 7})
    assert services.default_deadline(Severity.MINOR, today=date(2026, 9, 29)) == date(2026, 10, 14)


def test_round_sampling_takes_n_points_per_category_and_division(hq, supervisor, category, point, yungang_point):
    import random

    from inspections.models import Point

    for n in range(3):
        Point.objects.create(
            code=f"T-PC-1{n}",
            name=f"点位{n}",
            category=category,
            division=point.division,
            responsible_unit=point.responsible_unit,
        )
    categories = [category]
    round_ = services.round_plan(
        actor=hq,
        name="第一轮",
        start_date=timezone.localdate(),
        end_date=timezone.localdate() + timedelta(days=3),
        supervisors=[supervisor],
        categories=categories,
        sample_per_group=1,
        rng=random.Random(7),
    )
    groups = {(p.category_id, p.division_id) for p in round_.points.all()}
    assert round_.points.count() == len(groups) == 2  # one of four in 平城区, the one in 云冈区
    assert round_.supervisors.get() == supervisor


def test_a_dispatch_deadline_on_a_rest_day_moves_to_the_next_working_day(problem_in, supervisor):
    rest_day = timezone.localdate() + timedelta(days=1)
    while workdays.is_working_day(rest_day):
        rest_day += timedelta(days=1)
    problem = services.problem_dispatch(actor=supervisor, problem=problem_in(ProblemStatus.OPEN), deadline=rest_day)
    assert problem.deadline > rest_day
    assert problem.deadline == workdays.next_working_day(rest_day)
    assert all(
        not workdays.is_working_day(rest_day + timedelta(days=n)) for n in range((problem.deadline - rest_day).days)
    )
