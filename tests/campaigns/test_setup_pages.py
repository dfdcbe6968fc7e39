"""Headquarters sets up the campaign in the portal: units, people, the plan, working days, the calendar's schedules,
the task forces and the report calendar. Everyone else is refused; bad input is answered in Chinese and saves nothing.
"""

from datetime import date

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django_celery_beat.models import PeriodicTask

from campaigns.clock import ensure_schedules
from campaigns.models import ImprovementAction, PlanPhase, Task, ThematicActivity, Unit, User, WorkdayException
from taskforces.models import ReportCalendar, TaskForce
from tests.history import history_panel

pytestmark = pytest.mark.django_db

SETUP_PAGES = [
    "/setup/",
    "/setup/units/",
    "/setup/units/new/",
    "/setup/units/{unit}/",
    "/setup/people/",
    "/setup/people/new/",
    "/setup/people/{person}/",
    "/setup/plan/",
    "/setup/workdays/",
    "/setup/schedules/",
    "/setup/schedules/{schedule}/",
    "/setup/task-forces/",
    "/setup/task-forces/{task_force}/",
    "/setup/task-forces/{task_force}/groups/new/",
    "/setup/report-calendar/",
]
SETUP_POSTS = [
    "/setup/people/{person}/deactivate/",
    "/setup/plan/phases/{phase}/",
    "/setup/plan/actions/{action}/lead-unit/",
    "/setup/plan/activities/{activity}/lead-unit/",
    "/setup/workdays/{exception}/remove/",
]


@pytest.fixture
def ids(city, hq):
    from campaigns import services

    ensure_schedules()
    exception = services.workday_exception_set(actor=hq, day=date(2026, 12, 31), is_working_day=False, reason="测试")
    return {
        "unit": Unit.objects.get(name="平城区人民政府").pk,
        "person": city["officer-yungang"].pk,
        "schedule": PeriodicTask.objects.first().pk,
        "task_force": TaskForce.objects.first().pk,
        "phase": PlanPhase.objects.first().pk,
        "action": ImprovementAction.objects.first().pk,
        "activity": ThematicActivity.objects.first().pk,
        "exception": exception.pk,
    }


@pytest.mark.parametrize("username", ["supervisor", "leader", "officer-pingcheng", "api-reader"])
def test_everyone_but_headquarters_is_refused_every_setup_page(client_as, city, ids, username):
    client = client_as(city[username])
    for template in SETUP_PAGES:
        url = template.format(**ids)
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "x"}).status_code == 403, url
    for template in SETUP_POSTS:
        url = template.format(**ids)
        assert client.post(url, {"goal": "x", "lead_unit": ids["unit"]}).status_code == 403, url
    assert city["officer-yungang"].is_active and WorkdayException.objects.filter(pk=ids["exception"]).exists()
    assert PlanPhase.objects.get(pk=ids["phase"]).goal != "x"


def test_headquarters_opens_every_setup_page(client_as, hq, ids):
    client = client_as(hq)
    for template in SETUP_PAGES:
        url = template.format(**ids)
        assert client.get(url).status_code == 200, url
    assert "创城设置" in client.get("/").content.decode()  # the menu offers it


def test_headquarters_builds_the_unit_tree(client_as, hq, pingcheng):
    street = Unit.objects.get(name="平城区南关街道")
    client = client_as(hq)
    response = client.post(
        "/setup/units/new/",
        {"name": "南关街道新建社区", "kind": "community", "division": pingcheng.pk, "parent": street.pk},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="南关街道新建社区")
    assert unit.parent == street and unit.history.first().history_user == hq
    tree = client.get(f"/setup/units/?division={pingcheng.pk}").content.decode().split("<tbody>")[1]
    assert tree.index("平城区南关街道") < tree.index("南关街道新建社区")


def test_a_unit_cannot_become_its_own_ancestor_and_nothing_is_saved(client_as, hq):
    street = Unit.objects.get(name="平城区南关街道")
    child = street.children.first()
    form = {"name": street.name, "kind": street.kind, "division": street.division_id, "parent": child.pk}
    response = client_as(hq).post(f"/setup/units/{street.pk}/", form)
    assert response.status_code == 400
    assert "上级单位不能是本单位或其下级单位" in response.content.decode()
    street.refresh_from_db()
    assert street.parent_id != child.pk


