"""Edit history of reminder cards and the report calendar: who changed what, when, shown to headquarters only."""

import pytest

from campaigns.models import Task
from taskforces.models import ReportCalendar
from tests.history import history_panel, second_headquarters

pytestmark = pytest.mark.django_db


def test_two_headquarters_staff_revising_a_card_leave_a_row_each_with_their_names_on_the_page(
    client_as, hq, card_pingcheng, pingcheng, government
):
    deputy = second_headquarters(hq)
    task = Task.objects.filter(lead_unit=government(pingcheng)).first()
    edit = f"/reminder-cards/{card_pingcheng.pk}/edit/"
    revised = {
        "title": "平城区背街小巷整治提示（修订）",
        "supervision_items": "背街小巷环境卫生整治",
        "points": "鼓楼东街\n华严寺周边",
    }
    assert client_as(hq).post(edit, revised).status_code == 302
    assert client_as(deputy).post(edit, revised | {"tasks": [task.pk]}).status_code == 302

    edits = list(card_pingcheng.history.filter(history_type="~"))
    assert [row.history_user for row in edits] == [deputy, hq]  # newest first
    assert list(edits[0].tasks.values_list("task_id", flat=True)) == [task.pk]
    assert edits[1].title == "平城区背街小巷整治提示（修订）" and not edits[1].tasks.exists()

    panel = history_panel(client_as(hq).get(f"/reminder-cards/{card_pingcheng.pk}/"))
    deputy_row, hq_row = panel.split("修改 ")[1:3]
    assert deputy_row.startswith(deputy.display_name) and f"八项提升行动任务 ： — → {task.title}" in deputy_row
    assert hq_row.startswith(hq.display_name)
    assert "标题 ： 平城区背街小巷整治提示 → 平城区背街小巷整治提示（修订）" in hq_row
    assert "具体点位 ： 鼓楼东街 → 鼓楼东街 华严寺周边" in hq_row


@pytest.mark.parametrize("username", ["officer-pingcheng", "supervisor"])
def test_the_cards_holder_and_a_supervisor_read_the_card_without_its_history(client_as, city, card_pingcheng, username):
    page = client_as(city[username]).get(f"/reminder-cards/{card_pingcheng.pk}/")
    assert page.status_code == 200 and card_pingcheng.title in page.content.decode()
    assert history_panel(page) is None


def test_report_calendar_edits_on_the_setup_page_are_recorded_with_who_made_them(client_as, hq, city):
    calendar = ReportCalendar.current()
    form = {
        "weekly_due_time": "23:59:59",
        "monthly_due_day": "8",
        "monthly_due_time": "18:00:00",
        "monthly_remind_days_before": "3",
    }
    client = client_as(hq)
    assert client.post("/setup/report-calendar/", form).status_code == 302
    row = calendar.history.first()
    assert (row.history_type, row.history_user, row.monthly_due_day, row.monthly_remind_days_before) == ("~", hq, 8, 3)
    panel = history_panel(client.get("/setup/report-calendar/"))
    assert "月报截止日" in panel and hq.display_name in panel
