import json

import pytest

from taskforces.choices import ReportStatus
from taskforces.models import ReminderCard, Report
from tests.taskforces.conftest import at


def _state(report):
    report = Report.objects.get(pk=report.pk)
    return (report.status, report.summary, report.submitted_at, report.is_late, report.transitions.count())


# --- access ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/reports/", "/api/v1/reminder-cards/"])
def test_anonymous_is_refused_with_401(city, anonymous_api, path):
    assert anonymous_api.get(path).status_code == 401


def test_officer_cannot_see_edit_or_submit_another_districts_report(api_as, officer_yungang, weekly_w32):
    api = api_as(officer_yungang)
    before = _state(weekly_w32)
    assert api.get(f"/api/v1/reports/{weekly_w32.pk}/").status_code == 404
    assert api.patch(f"/api/v1/reports/{weekly_w32.pk}/", {"summary": "x"}, format="json").status_code == 404
    assert api.post(f"/api/v1/reports/{weekly_w32.pk}/submit/", {"summary": "x"}, format="json").status_code == 404
    assert weekly_w32.pk not in [r["id"] for r in api.get("/api/v1/reports/?page_size=200").json()["results"]]
    assert _state(weekly_w32) == before


def test_officer_cannot_see_another_districts_card(api_as, officer_yungang, card_pingcheng):
    api = api_as(officer_yungang)
    assert api.get(f"/api/v1/reminder-cards/{card_pingcheng.pk}/").status_code == 404


def test_leader_sees_only_the_cards_addressed_to_them(api_as, hq, leader, card_pingcheng):
    from taskforces import services

    own = services.reminder_card_issue(
        actor=hq, title="领导领衔督办", recipient_leader=leader, now=at("2022-08-10 10:00")
    )
    ids = [c["id"] for c in api_as(leader).get("/api/v1/reminder-cards/?page_size=200").json()["results"]]
    assert own.pk in ids and card_pingcheng.pk not in ids


# --- reminder cards ---------------------------------------------------------------------------------------------------


def test_headquarters_issues_a_numbered_card_with_structured_guidance(api_as, hq, pingcheng, government):
    payload = {
        "title": "平城区提示",
        "recipient_unit": government(pingcheng).pk,
        "guidance": {"supervision_items": ["背街小巷"], "points": ["鼓楼东街", "华严寺"], "hidden_risks": ["井盖破损"]},
    }
    response = api_as(hq).post("/api/v1/reminder-cards/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"].startswith("提示卡〔") and body["number"].endswith("号")
    assert body["guidance"]["points"] == ["鼓楼东街", "华严寺"]
    assert body["guidance"]["hidden_risks"] == ["井盖破损"]
    # The holder's running week and month are open at once.
    assert Report.objects.filter(unit=government(pingcheng), leader=None).filter(status="expected").exists()


@pytest.mark.parametrize("who", ["officer_pingcheng", "supervisor", "api_reader", "leader"])
def test_only_headquarters_issues_cards(request, api_as, who, pingcheng, government):
    user = request.getfixturevalue(who)
    count = ReminderCard.objects.count()
    response = api_as(user).post(
        "/api/v1/reminder-cards/", {"title": "x", "recipient_unit": government(pingcheng).pk}, format="json"
    )
    assert response.status_code == 403
    assert ReminderCard.objects.count() == count


def test_card_without_any_recipient_is_refused(api_as, hq):
    count = ReminderCard.objects.count()
    response = api_as(hq).post("/api/v1/reminder-cards/", {"title": "无人"}, format="json")
    assert response.status_code == 400
    assert "请至少指定" in json.dumps(response.json(), ensure_ascii=False)
    assert ReminderCard.objects.count() == count


# --- the report workflow -------------------------------------------------------------------------------------------


def test_holder_submits_and_headquarters_returns_then_accepts(api_as, officer_pingcheng, hq, weekly_w32):
    officer, office = api_as(officer_pingcheng), api_as(hq)
    url = f"/api/v1/reports/{weekly_w32.pk}/"
    draft = officer.patch(url, {"summary": "完成背街小巷整治 12 条", "figures": [{"value": 12}]}, format="json")
    assert draft.status_code == 200 and draft.json()["status"] == "expected"
    submitted = officer.post(url + "submit/", {}, format="json")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted" and submitted.json()["is_late"] is True  # W32 was due in 2022
    returned = office.post(url + "return/", {"reason": "请补充点位数据"}, format="json")
    assert returned.json()["status"] == "returned"
    assert officer.post(url + "submit/", {"summary": "已补充点位数据"}, format="json").json()["status"] == "submitted"
    accepted = office.post(url + "accept/", {}, format="json").json()
    assert accepted["status"] == "accepted"
    moves = [(t["from_status"], t["to_status"], t["note"]) for t in accepted["transitions"]]
    assert moves == [
        ("expected", "submitted", "迟报"),
        ("submitted", "returned", "请补充点位数据"),
        ("returned", "submitted", "迟报"),
        ("submitted", "accepted", ""),
    ]
    assert [t["actor"] for t in accepted["transitions"]] == [officer_pingcheng.pk, hq.pk, officer_pingcheng.pk, hq.pk]


