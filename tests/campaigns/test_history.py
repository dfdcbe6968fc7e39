"""Edit history of tasks, units, people and the beat schedule: who changed what, when, shown to headquarters only."""

from datetime import date

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from campaigns import services
from campaigns.clock import ensure_schedules
from campaigns.models import Task, Unit, User
from tests.history import history_panel, second_headquarters


@pytest.fixture
def pingcheng_task(city, pingcheng, government):
    return Task.objects.filter(lead_unit=government(pingcheng), target__gt=1).first()


def test_two_people_editing_a_task_leave_a_row_each_with_their_names_on_the_page(
    client_as, api_as, hq, officer_pingcheng, pingcheng_task
):
    task = pingcheng_task
    old_deadline = task.deadline
    response = api_as(hq).patch(f"/api/v1/tasks/{task.pk}/", {"deadline": "2030-06-30"}, format="json")
    assert response.status_code == 200, response.json()
    response = client_as(officer_pingcheng).post(
        f"/tasks/{task.pk}/edit/", {"done": "1", "status": "in_progress", "description": "本周完成1处"}
    )
    assert response.status_code == 302

    edits = list(task.history.filter(history_type="~"))
    assert [edit.history_user for edit in edits] == [officer_pingcheng, hq]  # newest first
    assert (edits[1].deadline, edits[0].done) == (date(2030, 6, 30), 1)

    panel = history_panel(client_as(hq).get(f"/tasks/{task.pk}/"))
    assert panel is not None
    officer_row, hq_row = panel.split("修改 ")[1:3]
    assert (
        officer_row.startswith(officer_pingcheng.display_name) and "完成值" in officer_row and "→ 1.00" in officer_row
    )
    assert hq_row.startswith(hq.display_name) and f"完成时限 ： {old_deadline.isoformat()} → 2030-06-30" in hq_row
    assert "完成时限" not in officer_row


def test_an_officer_sees_no_history_panel_on_their_own_task(client_as, officer_pingcheng, pingcheng_task):
    page = client_as(officer_pingcheng).get(f"/tasks/{pingcheng_task.pk}/")
    assert page.status_code == 200
    assert history_panel(page) is None and "修改记录" not in page.content.decode()


def test_a_service_run_outside_a_request_names_its_actor(hq, pingcheng_task):
    deputy = second_headquarters(hq)
    services.task_update(actor=deputy, task=pingcheng_task, measure="平方米")
    assert pingcheng_task.history.first().history_user == deputy


def test_co_units_changed_with_a_task_fold_into_that_edits_row(hq, pingcheng_task, yungang, government):
    before = pingcheng_task.history.count()
    services.task_update(actor=hq, task=pingcheng_task, title="背街小巷整治（联合）", co_units=[government(yungang)])
    assert pingcheng_task.history.count() == before + 1
    row = pingcheng_task.history.first()
    assert (row.title, list(row.co_units.values_list("unit_id", flat=True))) == (
        "背街小巷整治（联合）",
        [government(yungang).pk],
    )


def test_saving_a_record_without_a_change_records_nothing(hq, pingcheng_task):
    before = pingcheng_task.history.count()
    services.task_update(actor=hq, task=pingcheng_task, title=pingcheng_task.title)
    Task.objects.get(pk=pingcheng_task.pk).save()
    assert pingcheng_task.history.count() == before


def test_unit_edits_on_the_setup_page_are_listed_for_headquarters_on_the_unit_list(client_as, hq, officer_pingcheng):
    unit = Unit.objects.get(name="平城区人民政府")
    form = {
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "division": unit.division_id,
        "parent": unit.parent_id or "",
        "leader_name": "刘区长",
        "leader_title": "区长",
        "phone": unit.phone,
    }
    response = client_as(hq).post(f"/setup/units/{unit.pk}/", form)
    assert response.status_code == 302
    row = unit.history.first()
    assert (row.history_type, row.history_user, row.leader_name) == ("~", hq, "刘区长")

    panel = history_panel(client_as(hq).get("/units/"))
    assert f"修改 · {unit.name} {hq.display_name}" in panel and "负责人 ： — → 刘区长" in panel
    assert history_panel(client_as(officer_pingcheng).get("/units/")) is None


def _admin_user_form(user, **changes):
    joined = timezone.localtime(user.date_joined)
    form = {
        "username": user.username,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "display_name": user.display_name,
        "role": user.role,
        "unit": user.unit_id,
        "title": user.title,
        "phone": user.phone,
        "_save": "1",
    }
    return form | changes


def test_people_history_keeps_role_changes_and_never_a_password_hash(client_as, steward, officer_yungang):
    """The data steward's admin (the password form is the admin's); hq changes roles on the setup pages."""
    client = client_as(steward)
    url = f"/admin/campaigns/user/{officer_yungang.pk}/"
    response = client.post(
        f"{url}password/",
        {"password1": "Another-Pass-2024", "password2": "Another-Pass-2024", "usable_password": "true"},
    )
    assert response.status_code == 302
    response = client.post(f"{url}change/", _admin_user_form(officer_yungang, role="supervisor", title="督导员"))
    assert response.status_code == 302
    officer_yungang.refresh_from_db()
    assert officer_yungang.check_password("Another-Pass-2024") and officer_yungang.role == "supervisor"

    row = officer_yungang.history.first()
    assert (row.history_user, row.role, row.title) == (steward, "supervisor", "督导员")
    assert not {"password", "last_login"} & {field.name for field in User.history.model._meta.fields}
    stored = str(list(User.history.values()))
    assert officer_yungang.password not in stored and "md5$" not in stored
    page = client.get(f"{url}history/").content.decode()
    assert "角色" in page and officer_yungang.password not in page


def test_signing_in_records_nothing_in_the_people_history(client_as, officer_yungang):
    before = officer_yungang.history.count()
    client_as(officer_yungang).get("/")
    officer_yungang.refresh_from_db()
    assert officer_yungang.last_login is not None
    assert officer_yungang.history.count() == before


def test_deleting_a_person_keeps_the_rows_they_wrote(client_as, hq, pingcheng_task):
    deputy = second_headquarters(hq)
    services.task_update(actor=deputy, task=pingcheng_task, measure="平方米")
    deputy.delete()
    row = pingcheng_task.history.first()
    assert (row.measure, row.history_user_id) == ("平方米", None)
    assert "系统" in history_panel(client_as(hq).get(f"/tasks/{pingcheng_task.pk}/"))


def test_switching_a_beat_task_off_on_the_schedules_page_is_recorded_and_beats_own_runs_are_not(client_as, hq, city):
    ensure_schedules()
    beat_task = PeriodicTask.objects.filter(name__startswith="创城日历").select_related("crontab").first()
    cron = beat_task.crontab
    form = {
        "minute": cron.minute,
        "hour": cron.hour,
        "day_of_week": cron.day_of_week,
        "day_of_month": cron.day_of_month,
        "month_of_year": cron.month_of_year,
    }  # "enabled" unticked
    response = client_as(hq).post(f"/setup/schedules/{beat_task.pk}/", form)
    assert response.status_code == 302
    row = beat_task.history.first()
    assert (row.history_type, row.history_user, row.enabled) == ("~", hq, False)

    before = beat_task.history.count()
    beat_task.refresh_from_db()
    beat_task.last_run_at, beat_task.total_run_count = timezone.now(), beat_task.total_run_count + 1
    beat_task.save()  # what the database scheduler does after every run
    assert beat_task.history.count() == before
