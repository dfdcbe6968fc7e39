"""A long list exports in the background: a job with a progress bar that the worker fills, downloaded by its owner."""

import io

import pytest
from openpyxl import load_workbook

from campaigns.exports import export_job_run
from campaigns.models import ExportJob
from supervision.models import SupervisionCard
from supervision.selectors import supervision_cards_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_lists(settings):
    settings.EXPORT_INLINE_ROWS = 3  # the demo's eight cards count as a long list


def test_a_long_card_list_becomes_a_job_that_the_worker_builds_with_its_filters(long_lists, client_as, hq):
    client = client_as(hq)
    response = client.get("/supervision/?source=&export=xlsx&status=")
    job = ExportJob.objects.get(created_by=hq)
    assert response.status_code == 302 and response["Location"] == f"/exports/{job.pk}/"
    assert job.status == ExportJob.Status.QUEUED and job.query == "source=&status="

    page = client.get(f"/exports/{job.pk}/").content.decode()
    assert "导出进度" in page and "排队中" in page and "export-download" not in page

    job = export_job_run(job.pk)  # what the Celery worker runs
    assert job.status == ExportJob.Status.DONE and job.total == SupervisionCard.objects.count()
    assert export_job_run(job.pk).file.name == job.file.name, "a second delivery changes nothing"
    page = client.get(f"/exports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-progress="100.0"' in page and "export-download" in page

    download = client.get(f"/exports/{job.pk}/download/")
    rows = list(
        load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True).active.iter_rows(
            values_only=True
        )
    )
    assert rows[0][0] == "编号"
    assert sorted(r[0] for r in rows[1:]) == sorted(SupervisionCard.objects.values_list("number", flat=True))


def test_the_job_keeps_the_filters_and_the_owners_scope(long_lists, client_as, officer_pingcheng):
    client_as(officer_pingcheng).get("/supervision/?export=xlsx")
    job = export_job_run(ExportJob.objects.get(created_by=officer_pingcheng).pk)
    rows = list(load_workbook(job.file.open("rb"), read_only=True).active.iter_rows(values_only=True))
    assert rows[1:] and {r[4] for r in rows[1:]} == {"平城区"}
    assert len(rows) - 1 == supervision_cards_visible_to(officer_pingcheng).count() < SupervisionCard.objects.count()


def test_only_the_owner_sees_or_downloads_a_job(long_lists, client_as, client, hq, officer_pingcheng):
    client_as(hq).get("/supervision/?export=xlsx")
    job = export_job_run(ExportJob.objects.get(created_by=hq).pk)
    client.logout()
    assert client.get(f"/exports/{job.pk}/").status_code == 302  # to the login page
    other = client_as(officer_pingcheng)
    assert other.get(f"/exports/{job.pk}/").status_code == 404
    assert other.get(f"/exports/{job.pk}/download/").status_code == 404


def test_a_job_not_yet_built_has_nothing_to_download(long_lists, client_as, hq):
    client = client_as(hq)
    client.get("/reports/?export=xlsx")
    job = ExportJob.objects.get(created_by=hq)
    assert job.filename == "周报月报.xlsx"
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404
    job = export_job_run(job.pk)
    assert job.status == ExportJob.Status.DONE
    assert client.get(f"/exports/{job.pk}/download/").status_code == 200