def test_a_duplicate_unit_name_is_refused_in_chinese(client_as, hq):
    before = Unit.objects.count()
    response = client_as(hq).post("/setup/units/new/", {"name": "平城区人民政府", "kind": "government"})
    assert response.status_code == 400 and "已存在" in response.content.decode()
    assert Unit.objects.count() == before


def test_headquarters_invites_a_person_who_then_signs_in(client_as, hq):
    unit = Unit.objects.get(name="平城区人民政府")
    form = {
        "username": "officer-new",
        "password": "Pingcheng-First-2026",
        "display_name": "陈新",
        "role": "officer",
        "unit": unit.pk,
        "title": "科员",
    }
    response = client_as(hq).post("/setup/people/new/", form)
    assert response.status_code == 302
    person = User.objects.get(username="officer-new")
    assert (person.unit, person.role, person.is_superuser) == (unit, "officer", False)
    assert authenticate(username="officer-new", password="Pingcheng-First-2026") == person
    assert person.history.first().history_user == hq


def test_a_weak_first_password_or_a_taken_username_saves_nothing(client_as, hq):
    unit = Unit.objects.get(name="平城区人民政府")
    before = User.objects.count()
    client = client_as(hq)
    weak = {"username": "officer-weak", "password": "123", "display_name": "弱", "role": "officer", "unit": unit.pk}
    response = client.post("/setup/people/new/", weak)
    assert response.status_code == 400 and "密码" in response.content.decode()
    taken = weak | {"username": "hq", "password": "Another-Good-2026"}
    response = client.post("/setup/people/new/", taken)
    assert response.status_code == 400 and "已存在" in response.content.decode()
    no_unit = weak | {"username": "officer-nounit", "password": "Another-Good-2026", "unit": ""}
    response = client.post("/setup/people/new/", no_unit)
    assert response.status_code == 400 and "请选择所属单位" in response.content.decode()
    assert User.objects.count() == before


def test_headquarters_changes_a_role_and_deactivates_never_deletes(client_as, hq, officer_yungang):
    client = client_as(hq)
    form = {"display_name": officer_yungang.display_name, "role": "supervisor", "unit": officer_yungang.unit_id}
    assert client.post(f"/setup/people/{officer_yungang.pk}/", form).status_code == 302
    assert client.post(f"/setup/people/{officer_yungang.pk}/deactivate/").status_code == 302
    officer_yungang.refresh_from_db()
    assert (officer_yungang.role, officer_yungang.is_active) == ("supervisor", False)
    assert authenticate(username=officer_yungang.username, password=settings.DEMO_PASSWORD) is None
    panel = history_panel(client.get(f"/setup/people/{officer_yungang.pk}/"))
    assert "角色" in panel and hq.display_name in panel
    assert client.post(f"/setup/people/{officer_yungang.pk}/reactivate/").status_code == 302
    officer_yungang.refresh_from_db()
    assert officer_yungang.is_active


def test_headquarters_cannot_deactivate_itself(client_as, hq):
    response = client_as(hq).post(f"/setup/people/{hq.pk}/deactivate/", follow=True)
    assert "不能停用自己的账号" in response.content.decode()
    hq.refresh_from_db()
    assert hq.is_active


def test_headquarters_sets_phases_and_lead_units(client_as, hq):
    phase = PlanPhase.objects.first()
    activity = ThematicActivity.objects.first()
    action = ImprovementAction.objects.first()
    unit = Unit.objects.get(name="市教育局")
    client = client_as(hq)
    client.post(f"/setup/plan/phases/{phase.pk}/", {"goal": "补齐短板", "programme": "2021年工作方案"})
    client.post(f"/setup/plan/activities/{activity.pk}/lead-unit/", {"lead_unit": unit.pk})
    client.post(f"/setup/plan/actions/{action.pk}/lead-unit/", {"lead_unit": unit.pk})
    phase.refresh_from_db()
    activity.refresh_from_db()
    action.refresh_from_db()
    assert (phase.programme, activity.lead_unit, action.lead_unit) == ("2021年工作方案", unit, unit)
    # an empty goal or an unknown unit: a Chinese message and nothing saved
    page = client.post(f"/setup/plan/phases/{phase.pk}/", {"goal": ""}, follow=True).content.decode()
    assert "请填写年度目标" in page
    page = client.post(f"/setup/plan/actions/{action.pk}/lead-unit/", {"lead_unit": 999999}, follow=True)
    assert "所选单位不存在" in page.content.decode()
    phase.refresh_from_db()
    action.refresh_from_db()
    assert (phase.goal, action.lead_unit) == ("补齐短板", unit)


