"""Bad input to any write the API offers answers 4xx with a Chinese message — never a 500 — and writes nothing."""

import json

import pytest
from django.apps import apps

from datong_portal.api.urls import router

BAD_BODIES = [
    ("malformed JSON", '{"title": "x",', "application/json"),
    ("JSON that is not an object", "[1, 2, 3]", "application/json"),
    (
        "NUL bytes and wrong types",
        json.dumps({"title": "a\x00b", "deadline": "明天", "unit": "x" * 5000, "division": {"a": 1}, "id_number": 12}),
        "application/json",
    ),
    ("a huge number", json.dumps({"hours": 10**400, "target": "1e999"}), "application/json"),
    ("not JSON at all", "\x00\x01\x02", "application/octet-stream"),
]

LIST_PATHS = sorted(f"/api/v1/{prefix}/" for prefix, _viewset, _basename in router.registry)


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"campaigns", "taskforces", "supervision", "inspections", "volunteers"}
    }


def _has_chinese(body: bytes) -> bool:
    message = json.dumps(json.loads(body), ensure_ascii=False)
    return any("\u4e00" <= ch <= "\u9fff" for ch in message)


@pytest.mark.parametrize("path", LIST_PATHS)
@pytest.mark.parametrize(("case", "body", "content_type"), BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_bad_posts_are_refused_in_chinese_and_change_nothing(api_as, hq, path, case, body, content_type):
    before = _row_counts()
    response = api_as(hq).generic("POST", path, body, content_type=content_type)
    assert 400 <= response.status_code < 500, (path, case, response.status_code, response.content[:300])
    assert _has_chinese(response.content), (path, case, response.content[:300])
    assert _row_counts() == before


@pytest.mark.parametrize("path", LIST_PATHS)
def test_bad_query_parameters_are_not_a_500(api_as, hq, path):
    client = api_as(hq)
    for query in (
        "?page=abc",
        "?page=999999",
        "?page_size=-5",
        "?ordering=nonexistent",
        "?division=abc",
        "?search=%00",
        "?status=%00",
        "?deadline_after=notadate",
        "?unit=1e99",
    ):
        response = client.get(path + query)
        assert response.status_code < 500, (path, query, response.status_code)


# --- the reproduced 500s of the security issue, each a Chinese 4xx now ------------------------------------------

DEEP_JSON = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000


@pytest.mark.parametrize("body", [DEEP_JSON, DEEP_OBJECT], ids=["array", "object"])
def test_json_nested_a_thousand_deep_is_a_400_for_anonymous_and_signed_in(anonymous_api, api_as, hq, body):
    before = _row_counts()
    for client, path in ((anonymous_api, "/api/v1/auth/token/"), (api_as(hq), "/api/v1/supervision-cards/")):
        response = client.generic("POST", path, body, content_type="application/json")
        assert response.status_code == 400, (path, response.status_code, response.content[:200])
        assert _has_chinese(response.content)
    assert _row_counts() == before


def test_a_username_with_a_nul_byte_is_a_400(anonymous_api, city):
    response = anonymous_api.post("/api/v1/auth/token/", {"username": "hq\x00", "password": "x"}, format="json")
    assert response.status_code == 400
    assert _has_chinese(response.content)


HUGE_PAGE = "99999999999999999999"


@pytest.mark.parametrize("path", ["/api/v1/volunteers/", "/api/v1/service-records/", "/api/v1/tasks/"])
@pytest.mark.parametrize("page", [HUGE_PAGE, "２", "1.5"])
def test_an_absurd_page_number_is_a_chinese_404(api_as, hq, path, page):
    response = api_as(hq).get(f"{path}?page={page}")
    assert response.status_code == 404, (path, page, response.status_code)
    assert _has_chinese(response.content)


def test_an_absurd_page_number_on_the_volunteer_page_is_not_a_500(client_as, hq):
    response = client_as(hq).get(f"/volunteers/?page={HUGE_PAGE}")
    assert response.status_code in (200, 404)


@pytest.mark.parametrize(
    "period", ["9999-W52", "9999-12", "0001-W01", "２０２２-W３４", "２０２２-０８", "2022-W60", "2022-13"]
)
def test_report_periods_out_of_range_or_in_full_width_digits_are_refused(api_as, officer_pingcheng, period):
    from taskforces.models import Report

    before = Report.objects.count()
    kind = "weekly" if "W" in period else "monthly"
    response = api_as(officer_pingcheng).post(
        "/api/v1/reports/", {"kind": kind, "period": period, "summary": "x"}, format="json"
    )
    assert 400 <= response.status_code < 500, (period, response.status_code, response.content[:200])
    assert _has_chinese(response.content)
    assert Report.objects.count() == before


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/tasks/99999999/", 404),
        ("/api/v1/tasks/1.5/", 404),
        ("/api/v1/no-such-thing/", 404),
        ("/api/v1/supervision-cards/99999999/acknowledge/", 404),
    ],
)
@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_every_api_404_is_chinese_json_with_debug_on_or_off(api_as, hq, settings, path, status, debug):
    settings.DEBUG = debug
    client = api_as(hq)
    client.raise_request_exception = False
    response = client.post(path, {}, format="json") if path.endswith("acknowledge/") else client.get(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    assert _has_chinese(response.content), response.content[:200]


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_a_body_over_the_memory_limit_is_a_chinese_json_400(api_as, hq, settings, debug):
    settings.DEBUG = debug
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    before = _row_counts()
    client = api_as(hq)
    client.raise_request_exception = False
    response = client.post("/api/v1/tasks/", {"title": "x" * 4096}, format="multipart")
    assert response.status_code in (400, 413)
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    assert _has_chinese(response.content)
    assert _row_counts() == before


@pytest.mark.parametrize("deadline", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_task_deadlines_outside_a_sane_window_are_refused(api_as, hq, deadline):
    from campaigns.models import Task, Unit

    unit = Unit.objects.filter(division__isnull=False).first()
    before = Task.objects.count()
    response = api_as(hq).post(
        "/api/v1/tasks/", {"title": "日期窗口", "lead_unit": unit.pk, "deadline": deadline}, format="json"
    )
    assert response.status_code == 400, response.content[:300]
    assert "deadline" in response.json() and _has_chinese(response.content)
    assert Task.objects.count() == before


def test_a_non_integer_id_is_refused_not_truncated(api_as, hq):
    from campaigns.models import Task, Unit

    unit = Unit.objects.filter(division__isnull=False).order_by("pk").first()
    for path in (f"/api/v1/tasks/?unit={unit.pk}.5", f"/api/v1/tasks/?lead_unit={unit.pk}.5"):
        response = api_as(hq).get(path)
        assert response.status_code == 400, (path, response.content[:300])
        assert _has_chinese(response.content)
    before = Task.objects.count()
    for lead_unit in (unit.pk + 0.5, f"{unit.pk}.5", True, "２"):
        response = api_as(hq).post(
            "/api/v1/tasks/", {"title": "整数编号", "lead_unit": lead_unit, "deadline": "2030-01-01"}, format="json"
        )
        assert response.status_code == 400, (lead_unit, response.content[:300])
        assert "lead_unit" in response.json() and _has_chinese(response.content)
    assert Task.objects.count() == before


@pytest.mark.parametrize(
    ("kind", "period"),
    [("weekly", "9999-W52"), ("monthly", "9999-12"), ("weekly", "２０２２-W３４"), ("monthly", "２０２２-０８")],
)
def test_period_labels_out_of_range_or_in_full_width_digits_are_a_validation_error(kind, period):
    from django.core.exceptions import ValidationError

    from taskforces.periods import period_bounds

    with pytest.raises(ValidationError) as error:
        period_bounds(kind, period)
    assert "周期格式" in str(error.value)


# Each list page with a filter value that does not validate, and with the same filter asked as an export: a 400 that
# says in Chinese what is wrong, over no rows, and never a file.
BAD_PAGE_FILTERS = [
    ("/units/", "kind=nosuchkind"),
    ("/tasks/", "deadline_after=notadate"),
    ("/reminder-cards/", "division=abc"),
    ("/reports/", "status=nosuchstatus"),
    ("/supervision/", "deadline_after=notadate"),
    ("/inspections/points/", "inspected_after=notadate"),
    ("/inspections/problems/", "division=abc"),
    ("/volunteers/", "registered_after=notadate"),
    ("/volunteers/sites/", "level=nosuchlevel"),
    ("/volunteers/teams/", "level=nosuchlevel"),
    ("/volunteers/records/", "date_after=notadate"),
]


@pytest.mark.parametrize(("path", "query"), BAD_PAGE_FILTERS)
def test_a_list_page_with_a_bad_filter_is_a_400_in_chinese_and_no_export(client_as, hq, path, query):
    client = client_as(hq)
    page = client.get(f"{path}?{query}")
    assert page.status_code == 400 and "筛选条件有误" in page.content.decode(), (path, page.status_code)
    export = client.get(f"{path}?{query}&export=xlsx")
    assert export.status_code == 400 and not export["Content-Type"].startswith("application/vnd"), path
    assert "筛选条件有误" in export.content.decode()
    redrawn = client.get(f"{path}?{query}", HTTP_HX_REQUEST="true")  # htmx swaps only 2xx: the table is redrawn
    assert redrawn.status_code == 200, path


def test_the_point_export_with_a_bad_filter_is_a_400_not_a_file(client_as, hq):
    response = client_as(hq).get("/inspections/points/export/?inspected_after=notadate")
    assert response.status_code == 400 and "筛选条件有误" in response.content.decode()
