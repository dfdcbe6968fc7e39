"""The pages, the visit form's draft script, the inbox, and the overdue sweep."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Notification
from inspections.choices import ProblemStatus
from inspections.clock import sweep_overdue_problems
from inspections.models import Inspection, Point, PointCategory, Problem, ProblemEscalation

pytestmark = pytest.mark.django_db

PAGES = [
    "/inspections/points/",
    "/inspections/points/?has_open_problems=true&category={category}",
    "/inspections/problems/",
    "/inspections/problems/?overdue=true",
    "/inspections/problems/inbox/",
    "/inspections/rounds/",
    "/inspections/checklists/",
    "/",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("who", ["hq", "supervisor", "officer-pingcheng", "leader"])
def test_pages_answer_every_role(client_as, city, path, who):
    path = path.format(category=PointCategory.objects.order_by("position").first().pk)
    assert client_as(city[who]).get(path).status_code == 200


def test_another_divisions_pages_are_404(client_as, officer_yungang, problem_in, point):
    problem = problem_in(ProblemStatus.OPEN)
    visit = Inspection.objects.get(point=point)
    client = client_as(officer_yungang)
    for path in (
        f"/inspections/points/{point.pk}/",
        f"/inspections/points/{point.pk}/edit/",
        f"/inspections/problems/{problem.pk}/",
        f"/inspections/visits/{visit.pk}/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/inspections/problems/{problem.pk}/dispatch/", {}).status_code == 404


def test_the_visit_form_records_a_visit_and_clears_the_draft(client_as, supervisor, point, standards):
    client = client_as(supervisor)
    page = client.get(f"/inspections/points/{point.pk}/visit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "js/inspection-visit.js" in html and "<script>" not in html  # strict CSP: no inline script
    body = {
        "client_key": "abc123",
        f"result_{standards[0].pk}": "passed",
        f"result_{standards[1].pk}": "failed",
        f"note_{standards[1].pk}": "乱停车",
        f"result_{standards[2].pk}": "na",
    }
    response = client.post(f"/inspections/points/{point.pk}/visit/", body)
    assert response.status_code == 302
    inspection = Inspection.objects.get(point=point)
    assert inspection.score_rate == 60
    detail = client.get(response["Location"]).content.decode()
    assert f'data-clear-draft="inspection-draft:{point.pk}-0"' in detail
    client.post(f"/inspections/points/{point.pk}/visit/", body)  # the phone sends it again: stored once
    assert Inspection.objects.filter(point=point).count() == 1


def test_officers_cannot_open_the_visit_form(client_as, officer_pingcheng, point):
    assert client_as(officer_pingcheng).get(f"/inspections/points/{point.pk}/visit/").status_code == 403


def test_the_problem_page_walks_the_loop(client_as, problem_in, hq, department_officer):
    problem = problem_in(ProblemStatus.OPEN)
    assert (
        client_as(hq)
        .post(f"/inspections/problems/{problem.pk}/dispatch/", {"responsible_unit": problem.responsible_unit_id})
        .status_code
        == 302
    )
    client_as(department_officer).post(f"/inspections/problems/{problem.pk}/rectify/", {"feedback": "已整改"})
    page = client_as(department_officer).get(f"/inspections/problems/{problem.pk}/").content.decode()
    assert "复核须由整改反馈人以外的人员进行" in page
    client_as(hq).post(f"/inspections/problems/{problem.pk}/recheck/", {"decision": "close", "comment": "合格"})
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED


def test_the_officers_inbox_shows_overdue_problems_first(client_as, officer_pingcheng, problem_in):
    late = problem_in(ProblemStatus.DISPATCHED)
    Problem.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - timedelta(days=3))
    html = client_as(officer_pingcheng).get("/inspections/problems/inbox/").content.decode()
    rows = html.split('id="problem-table"')[1]
    first_link = rows.split("/inspections/problems/")[1].split("/")[0]
    assert (
        int(first_link)
        == Problem.objects.filter(division__name="平城区").overdue().order_by("deadline", "id").first().pk
    )
    home = client_as(officer_pingcheng).get("/").content.decode()
    assert 'id="inspections-home"' in home and 'id="supervision-home"' in home


def test_the_export_is_an_xlsx_of_the_visible_points(client_as, officer_yungang, city):
    import io

    from openpyxl import load_workbook

    response = client_as(officer_yungang).get("/inspections/points/export/")
    sheet = load_workbook(io.BytesIO(response.content)).active
    divisions = {row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert divisions == {"云冈区"}
    assert sheet.max_row - 1 == Point.objects.filter(division__name="云冈区").count()


def _on(year, month, day, hour=9):
    from datetime import date, datetime, time

    return timezone.make_aware(datetime.combine(date(year, month, day), time(hour, 0)))


def test_the_sweep_notifies_once_per_problem_and_step(problem_in):
    """Steps count working days: due Tuesday 10 November 2026, three working days overdue on Friday the 13th."""
    from datetime import date

    problem = problem_in(ProblemStatus.DISPATCHED)
    Problem.objects.filter(pk=problem.pk).update(deadline=date(2026, 11, 10))
    sweep_overdue_problems(_on(2026, 11, 12))
    assert set(problem.escalations.values_list("step", flat=True)) == {"overdue_1"}  # two working days only
    sweep_overdue_problems(_on(2026, 11, 13))
    steps = set(ProblemEscalation.objects.filter(problem=problem).values_list("step", flat=True))
    assert steps == {"overdue_1", "overdue_3"}
    count = Notification.objects.filter(key__startswith=f"inspections:problem:{problem.pk}:overdue").count()
    assert count > 0
    sweep_overdue_problems(_on(2026, 11, 13, 15))
    assert ProblemEscalation.objects.filter(problem=problem).count() == 2
    assert Notification.objects.filter(key__startswith=f"inspections:problem:{problem.pk}:overdue").count() == count


def test_the_sweep_reminds_on_the_last_working_day_before_the_deadline(problem_in):
    """Due Monday 16 November 2026: no reminder on the Sunday before, the reminder on Friday the 13th."""
    from datetime import date

    problem = problem_in(ProblemStatus.DISPATCHED)
    Problem.objects.filter(pk=problem.pk).update(deadline=date(2026, 11, 16))
    sweep_overdue_problems(_on(2026, 11, 12))
    assert not problem.escalations.exists()
    sweep_overdue_problems(_on(2026, 11, 13))
    assert list(problem.escalations.values_list("step", flat=True)) == ["reminder"]
    sweep_overdue_problems(_on(2026, 11, 15))
    assert list(problem.escalations.values_list("step", flat=True)) == ["reminder"]


def test_the_sweep_skips_problems_waiting_for_the_recheck(problem_in):
    rectified = problem_in(ProblemStatus.RECTIFIED)
    Problem.objects.filter(pk=rectified.pk).update(deadline=timezone.localdate() - timedelta(days=5))
    sweep_overdue_problems(timezone.now())
    assert not rectified.escalations.exists()