def test_accepting_an_expected_report_is_409_and_changes_nothing(api_as, hq, weekly_w32):
    before = _state(weekly_w32)
    response = api_as(hq).post(f"/api/v1/reports/{weekly_w32.pk}/accept/", {}, format="json")
    assert response.status_code == 409
    assert "待报送" in response.json()["detail"]
    assert _state(weekly_w32) == before


def test_submitting_an_accepted_report_is_409_and_changes_nothing(api_as, hq, officer_pingcheng, weekly_w32):
    from taskforces import services

    services.report_submit(actor=officer_pingcheng, report=weekly_w32, summary="完成", now=at("2022-08-15 20:00"))
    services.report_accept(actor=hq, report=weekly_w32)
    before = _state(weekly_w32)
    response = api_as(officer_pingcheng).post(f"/api/v1/reports/{weekly_w32.pk}/submit/", {}, format="json")
    assert response.status_code == 409
    assert _state(weekly_w32) == before


def test_return_needs_a_reason(api_as, hq, officer_pingcheng, weekly_w32):
    from taskforces import services

    services.report_submit(actor=officer_pingcheng, report=weekly_w32, summary="完成", now=at("2022-08-15 20:00"))
    before = _state(weekly_w32)
    response = api_as(hq).post(f"/api/v1/reports/{weekly_w32.pk}/return/", {"reason": ""}, format="json")
    assert response.status_code == 400
    assert _state(weekly_w32) == before


def test_submitting_an_empty_summary_is_refused(api_as, officer_pingcheng, weekly_w32):
    before = _state(weekly_w32)
    response = api_as(officer_pingcheng).post(f"/api/v1/reports/{weekly_w32.pk}/submit/", {}, format="json")
    assert response.status_code == 400
    assert "工作完成情况" in json.dumps(response.json(), ensure_ascii=False)
    assert _state(weekly_w32) == before


@pytest.mark.parametrize(
    "body,content_type",
    [
        ('{"summary": ', "application/json"),
        ('{"summary": "a\\u0000b"}', "application/json"),
        ('{"summary": ["not", "text"]}', "application/json"),
        ('{"figures": "many"}', "application/json"),
        ('{"figures": [{"value": "many"}]}', "application/json"),
        ('{"figures": [{"task": 999999, "value": 1}]}', "application/json"),
    ],
)
def test_malformed_patch_is_400_and_changes_nothing(api_as, officer_pingcheng, weekly_w32, body, content_type):
    before = _state(weekly_w32)
    response = api_as(officer_pingcheng).generic(
        "PATCH", f"/api/v1/reports/{weekly_w32.pk}/", body, content_type=content_type
    )
    assert response.status_code == 400, response.content
    assert _state(weekly_w32) == before


def test_status_cannot_be_patched(api_as, officer_pingcheng, weekly_w32):
    api_as(officer_pingcheng).patch(f"/api/v1/reports/{weekly_w32.pk}/", {"status": "accepted"}, format="json")
    assert Report.objects.get(pk=weekly_w32.pk).status == ReportStatus.EXPECTED


@pytest.mark.parametrize("who", ["hq", "supervisor", "leader"])
def test_only_the_holder_submits(request, api_as, who, weekly_w32):
    user = request.getfixturevalue(who)
    before = _state(weekly_w32)
    response = api_as(user).post(f"/api/v1/reports/{weekly_w32.pk}/submit/", {"summary": "代报"}, format="json")
    assert response.status_code in (403, 404)  # a leader does not even see a unit's report
    assert _state(weekly_w32) == before


def test_officer_cannot_review_reports(api_as, officer_pingcheng, weekly_w32):
    from taskforces import services

    services.report_submit(actor=officer_pingcheng, report=weekly_w32, summary="完成", now=at("2022-08-15 20:00"))
    before = _state(weekly_w32)
    api = api_as(officer_pingcheng)
    assert api.post(f"/api/v1/reports/{weekly_w32.pk}/accept/", {}, format="json").status_code == 403
    assert api.post(f"/api/v1/reports/{weekly_w32.pk}/return/", {"reason": "x"}, format="json").status_code == 403
    assert _state(weekly_w32) == before


