from io import StringIO

from django.core.management import call_command

from campaigns.models import Division, ImprovementAction, Task, ThematicActivity, Unit, User
from taskforces.models import TaskForce


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (Division, Unit, ImprovementAction, ThematicActivity, Task, User, TaskForce)
    }


def test_seed_loads_the_citys_reference_data(db, reference_data):
    call_command("seed_datong", stdout=StringIO())
    assert {d.code: d.name for d in Division.objects.all()} == {
        row["code"]: row["name"] for row in reference_data["divisions"]
    }
    assert Division.objects.count() == 10
    assert list(TaskForce.objects.values_list("name", flat=True)) == [t["name"] for t in reference_data["task_forces"]]
    assert ImprovementAction.objects.count() == 8
    assert ThematicActivity.objects.count() == 6
    assert Unit.objects.filter(name="平城区人民政府", division__code="140213").exists()
    for named in ("市公安局", "市教育局", "市行政审批服务管理局", "市文明办", "团市委", "市关工委"):
        assert Unit.objects.filter(name=named).exists(), named
    assert not User.objects.exists(), "without --demo no accounts are created"


def test_seed_twice_changes_nothing(db):
    call_command("seed_datong", "--demo", stdout=StringIO())
    first = _counts()
    call_command("seed_datong", "--demo", stdout=StringIO())
    assert _counts() == first


def test_demo_creates_the_accounts_of_the_api_contract(db, settings):
    call_command("seed_datong", "--demo", stdout=StringIO())
    expected = {"hq", "supervisor", "leader", "api-reader"} | {
        f"officer-{d.pinyin.lower()}" for d in Division.objects.all()
    }
    assert expected <= set(User.objects.values_list("username", flat=True))
    officer = User.objects.get(username="officer-pingcheng")
    assert officer.check_password(settings.DEMO_PASSWORD)
    assert officer.division.name == "平城区"
    assert Task.objects.overdue().exists(), "the demo shows some overdue tasks"