def test_headquarters_adds_and_removes_a_local_working_day_exception(client_as, hq):
    client = client_as(hq)
    response = client.post(
        "/setup/workdays/", {"day": "2026-12-12", "is_working_day": "1", "reason": "迎接测评周六上班"}
    )
    assert response.status_code == 302
    exception = WorkdayException.objects.get(day=date(2026, 12, 12))
    assert exception.is_working_day
    page = client.get("/setup/workdays/")
    assert "迎接测评周六上班" in page.content.decode() and hq.display_name in history_panel(page)
    client.post(f"/setup/workdays/{exception.pk}/remove/")
    assert not WorkdayException.objects.filter(day=date(2026, 12, 12)).exists()


def test_a_bad_working_day_exception_is_refused_in_chinese(client_as, hq):
    client = client_as(hq)
    for form in ({"day": "2026-13-45", "is_working_day": "1", "reason": "x"}, {"day": "2026-12-12", "reason": ""}):
        response = client.post("/setup/workdays/", form)
        assert response.status_code == 400
        assert "有效的日期" in response.content.decode() or "必填" in response.content.decode()
    assert not WorkdayException.objects.exists()


def test_the_schedules_list_shows_the_next_run_and_headquarters_edits_the_crontab(client_as, hq, city):
    ensure_schedules()
    task = PeriodicTask.objects.select_related("crontab").order_by("name").first()
    client = client_as(hq)
    page = client.get("/setup/schedules/").content.decode()
    assert task.name in page and "下次运行" in page
    old_crontab = task.crontab_id
    sharing = list(PeriodicTask.objects.filter(crontab_id=old_crontab).exclude(pk=task.pk).values_list("pk", flat=True))
    form = {
        "enabled": "on",
        "minute": "15",
        "hour": "7",
        "day_of_week": "1-5",
        "day_of_month": "*",
        "month_of_year": "*",
    }
    assert client.post(f"/setup/schedules/{task.pk}/", form).status_code == 302
    task.refresh_from_db()
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week, task.enabled) == ("15", "7", "1-5", True)
    assert str(task.crontab.timezone) == "Asia/Shanghai"
    assert task.history.first().history_user == hq
    # a crontab row shared with other tasks is not edited in place: they keep theirs
    assert set(PeriodicTask.objects.filter(crontab_id=old_crontab).values_list("pk", flat=True)) == set(sharing)