def test_unknown_report_is_404(api_as, hq, city):
    assert api_as(hq).post("/api/v1/reports/99999999/accept/", {}, format="json").status_code == 404


# --- deadline edges --------------------------------------------------------------------------------------------------


def test_monday_2359_shanghai_is_on_time_and_tuesday_0001_is_late(officer_pingcheng, card_pingcheng, hq):
    from taskforces import clock, services

    clock.open_report_slots(at("2022-08-22 00:05"))
    report = Report.objects.get(unit=officer_pingcheng.unit, period="2022-W33")
    on_time = services.report_submit(actor=officer_pingcheng, report=report, summary="按时", now=at("2022-08-22 23:59"))
    assert on_time.is_late is False
    services.report_return(actor=hq, report=report, reason="补充")
    late = services.report_submit(actor=officer_pingcheng, report=report, now=at("2022-08-23 00:01"))
    assert late.is_late is True


def test_deadline_is_shanghai_time_even_when_the_moment_is_given_in_utc(officer_pingcheng, weekly_w32):
    from datetime import UTC, datetime

    from taskforces import services

    # 15:59 UTC on Monday 15 August is 23:59 in Shanghai: on time.
    report = services.report_submit(
        actor=officer_pingcheng, report=weekly_w32, summary="按时", now=datetime(2022, 8, 15, 15, 59, tzinfo=UTC)
    )
    assert report.is_late is False


# --- filters and the list ------------------------------------------------------------------------------------------


def test_reports_filter_by_kind_period_division_status_lateness_and_missing(
    api_as, hq, officer_pingcheng, weekly_w32, yungang_report, pingcheng
):
    from taskforces import services

    services.report_submit(actor=officer_pingcheng, report=weekly_w32, summary="迟", now=at("2022-08-16 09:00"))
    api = api_as(hq)

    def ids(query):
        return {r["id"] for r in api.get(f"/api/v1/reports/?page_size=200&{query}").json()["results"]}

    assert ids("period=2022-W32&kind=weekly") == {weekly_w32.pk, yungang_report.pk}
    assert ids(f"period=2022-W32&division={pingcheng.pk}") == {weekly_w32.pk}
    assert ids("period=2022-W32&status=submitted") == {weekly_w32.pk}
    assert ids("period=2022-W32&is_late=true") == {weekly_w32.pk}
    assert ids("period=2022-W32&missing=true") == {yungang_report.pk}
    assert api.get("/api/v1/reports/?kind=yearly").status_code == 400


def test_report_list_queries_do_not_grow_with_rows(api_as, hq, city, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = api_as(hq).get("/api/v1/reports/?page_size=200")
    assert response.status_code == 200 and response.json()["count"] > 0


def test_headquarters_opens_a_slot_by_hand_once(api_as, hq, pingcheng, government):
    api = api_as(hq)
    payload = {"unit": government(pingcheng).pk, "kind": "monthly", "period": "2022-06"}
    first = api.post("/api/v1/reports/", payload, format="json")
    second = api.post("/api/v1/reports/", payload, format="json")
    assert first.status_code == 201 and second.json()["id"] == first.json()["id"]
    assert first.json()["due_at"].startswith("2022-07-05T23:59:59")
    bad = api.post("/api/v1/reports/", {**payload, "period": "2022-13"}, format="json")
    assert bad.status_code == 400


def test_dashboard_summary_counts_the_weekly_round(api_as, hq, city):
    body = api_as(hq).get("/api/v1/dashboard/summary/").json()
    assert set(body["reports"]) == {"period", "expected", "submitted", "late", "missing"}
    assert body["reports"]["expected"] >= body["reports"]["submitted"]


def test_district_rows_carry_report_punctuality(api_as, hq, pingcheng, officer_pingcheng, weekly_w32):
    from taskforces import services

    services.report_submit(actor=officer_pingcheng, report=weekly_w32, summary="按时", now=at("2022-08-15 20:00"))
    rows = {row["division"]: row for row in api_as(hq).get("/api/v1/dashboard/districts/").json()}
    assert rows[pingcheng.pk]["report_punctuality"] is not None
    assert 0.0 <= rows[pingcheng.pk]["report_punctuality"] <= 100.0


def test_card_list_queries_do_not_grow_with_rows(api_as, hq, city, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = api_as(hq).get("/api/v1/reminder-cards/?page_size=200")
    assert response.status_code == 200 and response.json()["count"] == 3
    assert all(isinstance(task, int) for card in response.json()["results"] for task in card["guidance"]["tasks"])
