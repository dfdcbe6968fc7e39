"""A record's transition rows outlive any attempt to delete the record: tasks, import jobs, problems, circulars.

Like the cards', reports' and service records' (tests/supervision/test_protected_deletes.py): the foreign key is
PROTECT, the ORM refuses, the admin answers a Chinese page naming the protected rows, and the API offers no DELETE.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError

from campaigns import services as task_services
from campaigns.models import Task, TaskTransition
from inspections.models import CircularTransition, ProblemTransition
from volunteers.choices import ImportStatus
from volunteers.models import ImportJob, ImportJobTransition
from volunteers.workflows import IMPORT_JOB_WORKFLOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_task(hq, city):
    task = Task.objects.filter(status__in=["not_started", "in_progress"]).first()
    return task_services.task_close(actor=hq, task=task, note="提前办结")


@pytest.fixture
def import_job(hq):
    job = ImportJob.objects.create(
        kind="roster",
        file=SimpleUploadedFile("roster.xlsx", b"not parsed here"),
        filename="roster.xlsx",
        total=1,
        created_by=hq,
        status=ImportStatus.QUEUED,
    )
    IMPORT_JOB_WORKFLOW.record_creation(job, "create", actor=hq, note=job.filename)
    return job


def test_every_transition_is_protected_by_its_record():
    for model, field in [
        (TaskTransition, "task"),
        (ImportJobTransition, "job"),
        (ProblemTransition, "problem"),
        (CircularTransition, "circular"),
    ]:
        assert model._meta.get_field(field).remote_field.on_delete.__name__ == "PROTECT", model


def test_deleting_a_task_with_history_is_refused_and_keeps_its_transitions(closed_task):
    rows = list(closed_task.transitions.values_list("id", flat=True))
    assert rows
    with pytest.raises(ProtectedError):
        closed_task.delete()
    assert Task.objects.filter(pk=closed_task.pk).exists()
    assert list(closed_task.transitions.values_list("id", flat=True)) == rows


def test_deleting_an_import_job_is_refused(import_job):
    with pytest.raises(ProtectedError):
        import_job.delete()
    assert ImportJobTransition.objects.filter(job=import_job).count() == 1


@pytest.mark.parametrize("parent", ["task", "import_job"])
def test_the_admin_refuses_the_delete_in_chinese_and_keeps_the_rows(parent, request, client_as, steward):
    obj = request.getfixturevalue({"task": "closed_task", "import_job": "import_job"}[parent])
    url = {"task": "/admin/campaigns/task/{}/delete/", "import_job": "/admin/volunteers/importjob/{}/delete/"}[parent]
    transitions = obj.transitions.count()
    client = client_as(steward)  # the admin's data steward
    response = client.post(url.format(obj.pk), {"post": "yes"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "受保护" in page and "流转记录" in page  # Django's refusal page, naming the protected transition rows
    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert obj.transitions.count() == transitions


@pytest.mark.parametrize("parent", ["task", "import_job"])
def test_the_api_offers_no_delete_and_says_so_in_chinese(parent, request, api_as, hq):
    obj = request.getfixturevalue({"task": "closed_task", "import_job": "import_job"}[parent])
    url = {"task": "/api/v1/tasks/{}/", "import_job": "/api/v1/volunteer-import-jobs/{}/"}[parent]
    client = api_as(hq)
    assert client.get(url.format(obj.pk)).status_code == 200
    response = client.delete(url.format(obj.pk))
    assert response.status_code == 405
    assert "DELETE" in response.json()["detail"] and "不被允许" in response.json()["detail"]
    assert type(obj).objects.filter(pk=obj.pk).exists()
