"""Every list endpoint of the API, and the dashboard, runs as many queries for 30 rows as for 3.

Each case counts the queries of a list holding 3 rows of its kind, then grows the table to 30 rows (every row on the
page) and requires the same call to stay within that count (``django_assert_max_num_queries``). A serializer field
that reads a relation per row (an N+1) makes the second call run at least 27 more queries and fail.

The rows are copies of a seeded row (``grow``): the same foreign keys, fresh unique values. Copies have no reverse
rows of their own, but an unprefetched reverse relation still costs a query per row, so the N+1 shows all the same.
"""

import uuid
from datetime import date

import pytest
from django.db.models import Max, UniqueConstraint

from campaigns.models import Division, ImprovementAction, Task, Unit
from inspections.models import Inspection, InspectionRound, Point, PointCategory, Problem, Standard
from supervision.models import SupervisionCard
from taskforces.models import ReminderCard, Report, TaskForce
from volunteers.idcard import make_id_number
from volunteers.models import ImportJob, PracticeSite, ServiceProject, ServiceRecord, Volunteer, VolunteerTeam

pytestmark = pytest.mark.django_db

SMALL, LARGE = 3, 30


def _unique_fields(model) -> set[str]:
    names = {f.name for f in model._meta.fields if f.unique and not f.primary_key}
    for constraint in model._meta.constraints:
        if isinstance(constraint, UniqueConstraint):
            names.update(constraint.fields)
    return names


def _fresh(model, row, field_name, index):
    """A value for ``field_name`` of copy ``index`` that no other row holds."""
    field = model._meta.get_field(field_name)
    value = getattr(row, field.attname)
    if model is Volunteer and field_name == "id_number":
        return make_id_number(f"{140100 + index % 99:06d}", date(1970, 1, 1 + index % 28), 100 + index)
    if model is Report and field_name == "period":
        return f"{1900 + index}-W01" if "W" in value else f"{1900 + index}-01"
    if model is Problem and field_name == "standard":
        return None  # chosen by ``grow``
    if field.get_internal_type() in ("CharField", "SlugField"):
        suffix = f"-{uuid.uuid4().hex[:8]}"
        return (value or "")[: field.max_length - len(suffix)] + suffix
    if field.get_internal_type() in ("PositiveIntegerField", "PositiveSmallIntegerField", "IntegerField"):
        if field_name == "year":
            return value
        return (model.objects.aggregate(m=Max(field_name))["m"] or 0) + 1
    return value


def grow(model, total: int, queryset=None) -> int:
    """Copy the first row of ``queryset`` (or ``model``) until it holds ``total`` rows; return the count."""
    queryset = queryset if queryset is not None else model.objects.all()
    existing = queryset.count()
    if existing >= total:
        return existing
    template = queryset.order_by("pk").first()
    assert template is not None, f"the demo city has no {model.__name__} to copy"
    unique = _unique_fields(model) - {"division"} if model is not Problem else {"standard"}
    if model is Point:
        unique |= {"code"}
    if model is PracticeSite:
        unique = {"name"}
    taken = set()
    if model is Problem:
        taken = set(Problem.objects.values_list("point_id", "standard_id"))
        standards = iter(Standard.objects.exclude(pk=template.standard_id).values_list("pk", flat=True))
    for index in range(existing, total):
        row = model.objects.get(pk=template.pk)
        row.pk = None
        row.id = None
        for name in unique:
            field = model._meta.get_field(name)
            if field.is_relation:
                continue
            setattr(row, field.attname, _fresh(model, row, name, index))
        if model is Problem:
            row.standard_id = next(s for s in standards if (row.point_id, s) not in taken)
        if model is Inspection:
            row.client_key = str(uuid.uuid4())
        row.save()
    return queryset.count()


# (endpoint, model, a queryset the list shows to headquarters — None: all rows)
LISTS = [
    ("/api/v1/divisions/", Division),
    ("/api/v1/units/", Unit),
    ("/api/v1/improvement-actions/", ImprovementAction),
    ("/api/v1/tasks/", Task),
    ("/api/v1/task-forces/", TaskForce),
    ("/api/v1/reminder-cards/", ReminderCard),
    ("/api/v1/reports/", Report),
    ("/api/v1/supervision-cards/", SupervisionCard),
    ("/api/v1/points/", Point),
    ("/api/v1/checklists/", PointCategory),
    ("/api/v1/inspection-rounds/", InspectionRound),
    ("/api/v1/inspections/", Inspection),
    ("/api/v1/problems/", Problem),
    ("/api/v1/practice-sites/", PracticeSite),
    ("/api/v1/volunteer-teams/", VolunteerTeam),
    ("/api/v1/volunteers/", Volunteer),
    ("/api/v1/service-projects/", ServiceProject),
    ("/api/v1/service-records/", ServiceRecord),
    ("/api/v1/volunteer-import-jobs/", ImportJob),
]


def _rows(body) -> list:
    return body["results"] if isinstance(body, dict) and "results" in body else body


def _queries_for(api, url) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return len(queries.captured_queries), len(_rows(response.json()))


@pytest.mark.parametrize(("url", "model"), LISTS, ids=[url.split("/")[3] for url, _ in LISTS])
def test_a_list_runs_as_many_queries_for_30_rows_as_for_3(url, model, api_as, hq, django_assert_max_num_queries):
    """A page of 3 rows of a small table, then a page of 30 of the table grown by 27 (an unpaginated list shows
    them all: 27 rows more)."""
    api = api_as(hq)
    if model is ImportJob and not ImportJob.objects.exists():  # the demo city imported nothing yet
        ImportJob.objects.create(created_by=hq, filename="花名册.xlsx", file="volunteer-imports/demo.xlsx")
    grow(model, SMALL)  # the reference lists (divisions, task forces …) start above three
    api.get(f"{url}?page_size={SMALL}")  # warm the per-process caches so that both counts are alike
    small_queries, small_rows = _queries_for(api, f"{url}?page_size={SMALL}")
    grow(model, model.objects.count() + LARGE - SMALL)
    with django_assert_max_num_queries(small_queries):
        _, large_rows = _queries_for(api, f"{url}?page_size={LARGE}")
    assert large_rows >= small_rows + LARGE - SMALL, "the larger table must show on the page"


def test_the_dashboard_runs_as_many_queries_for_the_city_grown_tenfold(api_as, hq, django_assert_max_num_queries):
    api = api_as(hq)
    urls = ["/api/v1/dashboard/summary/", "/api/v1/dashboard/districts/", "/api/v1/me/"]
    for url in urls:
        api.get(url)
    small = {url: _queries_for(api, url)[0] for url in urls}
    for model in (Volunteer, SupervisionCard, Problem, Report, Inspection, ServiceRecord, VolunteerTeam):
        grow(model, model.objects.count() * 10 or LARGE)
    for url in urls:
        with django_assert_max_num_queries(small[url]):
            _queries_for(api, url)
