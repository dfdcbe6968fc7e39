"""The plan's phases and lead units, the task forces and their groups keep their edit history (django-simple-history):
an edit through the set-up page leaves a row naming its author, shown in the page's history panel; a refused edit
leaves none; nobody but headquarters reads the panel."""

import pytest

from campaigns.models import ImprovementAction, PlanPhase, ThematicActivity, Unit
from taskforces.models import TaskForce, TaskForceGroup
from tests.history import history_panel, second_headquarters

pytestmark = pytest.mark.django_db


def test_a_phase_edit_leaves_a_history_row_with_its_author(client_as, hq):
    deputy = second_headquarters(hq)
    phase = PlanPhase.objects.first()
    before = phase.history.count()
    response = client_as(deputy).post(f"/setup/plan/phases/{phase.pk}/", {"goal": "重点攻坚", "programme": "攻坚方案"})
    assert response.status_code == 302
    row = phase.history.first()
    assert phase.history.count() == before + 1
    assert (row.history_user, row.history_type, row.goal, row.programme) == (deputy, "~", "重点攻坚", "攻坚方案")
    panel = history_panel(client_as(hq).get("/setup/plan/"))
    assert deputy.display_name in panel and "攻坚方案" in panel and "年度工作方案" in panel


def test_a_refused_phase_edit_leaves_no_history(client_as, hq):
    phase = PlanPhase.objects.first()
    before = (phase.history.count(), phase.goal)
    client_as(hq).post(f"/setup/plan/phases/{phase.pk}/", {"goal": ""})
    phase.refresh_from_db()
    assert (phase.history.count(), phase.goal) == before


@pytest.mark.parametrize("model, kind", [(ImprovementAction, "actions"), (ThematicActivity, "activities")])
def test_a_lead_unit_change_is_recorded_with_its_author(client_as, hq, model, kind):
    record = model.objects.first()
    unit = Unit.objects.get(name="市教育局")
    before = record.history.count()
    client_as(hq).post(f"/setup/plan/{kind}/{record.pk}/lead-unit/", {"lead_unit": unit.pk})
    assert record.history.count() == before + 1
    row = record.history.first()
    assert (row.history_user, row.lead_unit_id) == (hq, unit.pk)
    panel = history_panel(client_as(hq).get("/setup/plan/"))
    assert record.name in panel and "市教育局" in panel


def test_a_task_force_edit_records_its_leader_members_and_liaison_with_the_author(
    client_as, hq, city, pingcheng, yungang
):
    task_force = TaskForce.objects.first()
    deputy = second_headquarters(hq)
    form = {
        "field": "背街小巷整治",
        "leader": city["leader"].pk,
        "members": [city["supervisor"].pk],
        "liaison_divisions": [pingcheng.pk, yungang.pk],
    }
    before = task_force.history.count()
    assert client_as(deputy).post(f"/setup/task-forces/{task_force.pk}/", form).status_code == 302
    rows = list(task_force.history.all()[: task_force.history.count() - before])
    assert rows and {row.history_user for row in rows} == {deputy}
    latest = task_force.history.first()
    assert latest.field == "背街小巷整治" and latest.leader_id == city["leader"].pk
    assert {m.division_id for m in latest.liaison_divisions.all()} == {pingcheng.pk, yungang.pk}
    assert {m.user_id for m in latest.members.all()} == {city["supervisor"].pk}
    panel = history_panel(client_as(hq).get(f"/setup/task-forces/{task_force.pk}/"))
    assert deputy.display_name in panel and "背街小巷整治" in panel and "对接区县" in panel
    assert "Deleted" not in panel  # a leader never set reads as —, not as a deleted person


def test_a_group_edit_is_recorded_and_shown_on_both_pages(client_as, hq, city):
    task_force = TaskForce.objects.first()
    client = client_as(hq)
    group = {"name": "宣传小组", "responsibility": "宣传", "leader": city["supervisor"].pk, "members": [hq.pk]}
    assert client.post(f"/setup/task-forces/{task_force.pk}/groups/new/", group).status_code == 302
    saved = TaskForceGroup.objects.get(task_force=task_force, name="宣传小组")
    changed = {**group, "responsibility": "宣传报道与氛围营造"}
    assert client.post(f"/setup/task-forces/{task_force.pk}/groups/{saved.pk}/", changed).status_code == 302
    assert [row.history_type for row in saved.history.all()] == ["~", "+"]
    assert {row.history_user for row in saved.history.all()} == {hq}
    panel = history_panel(client.get(f"/setup/task-forces/{task_force.pk}/groups/{saved.pk}/"))
    assert "宣传报道与氛围营造" in panel and hq.display_name in panel
    assert "宣传小组" in history_panel(client.get(f"/setup/task-forces/{task_force.pk}/"))


def test_a_refused_group_edit_leaves_no_history(client_as, hq, city):
    task_force = TaskForce.objects.first()
    before = TaskForceGroup.history.count()
    response = client_as(hq).post(f"/setup/task-forces/{task_force.pk}/groups/new/", {"name": "", "leader": "abc"})
    assert response.status_code == 400 and "必填" in response.content.decode()
    assert TaskForceGroup.history.count() == before


@pytest.mark.parametrize("username", ["officer-pingcheng", "supervisor"])
def test_nobody_else_edits_or_reads_the_history(client_as, city, username):
    task_force = TaskForce.objects.first()
    phase = PlanPhase.objects.first()
    before = (task_force.history.count(), phase.history.count())
    client = client_as(city[username])
    assert client.get("/setup/plan/").status_code == 403
    assert client.get(f"/setup/task-forces/{task_force.pk}/").status_code == 403
    assert client.post(f"/setup/task-forces/{task_force.pk}/", {"field": "x"}).status_code == 403
    assert client.post(f"/setup/plan/phases/{phase.pk}/", {"goal": "x"}).status_code == 403
    assert (task_force.history.count(), phase.history.count()) == before
