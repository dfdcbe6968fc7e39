"""The pages: issue form, list with filters, card page with the viewer's actions, inbox, PDF; outsiders refused."""

from datetime import timedelta

import pytest
from django.utils import timezone

from supervision.choices import CardStatus
from supervision.models import SupervisionCard
from tests.pdf import assert_cjk_font_embedded, pdf_text
from tests.supervision.conftest import at, snapshot, workday

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client, card_in):
    card = card_in(CardStatus.ISSUED)
    for url in (
        "/supervision/",
        "/supervision/inbox/",
        "/supervision/new/",
        f"/supervision/{card.pk}/",
        f"/supervision/{card.pk}/pdf/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    response = client.post(f"/supervision/{card.pk}/acknowledge/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert SupervisionCard.objects.get(pk=card.pk).status == CardStatus.ISSUED


def test_officer_of_another_district_gets_404_on_card_pages(client_as, officer_pingcheng, card_in):
    card = card_in(CardStatus.ISSUED)
    before = snapshot(card)
    client = client_as(officer_pingcheng)
    assert client.get(f"/supervision/{card.pk}/").status_code == 404
    assert client.get(f"/supervision/{card.pk}/pdf/").status_code == 404
    assert client.post(f"/supervision/{card.pk}/acknowledge/").status_code == 404
    assert card.number not in client.get("/supervision/").content.decode()
    assert snapshot(card) == before


@pytest.mark.parametrize("username", ["leader", "api-reader", "officer-yungang"])
def test_only_headquarters_and_supervisors_open_the_issue_form(username, city, client_as):
    client = client_as(city[username])
    assert client.get("/supervision/new/").status_code == 403
    assert client.post("/supervision/new/", {"title": "x"}).status_code == 403


def test_wrong_role_posting_an_action_is_403_and_nothing_changes(client_as, hq, card_in):
    card = card_in(CardStatus.ISSUED)
    before = snapshot(card)
    assert client_as(hq).post(f"/supervision/{card.pk}/acknowledge/").status_code == 403
    assert snapshot(card) == before


def test_supervisor_issues_a_card_through_the_form(client_as, supervisor, government, yungang):
    client = client_as(supervisor)
    assert client.get("/supervision/new/").status_code == 200
    response = client.post(
        "/supervision/new/",
        {
            "title": "新平旺社区楼道杂物",
            "source": "inspection",
            "description": "楼道堆放杂物，存在消防隐患。",
            "requirement": "三日内清理。",
            "assignee_unit": government(yungang).pk,
            "deadline": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
    )
    card = SupervisionCard.objects.get(title="新平旺社区楼道杂物")
    assert response.status_code == 302 and response["Location"] == f"/supervision/{card.pk}/"
    assert card.status == CardStatus.ISSUED and card.issued_by == supervisor


def test_issue_form_shows_errors_and_issues_nothing(client_as, supervisor, government, yungang):
    count = SupervisionCard.objects.count()
    response = client_as(supervisor).post(
        "/supervision/new/",
        {
            "title": "批示件",
            "source": "leader_instruction",
            "description": "x",
            "assignee_unit": government(yungang).pk,
            "deadline": "2001-01-01",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "办结时限不能早于下发日期" in page and "请填写批示领导" in page
    assert SupervisionCard.objects.count() == count


def test_card_page_offers_each_viewer_only_their_actions(client_as, card_in, officer_yungang, supervisor, hq, leader):
    issued = card_in(CardStatus.ISSUED)
    submitted = card_in(CardStatus.SUBMITTED)

    def forms(user, card):
        page = client_as(user).get(f"/supervision/{card.pk}/").content.decode()
        return {
            name
            for name in ("acknowledge", "submit", "verify", "extensions/")
            if f'action="/supervision/{card.pk}/{name}' in page
        }

    assert forms(officer_yungang, issued) == {"acknowledge", "extensions/"}
    assert forms(supervisor, issued) == set()
    assert forms(officer_yungang, submitted) == set()
    assert forms(supervisor, submitted) == {"verify"}
    assert forms(hq, submitted) == {"verify"}
    assert forms(leader, submitted) == set()


def test_headquarters_withdraws_a_card_from_its_page_after_confirming(client_as, card_in, hq, officer_yungang):
    card = card_in(CardStatus.ACKNOWLEDGED)
    withdraw_form = f'action="/supervision/{card.pk}/withdraw/"'
    assert withdraw_form not in client_as(officer_yungang).get(f"/supervision/{card.pk}/").content.decode()
    client = client_as(hq)
    page = client.get(f"/supervision/{card.pk}/").content.decode()
    assert withdraw_form in page and f'data-confirm="确定撤销督办卡 {card.number} 吗？' in page

    before = snapshot(card)
    unconfirmed = client.post(f"/supervision/{card.pk}/withdraw/", {"reason": "重复下发"}, follow=True)
    assert "请勾选确认后再撤销督办卡。" in unconfirmed.content.decode()
    no_reason = client.post(f"/supervision/{card.pk}/withdraw/", {"reason": " ", "confirm": "on"}, follow=True)
    assert "该字段是必填项。" in no_reason.content.decode()
    assert snapshot(card) == before

    response = client.post(f"/supervision/{card.pk}/withdraw/", {"reason": "重复下发", "confirm": "on"}, follow=True)
    page = response.content.decode()
    assert "督办卡已撤销，编号和办理记录保留。" in page and "本督办卡已撤销。" in page
    card.refresh_from_db()
    assert card.status == CardStatus.WITHDRAWN
    last = card.transitions.order_by("at", "id").last()
    assert (last.action, last.actor, last.note) == ("withdraw", hq, "重复下发")
    assert withdraw_form not in page  # a withdrawn card offers no second withdrawal
    again = client.post(f"/supervision/{card.pk}/withdraw/", {"reason": "再撤", "confirm": "on"}, follow=True)
    assert "不能执行“撤销”操作" in again.content.decode()
    assert card.transitions.count() == len(before["transitions"]) + 1


def test_illegal_move_from_the_page_shows_a_message_and_changes_nothing(client_as, officer_yungang, card_in):
    card = card_in(CardStatus.SUBMITTED)
    before = snapshot(card)
    response = client_as(officer_yungang).post(f"/supervision/{card.pk}/acknowledge/", follow=True)
    assert response.status_code == 200
    assert "不能执行“签收”操作" in response.content.decode()
    assert snapshot(card) == before


def test_list_page_uses_the_shared_filters(client_as, hq, issue_card, government, pingcheng):
    overdue = issue_card(title="列表逾期卡", deadline=workday(-1), now=at(-20))
    other = issue_card(title="列表平城卡", assignee_unit=government(pingcheng))
    client = client_as(hq)
    page = client.get("/supervision/?overdue=true").content.decode()
    assert overdue.number in page and other.number not in page
    page = client.get(f"/supervision/?division={pingcheng.pk}").content.decode()
    assert other.number in page and overdue.number not in page
    partial = client.get("/supervision/?status=issued", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.content.decode()


def test_officer_inbox_lists_their_units_open_cards_overdue_first(client_as, officer_yungang, issue_card, card_in):
    soon = issue_card(title="即将到期", deadline=workday(1))
    late = issue_card(title="已经逾期", deadline=workday(-4), now=at(-20))
    closed = card_in(CardStatus.CLOSED)
    page = client_as(officer_yungang).get("/supervision/inbox/").content.decode()
    assert late.number in page and soon.number in page and closed.number not in page
    assert page.index(late.number) < page.index(soon.number)
    assert "平城区" not in page.split('id="card-inbox"')[1]


def test_supervisor_inbox_holds_cards_waiting_for_verification(client_as, supervisor, card_in):
    waiting = card_in(CardStatus.SUBMITTED)
    acknowledged = card_in(CardStatus.ACKNOWLEDGED)
    page = client_as(supervisor).get("/supervision/inbox/").content.decode()
    assert waiting.number in page and acknowledged.number not in page


def test_pdf_embeds_a_cjk_font_and_carries_the_number(client_as, officer_yungang, card_in):
    card = card_in(CardStatus.ACKNOWLEDGED)
    response = client_as(officer_yungang).get(f"/supervision/{card.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert_cjk_font_embedded(pdf)
    text = pdf_text(pdf)
    for expected in (card.number, "督 办 卡", "云冈区人民政府", "办结时限", "签发人", card.requirement[:6]):
        assert expected in text, expected


def test_home_page_shows_the_supervision_section(client_as, officer_yungang, hq):
    assert 'id="supervision-home"' in client_as(officer_yungang).get("/").content.decode()


# Inside the date window (campaigns/validators.py): a date the form refuses would never reach the role check.
IN_TWO_MONTHS = (timezone.localdate() + timedelta(days=60)).isoformat()

PAGE_ACTIONS = {
    # action path: (card status, form data, a signed-in role that may see the card but not do this)
    "acknowledge": (CardStatus.ISSUED, {"note": "收到"}, "hq"),
    "submit": (CardStatus.ACKNOWLEDGED, {"feedback": "已整改"}, "supervisor"),
    "verify": (CardStatus.SUBMITTED, {"decision": "close", "comment": "好"}, "officer-yungang"),
    "extensions": (CardStatus.ACKNOWLEDGED, {"reason": "需协调", "new_deadline": IN_TWO_MONTHS}, "leader"),
    "decide": (CardStatus.ACKNOWLEDGED, {"decision": "approve"}, "officer-yungang"),
    "withdraw": (CardStatus.ACKNOWLEDGED, {"reason": "误发", "confirm": "on"}, "officer-yungang"),
}


@pytest.mark.parametrize("action", list(PAGE_ACTIONS))
def test_page_actions_refuse_anonymous_outsiders_and_wrong_roles(action, city, client, card_in, officer_yungang):
    from supervision import services

    status, data, wrong_role = PAGE_ACTIONS[action]
    card = card_in(status)
    url = f"/supervision/{card.pk}/{action}/"
    if action == "decide":
        extension = services.extension_request(
            actor=officer_yungang, card=card, reason="需协调", new_deadline=card.deadline + timedelta(days=3)
        )
        url = f"/supervision/{card.pk}/extensions/{extension.pk}/decide/"
    before = snapshot(card)

    anonymous = client.post(url, data)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(city["officer-pingcheng"])
    assert client.post(url, data).status_code == 404
    client.force_login(city[wrong_role])
    assert client.post(url, data).status_code == 403
    assert client.get(url).status_code == 405
    assert snapshot(card) == before