def test_a_bad_crontab_is_refused_in_chinese_and_saves_nothing(client_as, hq, city):
    ensure_schedules()
    task = PeriodicTask.objects.select_related("crontab").first()
    before = (task.crontab_id, task.enabled)
    form = {"enabled": "", "minute": "61", "hour": "25", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"}
    response = client_as(hq).post(f"/setup/schedules/{task.pk}/", form)
    assert response.status_code == 400 and "不是有效的 crontab 写法" in response.content.decode()
    task.refresh_from_db()
    assert (task.crontab_id, task.enabled) == before


def test_headquarters_sets_up_a_task_force_and_a_group(client_as, hq, city, pingcheng, yungang):
    task_force = TaskForce.objects.first()
    client = client_as(hq)
    form = {
        "field": "背街小巷整治",
        "leader": city["leader"].pk,
        "members": [city["supervisor"].pk, hq.pk],
        "liaison_divisions": [pingcheng.pk, yungang.pk],
    }
    assert client.post(f"/setup/task-forces/{task_force.pk}/", form).status_code == 302
    task_force.refresh_from_db()
    assert task_force.leader == city["leader"]
    assert set(task_force.members.all()) == {city["supervisor"], hq}
    assert set(task_force.liaison_divisions.all()) == {pingcheng, yungang}
    group = {"name": "督查小组", "responsibility": "巡查", "leader": city["supervisor"].pk, "members": [hq.pk]}
    assert client.post(f"/setup/task-forces/{task_force.pk}/groups/new/", group).status_code == 302
    assert task_force.groups.filter(name="督查小组", leader=city["supervisor"]).exists()
    again = client.post(f"/setup/task-forces/{task_force.pk}/groups/new/", group)
    assert again.status_code == 400 and "已有名为" in again.content.decode()
    assert task_force.groups.filter(name="督查小组").count() == 1


def test_the_monthly_due_day_is_bounded(client_as, hq, city):
    before = ReportCalendar.current().monthly_due_day
    form = {
        "weekly_due_time": "23:59:59",
        "monthly_due_day": "31",
        "monthly_due_time": "18:00",
        "monthly_remind_days_before": "2",
    }
    response = client_as(hq).post("/setup/report-calendar/", form)
    assert response.status_code == 400 and "28" in response.content.decode()
    assert ReportCalendar.current().monthly_due_day == before


def test_the_battle_map_filters_by_thematic_activity_and_shows_progress_per_activity(client_as, hq):
    activity = ThematicActivity.objects.first()
    task = Task.objects.filter(activity__isnull=True).first()
    Task.objects.filter(pk=task.pk).update(activity=activity)
    client = client_as(hq)
    page = client.get(f"/tasks/?activity={activity.pk}").content.decode()
    assert task.title in page
    assert all(t.title not in page for t in Task.objects.exclude(activity=activity)[:5])
    api = client.get(f"/api/v1/tasks/?activity={activity.pk}").json()
    assert {row["id"] for row in api["results"]} == set(
        Task.objects.filter(activity=activity).values_list("id", flat=True)
    )
    plan = client.get("/plan/").content.decode()
    assert "六大主题实践活动" in plan and activity.name in plan


GARBAGE = {
    "name": "\x00坏",
    "kind": "castle",
    "division": "abc",
    "parent": "99999999999999999999",
    "username": "x" * 500,
    "password": "\x00",
    "display_name": "",
    "role": "king",
    "unit": "-1",
    "goal": "\x00",
    "lead_unit": "1.5",
    "day": "2026-02-30",
    "is_working_day": "maybe",
    "reason": "x" * 500,
    "minute": "\x00",
    "hour": "*/0",
    "day_of_week": "8",
    "day_of_month": "32",
    "month_of_year": "13",
    "monthly_due_day": "-1",
    "weekly_due_time": "25:00",
    "members": "abc",
    "leader": "abc",
}


def test_garbage_on_every_setup_form_is_a_chinese_4xx_and_changes_nothing(client_as, hq, ids):
    from django.db import connection

    def fingerprint():
        with connection.cursor() as cursor:
            counts = []
            for model in (Unit, User, WorkdayException, PeriodicTask, TaskForce, PlanPhase):
                cursor.execute(f"SELECT count(*) FROM {model._meta.db_table}")  # noqa: S608 (model tables)
                counts.append(cursor.fetchone()[0])
        phase = PlanPhase.objects.get(pk=ids["phase"])
        return counts, phase.goal, ReportCalendar.current().monthly_due_day

    before = fingerprint()
    client = client_as(hq)
    forms = [
        "/setup/units/new/",
        "/setup/units/{unit}/",
        "/setup/people/new/",
        "/setup/people/{person}/",
        "/setup/workdays/",
        "/setup/schedules/{schedule}/",
        "/setup/task-forces/{task_force}/",
        "/setup/task-forces/{task_force}/groups/new/",
        "/setup/report-calendar/",
        "/setup/plan/phases/{phase}/",
        "/setup/plan/actions/{action}/lead-unit/",
        "/setup/plan/activities/{activity}/lead-unit/",
    ]
    for template in forms:
        url = template.format(**ids)
        response = client.post(url, GARBAGE)
        assert response.status_code in (302, 400), (url, response.status_code)
        if response.status_code == 400:
            assert any(word in response.content.decode() for word in ("有效", "必填", "不能", "请", "字")), url
    assert fingerprint() == before
