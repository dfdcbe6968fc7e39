from datetime import timedelta

from django.utils import timezone

from campaigns import selectors
from campaigns.models import ImprovementAction, Task, Unit


def test_task_progress_uses_the_target_where_there_is_one(city):
    unit = Unit.objects.get(name="市公安局交警支队")
    parking = Task.objects.get(title="规范设置城区停车泊位")
    assert parking.target == 19116 and parking.done == 3962
    assert parking.progress == 20.7  # 3962 / 19116
    no_target = Task(title="x", action=parking.action, lead_unit=unit, deadline=timezone.localdate())
    assert no_target.progress == 0.0
    no_target.status = "done"
    assert no_target.progress == 100.0


def test_progress_rolls_up_from_tasks_to_actions_to_the_plan(city):
    Task.objects.all().delete()
    unit = Unit.objects.get(name="市文明办")
    deadline = timezone.localdate() + timedelta(days=3)
    one, two = ImprovementAction.objects.get(no=1), ImprovementAction.objects.get(no=2)
    Task.objects.create(title="a", action=one, lead_unit=unit, deadline=deadline, target=10, done=10)
    Task.objects.create(title="b", action=one, lead_unit=unit, deadline=deadline, target=10, done=0)
    Task.objects.create(title="c", action=two, lead_unit=unit, deadline=deadline, target=4, done=1)
    actions = {a.no: a for a in selectors.actions_with_progress()}
    assert actions[1].progress == 50.0
    assert actions[2].progress == 25.0
    assert actions[3].progress == 0.0 and actions[3].task_count == 0
    # The plan: mean of the actions that have tasks.
    assert selectors.plan_progress(list(actions.values())) == 37.5


def test_overdue_is_computed_from_the_deadline(city):
    unit = Unit.objects.get(name="市文明办")
    action = ImprovementAction.objects.get(no=1)
    yesterday = timezone.localdate() - timedelta(days=1)
    late = Task.objects.create(title="late", action=action, lead_unit=unit, deadline=yesterday)
    finished = Task.objects.create(title="finished", action=action, lead_unit=unit, deadline=yesterday, status="done")
    assert late.is_overdue and late.days_overdue == 1
    assert not finished.is_overdue
    assert set(Task.objects.overdue().filter(pk__in=[late.pk, finished.pk])) == {late}
