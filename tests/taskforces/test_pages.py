import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from taskforces import services
from taskforces.choices import ReportStatus
from taskforces.models import ReminderCard, Report
from tests.pdf import assert_cjk_font_embedded, pdf_text
from tests.taskforces.conftest import at


@pytest.mark.parametrize("path", ["/reminder-cards/", "/reports/", "/reports/board/", "/reminder-cards/new/"])
def test_anonymous_is_sent_to_login(client, city, path):
    response = client.get(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("path", ["/reports/board/", "/reminder-cards/new/"])
def test_officer_is_refused_headquarters_pages(client_as, officer_pingcheng, path):
    assert client_as(officer_pingcheng).get(path).status_code == 403


def test_officer_of_another_district_gets_404_on_report_and_card_pages(client_as, officer_yungang, weekly_w32):
    client = client_as(officer_yungang)
    card = ReminderCard.objects.get(recipient_unit=weekly_w32.unit, year=2022)
    assert client.get(f"/reports/{weekly_w32.pk}/").status_code == 404
    assert client.post(f"/reports/{weekly_w32.pk}/edit/", {"summary": "x", "submit": "1"}).status_code == 404
    assert client.get(f"/reminder-cards/{card.pk}/").status_code == 404
    assert client.get(f"/reminder-cards/{card.pk}/pdf/").status_code == 404
    assert Report.objects.get(pk=weekly_w32.pk).status == ReportStatus.EXPECTED


def test_headquarters_issues_a_card_through_the_page(client_as, hq, pingcheng, government):
    response = client_as(hq).post(
        "/reminder-cards/new/",
        {
            "title": "平城区国庆期间创城提示",
            "recipient_unit": government(pingcheng).pk,
            "supervision_items": "古城街区\n背街小巷",
            "hidden_risks": "井盖破损",
        },
    )
    card = ReminderCard.objects.get(title="平城区国庆期间创城提示")
    assert response.status_code == 302 and response["Location"] == f"/reminder-cards/{card.pk}/"
    assert card.items("supervision_items") == ["古城街区", "背街小巷"]


def test_card_form_without_recipient_shows_an_error_and_creates_nothing(client_as, hq):
    count = ReminderCard.objects.count()
    response = client_as(hq).post("/reminder-cards/new/", {"title": "无人"})
    assert response.status_code == 200 and "请至少指定" in response.content.decode()
    assert ReminderCard.objects.count() == count


def test_holder_sees_their_cards_and_owed_reports_on_the_home_page(client_as, officer_pingcheng, card_pingcheng):
    page = client_as(officer_pingcheng).get("/").content.decode()
    assert card_pingcheng.number in page and "待报送的周一总结" in page


def test_card_page_shows_the_guidance_section_by_section(client_as, officer_pingcheng, card_pingcheng):
    page = client_as(officer_pingcheng).get(f"/reminder-cards/{card_pingcheng.pk}/").content.decode()
    for heading in ("领衔督办事项", "分管领域", "八项提升行动任务", "部门职责", "具体点位", "突出问题", "问题隐患"):
        assert heading in page
    assert "鼓楼东街" in page


def test_card_pdf_embeds_a_cjk_font_and_carries_the_title(client_as, officer_pingcheng, card_pingcheng):
    response = client_as(officer_pingcheng).get(f"/reminder-cards/{card_pingcheng.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert_cjk_font_embedded(pdf)
    text = pdf_text(pdf)
    assert card_pingcheng.title in text and "提 示 卡" in text


def test_officer_submits_through_the_page_and_headquarters_returns_it(client_as, officer_pingcheng, hq, weekly_w32):
    client = client_as(officer_pingcheng)
    response = client.post(f"/reports/{weekly_w32.pk}/edit/", {"summary": "完成整治", "submit": "1"})
    assert response.status_code == 302
    assert Report.objects.get(pk=weekly_w32.pk).status == ReportStatus.SUBMITTED
    client = client_as(hq)
    refused = client.post(f"/reports/{weekly_w32.pk}/review/", {"decision": "return", "reason": ""})
    assert refused.status_code == 400
    assert Report.objects.get(pk=weekly_w32.pk).status == ReportStatus.SUBMITTED
    client.post(f"/reports/{weekly_w32.pk}/review/", {"decision": "return", "reason": "数据不全"})
    assert Report.objects.get(pk=weekly_w32.pk).status == ReportStatus.RETURNED
    history = client.get(f"/reports/{weekly_w32.pk}/").content.decode()
    assert "数据不全" in history


def test_officer_cannot_review_through_the_page(client_as, officer_pingcheng, weekly_w32):
    services.report_submit(actor=officer_pingcheng, report=weekly_w32, summary="完成", now=at("2022-08-15 20:00"))
    response = client_as(officer_pingcheng).post(f"/reports/{weekly_w32.pk}/review/", {"decision": "accept"})
    assert response.status_code == 403
    assert Report.objects.get(pk=weekly_w32.pk).status == ReportStatus.SUBMITTED


def test_headquarters_cannot_fill_a_units_report(client_as, hq, weekly_w32):
    response = client_as(hq).post(f"/reports/{weekly_w32.pk}/edit/", {"summary": "代填", "submit": "1"})
    assert response.status_code == 403
    assert Report.objects.get(pk=weekly_w32.pk).summary == ""


def test_attachment_is_stored_and_only_visible_inside_scope(client_as, officer_pingcheng, officer_yungang, weekly_w32):
    client = client_as(officer_pingcheng)
    upload = SimpleUploadedFile("周报.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    client.post(f"/reports/{weekly_w32.pk}/attachments/", {"file": upload})
    attachment = weekly_w32.attachments.get()
    assert client.get(f"/reports/{weekly_w32.pk}/attachments/{attachment.pk}/").status_code == 200
    other = client_as(officer_yungang)
    assert other.get(f"/reports/{weekly_w32.pk}/attachments/{attachment.pk}/").status_code == 404


BAD_ATTACHMENTS = [
    ("run.exe", b"MZ\x90\x00", "不支持"),
    ("周报.pdf", b"just some text pretending", "内容与扩展名不符"),
    ("台账.xlsx", b"PK\x03\x04 not really a workbook", "内容与扩展名不符"),
    ("照片.jpg", b"<html>not an image</html>", "不是有效的图片"),
    ("空文件.pdf", b"", "空文件"),
    ("说明.txt", b"a\x00b", "内容与扩展名不符"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_ATTACHMENTS, ids=[row[0] for row in BAD_ATTACHMENTS])
def test_fake_or_forbidden_attachments_are_refused_with_a_reason(
    client_as, officer_pingcheng, weekly_w32, name, data, message
):
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    response = client_as(officer_pingcheng).post(
        f"/reports/{weekly_w32.pk}/attachments/", {"file": upload}, follow=True
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not weekly_w32.attachments.exists()


def test_attachment_is_stored_under_a_random_name_and_served_with_its_own(client_as, officer_pingcheng, weekly_w32):
    client = client_as(officer_pingcheng)
    upload = SimpleUploadedFile("../../平城区周报.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    client.post(f"/reports/{weekly_w32.pk}/attachments/", {"file": upload})
    attachment = weekly_w32.attachments.get()
    assert attachment.name == "平城区周报.pdf"
    assert "平城区周报" not in attachment.file.name and ".." not in attachment.file.name
    assert attachment.file.name.startswith(f"reports/{weekly_w32.pk}/") and attachment.file.name.endswith(".pdf")
    response = client.get(f"/reports/{weekly_w32.pk}/attachments/{attachment.pk}/")
    assert "attachment" in response["Content-Disposition"]


def test_board_shows_holders_by_period_with_states(client_as, hq, officer_pingcheng, card_pingcheng):
    # The demo data has weeks of reports in every state around today; the board shows them.
    page = client_as(hq).get("/reports/board/").content.decode()
    assert "平城区人民政府" in page
    assert 'data-state="missing"' in page or 'data-state="on_time"' in page
    monthly = client_as(hq).get("/reports/board/?kind=monthly&offset=3")
    assert monthly.status_code == 200


def test_headquarters_home_shows_the_weekly_round_and_what_awaits_review(client_as, hq):
    page = client_as(hq).get("/").content.decode()
    assert 'id="report-round"' in page and "待审核" in page


def test_headquarters_revises_a_cards_guidance_and_keeps_its_number_and_holder(client_as, hq, card_pingcheng):
    client = client_as(hq)
    form = client.get(f"/reminder-cards/{card_pingcheng.pk}/edit/")
    assert form.status_code == 200 and "修改" in form.content.decode()
    response = client.post(
        f"/reminder-cards/{card_pingcheng.pk}/edit/",
        {"title": "平城区创城重点工作提示（修订）", "points": "鼓楼东街\n华严寺周边", "hidden_risks": "雨季积水"},
    )
    assert response.status_code == 302
    card = type(card_pingcheng).objects.get(pk=card_pingcheng.pk)
    assert card.title == "平城区创城重点工作提示（修订）"
    assert card.items("points") == ["鼓楼东街", "华严寺周边"]
    assert (card.number, card.recipient_unit_id) == (card_pingcheng.number, card_pingcheng.recipient_unit_id)


def test_a_revision_with_a_nul_byte_or_no_title_changes_nothing(client_as, hq, card_pingcheng):
    client = client_as(hq)
    for payload in ({"title": "坏\x00标题"}, {"title": ""}):
        response = client.post(f"/reminder-cards/{card_pingcheng.pk}/edit/", payload)
        assert response.status_code == 200
    card = type(card_pingcheng).objects.get(pk=card_pingcheng.pk)
    assert card.title == card_pingcheng.title


@pytest.mark.parametrize("username", ["officer-pingcheng", "supervisor", "leader", "api-reader"])
def test_only_headquarters_may_revise_a_card(client_as, city, card_pingcheng, username):
    client = client_as(city[username])
    assert client.get(f"/reminder-cards/{card_pingcheng.pk}/edit/").status_code == 403
    assert client.post(f"/reminder-cards/{card_pingcheng.pk}/edit/", {"title": "改"}).status_code == 403
    assert type(card_pingcheng).objects.get(pk=card_pingcheng.pk).title == card_pingcheng.title
