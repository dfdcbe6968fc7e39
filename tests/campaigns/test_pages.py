"""The HTML pages: who may see them, what they show, and the security around signing in."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings

from campaigns.middleware import SESSION_SEEN, SESSION_STARTED
from campaigns.models import Task
from taskforces.models import TaskForce

PAGES = ["/", "/plan/", "/divisions/", "/units/", "/tasks/", "/task-forces/", "/notifications/"]


@pytest.mark.parametrize("path", PAGES + ["/tasks/new/"])
def test_anonymous_is_sent_to_the_login_page(client, city, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_anonymous_is_sent_to_login_from_task_and_detail_pages(client, city):
    task = Task.objects.first()
    division = task.lead_unit.division or city["officer-pingcheng"].division
    for path in (
        f"/tasks/{task.pk}/",
        f"/tasks/{task.pk}/edit/",
        f"/divisions/{division.pk}/",
        f"/task-forces/{TaskForce.objects.first().pk}/",
    ):
        assert client.get(path).status_code == 302, path


@pytest.mark.parametrize("username", ["hq", "supervisor", "leader", "officer-pingcheng", "api-reader"])
@pytest.mark.parametrize("path", PAGES)
def test_every_role_sees_the_pages_in_chinese(client_as, city, username, path):
    response = client_as(city[username]).get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html and "大同创城" in html


def test_home_page_for_headquarters_shows_the_whole_campaign(client_as, hq):
    html = client_as(hq).get("/").content.decode()
    assert "创城工作全景" in html and "八项提升行动进度" in html
    assert f'<div class="stat-value">{Task.objects.count()}</div>' in html


def test_home_page_for_an_officer_shows_what_their_unit_owes(client_as, officer_pingcheng, pingcheng):
    html = client_as(officer_pingcheng).get("/").content.decode()
    assert "平城区人民政府 · 我的创城任务" in html
    own = Task.objects.filter(lead_unit__division=pingcheng).count()
    assert f'<div class="stat-value">{own}</div>' in html


def test_battle_map_of_an_officer_lists_only_their_division(client_as, officer_pingcheng, pingcheng):
    html = client_as(officer_pingcheng).get("/tasks/").content.decode()
    for task in Task.objects.select_related("lead_unit"):
        shown = f">{task.title}</a>" in html
        assert shown == (task.lead_unit.division_id == pingcheng.pk), task.title


def test_battle_map_filters_by_action_and_marks_overdue(client_as, hq):
    task = Task.objects.overdue().select_related("action").first()
    html = client_as(hq).get(f"/tasks/?action={task.action_id}").content.decode()
    assert f">{task.title}</a>" in html and "table-overdue" in html and "逾期" in html
    other = Task.objects.exclude(action=task.action).first()
    assert f">{other.title}</a>" not in html


def test_battle_map_answers_htmx_with_the_table_only(client_as, hq):
    html = client_as(hq).get("/tasks/?status=done", HTTP_HX_REQUEST="true").content.decode()
    assert 'id="battle-map"' in html and "<html" not in html


def test_officer_gets_404_for_another_districts_task_page_and_edit(client_as, officer_pingcheng, yungang, government):
    task = Task.objects.filter(lead_unit=government(yungang)).first()
    client = client_as(officer_pingcheng)
    assert client.get(f"/tasks/{task.pk}/").status_code == 404
    assert client.get(f"/tasks/{task.pk}/edit/").status_code == 404
    before = (task.done, task.status)
    assert client.post(f"/tasks/{task.pk}/edit/", {"done": "9", "status": "done"}).status_code == 404
    task.refresh_from_db()
    assert (task.done, task.status) == before


def test_officer_updates_progress_of_own_task_through_the_page(client_as, officer_pingcheng, pingcheng, government):
    task = Task.objects.filter(lead_unit=government(pingcheng), target__gt=1).first()
    task.done, task.status = 0, "not_started"
    task.save()
    response = client_as(officer_pingcheng).post(
        f"/tasks/{task.pk}/edit/", {"done": "1", "status": "done", "description": "本周完成1处"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.done == 1 and task.description == "本周完成1处"
    # The status follows the figure (the posted "done" is not a field of the officer's form).
    assert task.status == "in_progress"
    assert list(task.transitions.values_list("action", "actor")) == [("start", officer_pingcheng.pk)]


def test_officer_sees_no_close_button_and_cannot_post_one(client_as, officer_pingcheng, pingcheng, government):
    task = Task.objects.filter(lead_unit=government(pingcheng)).exclude(status="done").first()
    client = client_as(officer_pingcheng)
    assert f"/tasks/{task.pk}/close/" not in client.get(f"/tasks/{task.pk}/").content.decode()
    assert client.post(f"/tasks/{task.pk}/close/").status_code == 403
    task.refresh_from_db()
    assert task.status != "done"


def test_headquarters_closes_a_task_on_its_page_and_a_second_close_is_a_message(client_as, hq):
    task = Task.objects.exclude(status="done").first()
    client = client_as(hq)
    assert f"/tasks/{task.pk}/close/" in client.get(f"/tasks/{task.pk}/").content.decode()
    assert client.post(f"/tasks/{task.pk}/close/").status_code == 302
    task.refresh_from_db()
    assert task.status == "done"
    page = client.post(f"/tasks/{task.pk}/close/", follow=True).content.decode()
    assert "不能执行“办结”操作" in page
    assert f"/tasks/{task.pk}/reopen/" in page


def test_task_edit_form_shows_a_chinese_error_for_bad_input(client_as, officer_pingcheng, pingcheng, government):
    task = Task.objects.filter(lead_unit=government(pingcheng)).first()
    before = task.done
    response = client_as(officer_pingcheng).post(f"/tasks/{task.pk}/edit/", {"done": "很多"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "输入一个数字" in html
    task.refresh_from_db()
    assert task.done == before


@pytest.mark.parametrize("username", ["officer-pingcheng", "supervisor", "leader", "api-reader"])
def test_only_headquarters_may_open_the_new_task_form(client_as, city, username):
    assert client_as(city[username]).get("/tasks/new/").status_code == 404


def test_leader_reads_any_task_but_cannot_edit(client_as, leader):
    task = Task.objects.first()
    client = client_as(leader)
    assert client.get(f"/tasks/{task.pk}/").status_code == 200
    assert client.get(f"/tasks/{task.pk}/edit/").status_code == 404


def test_task_forces_page_lists_the_eight_with_groups(client_as, officer_pingcheng):
    client = client_as(officer_pingcheng)
    html = client.get("/task-forces/").content.decode()
    for task_force in TaskForce.objects.all():
        assert task_force.name in html
    supervision = TaskForce.objects.get(code="supervision")
    detail = client.get(f"/task-forces/{supervision.pk}/").content.decode()
    assert "第一督导组" in detail and "平城区" in detail


def test_plan_page_shows_phases_actions_and_activities(client_as, hq):
    html = client_as(hq).get("/plan/").content.decode()
    for text in (
        "补齐短板、夯实基础",
        "重点攻坚",
        "冲刺夺牌",
        "交通秩序治理专项行动",
        "文明劝导志愿服务",
        'data-progress="',
    ):
        assert text in html


def test_division_page_lists_its_units(client_as, hq, pingcheng):
    html = client_as(hq).get(f"/divisions/{pingcheng.pk}/").content.decode()
    assert "平城区南关街道" in html and "140213" in html


def test_admin_speaks_chinese_to_the_data_steward(client_as, steward):
    html = client_as(steward).get("/admin/").content.decode()
    assert "数据管理" in html and "工作专班" in html and "任务" in html


def test_the_demos_headquarters_works_in_the_portal_not_the_admin(client_as, hq):
    assert not hq.is_superuser and not hq.is_staff and hq.is_headquarters
    assert client_as(hq).get("/admin/").status_code == 302
    assert client_as(hq).get("/setup/").status_code == 200


def test_officer_cannot_open_the_admin(client_as, officer_pingcheng):
    assert client_as(officer_pingcheng).get("/admin/").status_code == 302


# --- signing in -------------------------------------------------------------------------------------------------


def test_login_page_signs_in_with_the_demo_password(client, city, settings):
    response = client.post("/accounts/login/", {"username": "hq", "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_login_throttles_a_guessing_pair_with_a_cool_off(client, city, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = client.post("/accounts/login/", {"username": "hq", "password": "wrong"})
        assert "用户名或密码错误" in response.content.decode()
    locked = client.post("/accounts/login/", {"username": "hq", "password": settings.DEMO_PASSWORD})
    assert "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # From another address the colleague still signs in: a stranger cannot lock them out.
    other = client.post(
        "/accounts/login/", {"username": "hq", "password": settings.DEMO_PASSWORD}, REMOTE_ADDR="10.1.2.3"
    )
    assert other.status_code == 302


def test_login_lock_ends_after_the_cool_off(client, city, settings):
    settings.LOGIN_COOLOFF_SECONDS = 1
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "hq", "password": "wrong"})
    time.sleep(1.5)
    response = client.post("/accounts/login/", {"username": "hq", "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302


def _sign_in(client, settings):
    client.post("/accounts/login/", {"username": "hq", "password": settings.DEMO_PASSWORD})


def test_session_ends_after_thirty_idle_minutes(client, city, settings):
    _sign_in(client, settings)
    session = client.session
    session[SESSION_SEEN] = time.time() - settings.SESSION_IDLE_SECONDS - 5
    session.save()
    response = client.get("/tasks/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/tasks/").status_code == 302


def test_session_ends_after_twelve_hours_even_when_busy(client, city, settings):
    _sign_in(client, settings)
    session = client.session
    session[SESSION_STARTED] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 5
    session[SESSION_SEEN] = time.time() - 10
    session.save()
    assert client.get("/").status_code == 302


def test_active_session_stays_signed_in(client, city, settings):
    _sign_in(client, settings)
    session = client.session
    session[SESSION_SEEN] = time.time() - settings.SESSION_IDLE_SECONDS + 60
    session.save()
    assert client.get("/").status_code == 200


def test_defaults_are_thirty_minutes_idle_and_twelve_hours():
    assert django_settings.SESSION_IDLE_SECONDS == 30 * 60
    assert django_settings.SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60


def test_logout_needs_a_post_with_csrf(city, settings):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(city["hq"])
    assert client.post("/accounts/logout/").status_code == 403  # no CSRF token
    assert client.get("/").status_code == 200


def test_pages_carry_the_security_headers(client_as, hq):
    response = client_as(hq).get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


def test_api_docs_are_served_from_local_files(client_as, hq):
    html = client_as(hq).get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()
    schema = client_as(hq).get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/tasks/" in schema.content


def test_production_settings_pass_the_deploy_check():
    # The browser tests' conftest relaxes async safety for this process; a deployment never does.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "cc.datong.example",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:////tmp/deploy-check.sqlite3"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        cwd=django_settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | {"DJANGO_ENV": "production"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], capture_output=True, text=True, env=env, cwd=django_settings.BASE_DIR
    )
    assert result.returncode != 0 and "SECRET_KEY is required" in result.stderr


def test_malformed_settings_fail_loudly():
    env = {**os.environ, "SESSION_IDLE_SECONDS": "half an hour"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], capture_output=True, text=True, env=env, cwd=django_settings.BASE_DIR
    )
    assert result.returncode != 0 and "SESSION_IDLE_SECONDS='half an hour' is not an integer" in result.stderr


def test_battle_map_filters_by_owner_and_by_unit(client_as, hq, officer_pingcheng):
    client = client_as(hq)
    html = client.get(f"/tasks/?owner={officer_pingcheng.pk}").content.decode()
    owned = Task.objects.filter(owner=officer_pingcheng)
    assert owned.exists()
    for task in Task.objects.all():
        assert (f">{task.title}</a>" in html) == (task.owner_id == officer_pingcheng.pk), task.title
    police = Task.objects.filter(lead_unit__name="市公安局交警支队")
    unit_html = client.get(f"/tasks/?unit={police.first().lead_unit_id}").content.decode()
    assert all(f">{task.title}</a>" in unit_html for task in police)
