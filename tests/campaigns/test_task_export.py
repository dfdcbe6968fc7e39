"""The battle map (挂图作战) exports to .xlsx with its filters applied, in the user's scope, and never to a stranger."""

import io

import pytest
from django.db.models import Q
from django.utils import timezone
from openpyxl import load_workbook

from campaigns.choices import TaskStatus
from campaigns.models import Task
from campaigns.selectors import tasks_visible_to

pytestmark = pytest.mark.django_db


def _rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def test_the_task_export_holds_the_filtered_rows(client_as, hq):
    status = Task.objects.values_list("status", flat=True).order_by("status").first()
    rows = _rows(client_as(hq).get(f"/tasks/?status={status}&export=xlsx"))
    assert rows[0][:4] == ("任务", "提升行动", "主题活动", "牵头单位")
    expected = Task.objects.filter(status=status)
    assert 0 < expected.count() < Task.objects.count()
    assert sorted(row[0] for row in rows[1:]) == sorted(expected.values_list("title", flat=True))
    assert {row[12] for row in rows[1:]} == {TaskStatus(status).label}


def test_the_overdue_filter_reaches_the_file(client_as, hq):
    overdue = Task.objects.filter(Q(deadline__lt=timezone.localdate()) & ~Q(status=TaskStatus.DONE))
    rows = _rows(client_as(hq).get("/tasks/?overdue=true&export=xlsx"))
    assert sorted(row[0] for row in rows[1:]) == sorted(overdue.values_list("title", flat=True))
    assert all(row[13] == "是" for row in rows[1:])


def test_the_task_export_keeps_to_the_users_scope(client_as, officer_pingcheng):
    rows = _rows(client_as(officer_pingcheng).get("/tasks/?export=xlsx"))
    visible = tasks_visible_to(officer_pingcheng)
    assert sorted(row[0] for row in rows[1:]) == sorted(visible.values_list("title", flat=True))
    assert visible.count() < Task.objects.count()
    hidden = Task.objects.exclude(pk__in=visible.values("pk")).values_list("title", flat=True)
    assert not {row[0] for row in rows[1:]} & (set(hidden) - set(visible.values_list("title", flat=True)))


def test_a_stranger_gets_no_export(client, city):
    response = client.get("/tasks/?export=xlsx")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_bad_export_filter_is_a_chinese_message_not_a_file(client_as, hq):
    response = client_as(hq).get("/tasks/?deadline_after=notadate&export=xlsx")
    assert response.status_code == 400 and not response["Content-Type"].startswith("application/vnd")
    assert "筛选条件有误" in response.content.decode()


def test_the_battle_map_offers_the_export_with_its_filters(client_as, hq):
    page = client_as(hq).get("/tasks/?status=done").content.decode()
    assert 'href="/tasks/?status=done&amp;export=xlsx"' in page
