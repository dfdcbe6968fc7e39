"""Headquarters accepts many reports at once — each through report_accept and its checks, answered row by row — and
exports the filtered report list and card list to .xlsx."""

import io

import pytest
from openpyxl import load_workbook

from supervision.choices import CardStatus
from supervision.models import SupervisionCard
from taskforces import services
from taskforces.choices import ReportStatus
from taskforces.models import Report

pytestmark = pytest.mark.django_db

BULK = "/api/v1/reports/bulk-accept/"


@pytest.fixture
def submitted(city, hq):
    """Two submitted reports of 平城区 and one of 云冈区 (the demo's slots, submitted by their holders)."""
    rows = []
    for division in ("平城区", "平城区", "云冈区"):
        report = (
            Report.objects.filter(status=ReportStatus.EXPECTED, unit__division__name=division, leader=None)
            .exclude(pk__in=[r.pk for r in rows])
            .first()
        )
        officer = services.report_people(report)[0]
        rows.append(services.report_submit(actor=officer, report=report, summary="本周完成背街小巷整治 12 处。"))
    return rows


def _rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def test_headquarters_bulk_accepts_and_is_told_what_was_refused(api_as, hq, submitted):
    accepted = Report.objects.filter(status=ReportStatus.ACCEPTED).first()
    response = api_as(hq).post(BULK, {"ids": [r.pk for r in submitted] + [accepted.pk, 99999999]}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["done"]] == [r.pk for r in submitted]
    refused = {row["id"]: row["detail"] for row in body["refused"]}
    assert "不能执行“通过”操作" in refused[accepted.pk]
    assert refused[99999999] == "记录不存在或无权查看。"
    for report in submitted:
        report.refresh_from_db()
        assert report.status == ReportStatus.ACCEPTED
        assert report.transitions.filter(action="accept", actor=hq).count() == 1


def test_an_officer_cannot_bulk_accept_and_cannot_see_another_districts_reports(api_as, officer_pingcheng, submitted):
    response = api_as(officer_pingcheng).post(BULK, {"ids": [r.pk for r in submitted]}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["done"] == []
    details = {row["id"]: row["detail"] for row in body["refused"]}
    assert details[submitted[0].pk] == "只有指挥部可以审核报告。"
    assert details[submitted[2].pk] == "记录不存在或无权查看。", "云冈区's report does not exist for 平城区"
    assert "云冈" not in str(body)
    assert all(Report.objects.get(pk=r.pk).status == ReportStatus.SUBMITTED for r in submitted)


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"ids": []},
        {"ids": ["abc"]},
        {"ids": [0]},
        {"ids": [2**40]},
        {"ids": "1,2"},
        {"ids": list(range(1, 202))},
    ],
)
def test_bad_selections_are_a_400_in_chinese(api_as, hq, submitted, payload):
    response = api_as(hq).post(BULK, payload, format="json")
    assert response.status_code == 400
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(response.json()))
    assert Report.objects.filter(status=ReportStatus.SUBMITTED).count() >= len(submitted)


def test_strangers_are_refused_the_bulk_endpoint(anonymous_api, submitted):
    assert anonymous_api.post(BULK, {"ids": [submitted[0].pk]}, format="json").status_code == 401


def test_the_report_list_page_bulk_accepts_the_selected_rows(client_as, hq, submitted):
    client = client_as(hq)
    page = client.get("/reports/?status=submitted")
    assert 'id="bulk-accept"' in page.content.decode()
    response = client.post(
        "/reports/bulk/",
        {"action": "accept", "ids": [submitted[0].pk, submitted[1].pk], "next": "status=submitted"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/reports/?status=submitted"
    assert "通过 2 条" in response.content.decode()
    assert Report.objects.get(pk=submitted[0].pk).status == ReportStatus.ACCEPTED
    assert Report.objects.get(pk=submitted[2].pk).status == ReportStatus.SUBMITTED, "not selected, not touched"


def test_the_page_refuses_an_officer_row_by_row_and_changes_nothing(client_as, officer_pingcheng, submitted):
    client = client_as(officer_pingcheng)
    assert 'id="bulk-accept"' not in client.get("/reports/").content.decode()
    response = client.post("/reports/bulk/", {"action": "accept", "ids": [submitted[0].pk]}, follow=True)
    assert "只有指挥部可以审核报告。" in response.content.decode()
    assert Report.objects.get(pk=submitted[0].pk).status == ReportStatus.SUBMITTED


@pytest.mark.parametrize("ids", [["x"], [str(2**40)], ["-3"]])
def test_a_bad_page_selection_is_a_message_not_a_500(client_as, hq, submitted, ids):
    response = client_as(hq).post("/reports/bulk/", {"action": "accept", "ids": ids}, follow=True)
    assert response.status_code == 200
    assert "请选择有效的记录。" in response.content.decode()


def test_the_report_export_holds_the_filtered_rows(client_as, hq, submitted):
    response = client_as(hq).get("/reports/?status=submitted&export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _rows(response.content)
    assert rows[0][:3] == ("周期", "类型", "持卡人")
    assert len(rows) - 1 == Report.objects.filter(status=ReportStatus.SUBMITTED).count()
    assert {row[6] for row in rows[1:]} == {"已报送"}


def test_the_card_export_holds_the_filtered_cards_in_the_users_scope(client_as, hq, officer_pingcheng):
    rows = _rows(client_as(hq).get("/supervision/?status=closed&export=xlsx").content)
    closed = SupervisionCard.objects.filter(status=CardStatus.CLOSED)
    assert sorted(row[0] for row in rows[1:]) == sorted(closed.values_list("number", flat=True))
    assert closed.exists()
    rows = _rows(client_as(officer_pingcheng).get("/supervision/?export=xlsx").content)
    assert rows[1:] and {row[4] for row in rows[1:]} == {"平城区"}


def test_a_bad_export_filter_is_a_message_not_a_500(client_as, hq):
    response = client_as(hq).get("/supervision/?deadline_after=notadate&export=xlsx")
    assert response.status_code == 400
    assert "筛选条件有误" in response.content.decode()


def test_the_reminder_card_export_holds_the_users_cards(client_as, hq, officer_pingcheng):
    from taskforces.models import ReminderCard
    from taskforces.selectors import reminder_cards_visible_to

    rows = _rows(client_as(hq).get("/reminder-cards/?export=xlsx").content)
    assert rows[0][:2] == ("编号", "标题")
    assert sorted(r[1] for r in rows[1:]) == sorted(ReminderCard.objects.values_list("title", flat=True))
    mine = _rows(client_as(officer_pingcheng).get("/reminder-cards/?export=xlsx").content)
    visible = reminder_cards_visible_to(officer_pingcheng)
    assert sorted(r[1] for r in mine[1:]) == sorted(visible.values_list("title", flat=True))
    assert visible.count() < ReminderCard.objects.count()
