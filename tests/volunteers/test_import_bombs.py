"""Import bombs: a small file that unpacks to hundreds of megabytes, an oversized request, a giant cell — each refused
in Chinese before it is parsed (or before the body is read), with nothing written; a good file is parsed once."""

import io
import zipfile

import pytest

from tests.volunteers.test_import import roster, sheet
from volunteers import imports
from volunteers.models import ImportJob, Volunteer

pytestmark = pytest.mark.django_db

BOMB_BYTES = 80 * 1024 * 1024


def _bomb() -> io.BytesIO:
    """A real roster whose shared strings hold one 80 MB string: about 80 KB on disk, written in bounded memory."""
    good = zipfile.ZipFile(sheet([]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in good.infolist():
            if info.filename != "xl/sharedStrings.xml":
                bomb.writestr(info.filename, good.read(info.filename))
        with bomb.open("xl/sharedStrings.xml", "w") as member:
            member.write(
                b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            member.write(b"<si><t>")
            chunk = b"A" * (1024 * 1024)
            for _ in range(BOMB_BYTES // len(chunk)):
                member.write(chunk)
            member.write(b"</t></si></sst>")
    out.seek(0)
    out.name = "花名册.xlsx"
    return out


def test_a_zip_bomb_is_refused_before_it_is_parsed(api_as, hq, monkeypatch):
    parsed = []
    monkeypatch.setattr(imports, "read_rows", lambda *a, **k: parsed.append(1) or [])
    bomb = _bomb()
    assert len(bomb.getvalue()) < 1024 * 1024
    response = api_as(hq).post("/api/v1/volunteers/import/", {"file": bomb}, format="multipart")
    assert response.status_code == 400
    assert "解压" in response.json()["file"][0]
    assert parsed == []
    assert not ImportJob.objects.exists()


def test_a_giant_cell_is_refused_in_chinese(api_as, hq, pingcheng):
    rows = roster(pingcheng, n=2)
    rows[1][0] = "长" * 20_000
    response = api_as(hq).post("/api/v1/volunteers/import/", {"file": sheet(rows)}, format="multipart")
    assert response.status_code == 400
    assert "单元格" in str(response.json())
    assert not Volunteer.objects.filter(name__startswith="队员").exists()


@pytest.mark.parametrize("path", ["/api/v1/volunteers/import/", "/volunteers/import/"])
def test_an_oversized_request_is_refused_before_its_body_is_read(client_as, hq, settings, path):
    settings.REQUEST_MAX_BYTES = 1024 * 1024
    upload = io.BytesIO(b"\x00" * (2 * 1024 * 1024))
    upload.name = "zeros.xlsx"
    response = client_as(hq).post(path, {"file": upload})
    assert response.status_code == 413
    assert "过大" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_oversized_file_is_refused_with_its_limit(api_as, hq, settings):
    settings.IMPORT_MAX_BYTES = 4 * 1024
    upload = io.BytesIO(b"PK" + b"\x00" * 8 * 1024)
    upload.name = "big.xlsx"
    response = api_as(hq).post("/api/v1/volunteers/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert "超过大小限制" in response.json()["file"][0]
    assert not ImportJob.objects.exists()


def test_a_good_roster_is_parsed_once(api_as, hq, pingcheng, monkeypatch):
    import openpyxl

    opened = []
    real = openpyxl.load_workbook

    def counting(*args, **kwargs):
        opened.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", counting)
    response = api_as(hq).post(
        "/api/v1/volunteers/import/", {"file": sheet(roster(pingcheng, n=3))}, format="multipart"
    )
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 3
    assert len(opened) == 1


def test_a_large_roster_is_parsed_once_by_the_worker_not_by_the_request(
    api_as, hq, pingcheng, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports, "ASYNC_ROWS", 2)
    sent, parsed = [], []
    real = imports._sheet_rows
    monkeypatch.setattr(imports, "_sheet_rows", lambda *a, **k: parsed.append(1) or real(*a, **k))
    monkeypatch.setattr("volunteers.tasks.run_import.delay", lambda job_id: sent.append(job_id))
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(hq).post(
            "/api/v1/volunteers/import/", {"file": sheet(roster(pingcheng, n=4))}, format="multipart"
        )
    assert response.status_code == 202 and parsed == []  # the request read the sheet's size, not its rows
    job = imports.job_run(sent[0])  # what the Celery worker runs
    assert (job.status, job.created, job.total, parsed) == ("done", 4, 4, [1])
