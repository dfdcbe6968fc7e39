"""Page forms keep dates in the API's window (2000 … ten years ahead), by the one rule in campaigns/validators.py."""

import inspect
from datetime import date, timedelta

import pytest
from django import forms
from django.utils import timezone

from campaigns import forms as campaign_forms
from campaigns.models import ImprovementAction, Task, Unit
from campaigns.validators import sane_years, validate_sane_date
from inspections import forms as inspection_forms
from inspections.models import InspectionRound, PointCategory
from supervision import forms as supervision_forms
from supervision.models import SupervisionCard
from taskforces import forms as taskforce_forms
from volunteers import forms as volunteer_forms

pytestmark = pytest.mark.django_db

FORM_MODULES = [campaign_forms, supervision_forms, inspection_forms, taskforce_forms, volunteer_forms]


def _page_date_fields():
    for module in FORM_MODULES:
        for name, form_class in inspect.getmembers(module, inspect.isclass):
            if issubclass(form_class, forms.BaseForm) and form_class.__module__ == module.__name__:
                for field_name, field in form_class.base_fields.items():
                    if isinstance(field, forms.DateField):
                        yield f"{name}.{field_name}", field


def test_every_page_form_date_runs_the_shared_window():
    found = dict(_page_date_fields())
    assert {"TaskForm.deadline", "CardIssueForm.deadline", "RoundForm.start_date", "DispatchForm.deadline"} <= set(
        found
    )
    for name, field in found.items():
        assert validate_sane_date in field.validators, name
        first, last = sane_years()
        drawn = field.widget.render("d", None)
        assert 'type="date"' in drawn and f'min="{first}-01-01"' in drawn and f'max="{last}-12-31"' in drawn, name


def _out_of_window():
    first, last = sane_years()
    return [date(first - 1, 12, 31).isoformat(), date(last + 1, 1, 1).isoformat(), "0001-01-01", "9999-12-31"]


def _window_message():
    first, last = sane_years()
    return f"日期应在 {first} 年至 {last} 年之间。"


def test_task_page_refuses_a_deadline_outside_the_window_in_chinese(client_as, hq):
    client = client_as(hq)
    data = {
        "title": "日期窗口测试任务",
        "action": ImprovementAction.objects.first().pk,
        "lead_unit": Unit.objects.get(name="市文明办").pk,
        "target": "10",
        "done": "0",
        "measure": "处",
    }
    for bad in _out_of_window():
        response = client.post("/tasks/new/", {**data, "deadline": bad})
        assert response.status_code == 200, bad
        assert _window_message() in response.content.decode(), bad
    assert not Task.objects.filter(title="日期窗口测试任务").exists()
    ok = client.post("/tasks/new/", {**data, "deadline": (timezone.localdate() + timedelta(days=30)).isoformat()})
    assert ok.status_code == 302 and Task.objects.filter(title="日期窗口测试任务").count() == 1


def test_task_edit_page_refuses_a_deadline_outside_the_window(client_as, hq):
    task = Task.objects.first()
    client = client_as(hq)
    form = client.get(f"/tasks/{task.pk}/edit/").context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    response = client.post(f"/tasks/{task.pk}/edit/", {**data, "deadline": "9999-12-31"})
    assert response.status_code == 200 and _window_message() in response.content.decode()
    before = task.deadline
    task.refresh_from_db()
    assert task.deadline == before


def test_card_issue_page_refuses_a_deadline_outside_the_window(client_as, supervisor, government, yungang):
    client = client_as(supervisor)
    data = {
        "title": "日期窗口测试卡",
        "source": "inspection",
        "description": "楼道堆放杂物。",
        "assignee_unit": government(yungang).pk,
    }
    for bad in _out_of_window():
        response = client.post("/supervision/new/", {**data, "deadline": bad})
        assert response.status_code == 200 and _window_message() in response.content.decode(), bad
    assert not SupervisionCard.objects.filter(title="日期窗口测试卡").exists()


def test_round_page_refuses_dates_outside_the_window(client_as, hq):
    client = client_as(hq)
    data = {"name": "日期窗口测试轮次", "categories": [PointCategory.objects.first().pk]}
    today = timezone.localdate().isoformat()
    for bad in _out_of_window():
        response = client.post("/inspections/rounds/new/", {**data, "start_date": bad, "end_date": today})
        assert response.status_code == 200 and _window_message() in response.content.decode(), bad
    assert not InspectionRound.objects.filter(name="日期窗口测试轮次").exists()


def test_the_api_refuses_the_same_dates_for_an_inspection_round(api_as, hq):
    body = {
        "name": "日期窗口测试轮次",
        "start_date": "1999-12-31",
        "end_date": timezone.localdate().isoformat(),
        "categories": [PointCategory.objects.first().pk],
    }
    response = api_as(hq).post("/api/v1/inspection-rounds/", body, format="json")
    assert response.status_code == 400
    assert response.json()["start_date"] == [_window_message()]
    assert not InspectionRound.objects.filter(name="日期窗口测试轮次").exists()
