import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from volunteers import imports
from volunteers.idcard import make_id_number
from volunteers.models import ImportJob, Volunteer

pytestmark = pytest.mark.django_db


def sheet(rows) -> io.BytesIO:
    workbook = Workbook()
    ws = workbook.active
    ws.append(imports.ROSTER_COLUMNS)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "花名册.xlsx"
    return buffer


def roster(division, n=5, start=1):
    return [
        [
            f"队员{i}",
            make_id_number(division.code, date(1985, 1, i), 300 + i),
            f"1370000{i:04d}",
            division.name,
            "南关社区志愿服务队",
            "2022-05-01",
        ]
        for i in range(start, start + n)
    ]


def test_three_bad_rows_import_nothing_and_all_three_are_reported(api_as, officer_pingcheng, pingcheng):
    rows = roster(pingcheng)
    rows[1][1] = rows[1][1][:17] + ("1" if rows[1][1][17] != "1" else "2")  # bad check digit, row 3
    rows[2][2] = "12345"  # bad phone, row 4
    rows[4][3] = "火星区"  # unknown division, row 6
    before = Volunteer.objects.count()
    response = api_as(officer_pingcheng).post("/api/v1/volunteers/import/", {"file": sheet(rows)}, format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert body["created"] == 0 and body["updated"] == 0
    assert [(e["row"], e["field"]) for e in body["errors"]] == [(3, "身份证号"), (4, "手机号"), (6, "区县")]
    assert "校验位" in body["errors"][0]["message"]
    assert Volunteer.objects.count() == before

    fixed = roster(pingcheng)
    response = api_as(officer_pingcheng).post("/api/v1/volunteers/import/", {"file": sheet(fixed)}, format="multipart")
    assert response.status_code == 200
    assert response.json() == {"created": 5, "updated": 0, "errors": []}
    assert Volunteer.objects.count() == before + 5
    member = Volunteer.objects.get(id_number=fixed[0][1])
    assert [t.name for t in member.teams.all()] == ["南关社区志愿服务队"]
    # The same sheet again updates the five instead of duplicating them.
    again = api_as(officer_pingcheng).post("/api/v1/volunteers/import/", {"file": sheet(fixed)}, format="multipart")
    assert again.json() == {"created": 0, "updated": 5, "errors": []}


def test_partial_import_takes_the_good_rows_only(api_as, hq, pingcheng):
    rows = roster(pingcheng, n=3)
    rows[0][0] = ""
    response = api_as(hq).post("/api/v1/volunteers/import/?partial=1", {"file": sheet(rows)}, format="multipart")
    assert response.status_code == 200
    assert response.json()["created"] == 2
    assert response.json()["errors"][0] == {"row": 2, "field": "姓名", "message": "姓名不能为空。"}


def test_duplicate_ids_in_one_sheet_and_another_districts_rows_are_errors(api_as, officer_yungang, pingcheng):
    rows = roster(pingcheng, n=2)
    rows[1][1] = rows[0][1]
    rows[0][4] = ""
    rows[1][4] = ""
    response = api_as(officer_yungang).post("/api/v1/volunteers/import/", {"file": sheet(rows)}, format="multipart")
    messages = [(e["row"], e["field"], e["message"]) for e in response.json()["errors"]]
    assert (2, "区县", "您只能导入本区县的志愿者。") in messages
    assert (3, "身份证号", "与第 2 行的身份证号重复。") in messages


def test_a_file_that_is_not_xlsx_is_400_in_chinese(api_as, hq):
    upload = io.BytesIO(b"not a workbook")
    upload.name = "x.xlsx"
    response = api_as(hq).post("/api/v1/volunteers/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert "xlsx" in response.json()["file"][0]
    assert api_as(hq).post("/api/v1/volunteers/import/", {}, format="multipart").status_code == 400


def test_supervisor_and_anonymous_cannot_import(api_as, supervisor, anonymous_api, pingcheng):
    assert (
        api_as(supervisor)
        .post("/api/v1/volunteers/import/", {"file": sheet(roster(pingcheng))}, format="multipart")
        .status_code
        == 403
    )
    assert anonymous_api.post("/api/v1/volunteers/import/", {}, format="multipart").status_code == 401


def test_large_files_go_to_a_job_and_the_job_reports_progress(
    api_as, hq, pingcheng, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports, "ASYNC_ROWS", 2)
    sent = []
    monkeypatch.setattr("volunteers.tasks.run_import.delay", lambda job_id: sent.append(job_id))
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(hq).post(
            "/api/v1/volunteers/import/", {"file": sheet(roster(pingcheng, n=4))}, format="multipart"
        )
    assert response.status_code == 202
    job = ImportJob.objects.get(pk=response.json()["job"])
    assert sent == [job.pk]
    assert imports.job_progress(job) == 0.0
    poll = api_as(hq).get(f"/api/v1/volunteer-import-jobs/{job.pk}/").json()
    assert (poll["status"], poll["progress"], poll["total"]) == ("queued", 0.0, 4)
    job = imports.job_run(job.pk)  # what the Celery worker runs
    assert (job.status, job.created, imports.job_progress(job)) == ("done", 4, 100.0)
    assert imports.job_run(job.pk).created == 4  # a second delivery changes nothing
    poll = api_as(hq).get(f"/api/v1/volunteer-import-jobs/{job.pk}/").json()
    assert (poll["status"], poll["progress"], poll["created"]) == ("done", 100.0, 4)
    assert Volunteer.objects.filter(name__startswith="队员").count() == 4


def test_export_of_a_filtered_list_is_xlsx_and_masked_for_a_supervisor(
    client_as, supervisor, make_volunteer, pingcheng
):
    volunteer = make_volunteer(pingcheng, name="导出测试")
    response = client_as(supervisor).get("/volunteers/", {"search": "导出测试", "export": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("志愿者编号", "姓名")
    assert [r[1] for r in rows[1:]] == ["导出测试"]
    assert rows[1][4] != volunteer.id_number and "*" in rows[1][4]


def hour_sheet(rows) -> io.BytesIO:
    workbook = Workbook()
    ws = workbook.active
    ws.append(imports.HOURS_COLUMNS)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "时长表.xlsx"
    return buffer


def test_hour_sheet_overlaps_and_bad_times_import_nothing_then_the_fixed_sheet_imports_pending_records(
    api_as, team_leader, make_volunteer, nanguan_team, nanguan_project
):
    from datetime import timedelta

    from django.utils import timezone

    from volunteers.models import ServiceRecord

    volunteer = make_volunteer(nanguan_team.division, teams=[nanguan_team])
    day = str(timezone.localdate() - timedelta(days=1))
    rows = [
        [volunteer.volunteer_no, nanguan_project.pk, day, "09:00", "11:00"],
        [volunteer.volunteer_no, nanguan_project.pk, day, "10:00", "12:00"],  # overlaps row 2
        [volunteer.volunteer_no, nanguan_project.pk, day, "15:00", "14:00"],  # ends before it starts
        ["DT000", nanguan_project.pk, day, "09:00", "10:00"],  # unknown volunteer
    ]
    client = api_as(team_leader)
    response = client.post("/api/v1/service-records/import/", {"file": hour_sheet(rows)}, format="multipart")
    assert response.status_code == 400
    assert [(e["row"], e["field"]) for e in response.json()["errors"]] == [
        (3, "开始时间"),
        (4, "结束时间"),
        (5, "志愿者编号"),
    ]
    assert not ServiceRecord.objects.filter(volunteer=volunteer).exists()
    fixed = [rows[0], [volunteer.volunteer_no, nanguan_project.pk, day, "13:00", "14:30"]]
    response = client.post("/api/v1/service-records/import/", {"file": hour_sheet(fixed)}, format="multipart")
    assert response.json() == {"created": 2, "updated": 0, "errors": []}
    hours = sorted(ServiceRecord.objects.filter(volunteer=volunteer, status="pending").values_list("hours", flat=True))
    assert [float(h) for h in hours] == [1.5, 2.0]


def test_import_jobs_are_private_to_their_uploader(api_as, hq, officer_pingcheng, anonymous_api, pingcheng):
    response = api_as(officer_pingcheng).post(
        "/api/v1/volunteers/import/", {"file": sheet(roster(pingcheng, n=1))}, format="multipart"
    )
    assert response.status_code == 200
    job = ImportJob.objects.get(created_by=officer_pingcheng)
    assert api_as(officer_pingcheng).get(f"/api/v1/volunteer-import-jobs/{job.pk}/").status_code == 200
    assert api_as(hq).get(f"/api/v1/volunteer-import-jobs/{job.pk}/").status_code == 404
    assert anonymous_api.get(f"/api/v1/volunteer-import-jobs/{job.pk}/").status_code == 401


def test_a_row_failing_at_write_time_rolls_the_whole_import_back(hq, pingcheng, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from volunteers import services

    real = services.volunteer_register
    calls = {"n": 0}

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            from django.core.exceptions import ValidationError

            raise ValidationError({"id_number": ["该身份证号已注册。"]})
        return real(**kwargs)

    monkeypatch.setattr(services, "volunteer_register", flaky)
    upload = SimpleUploadedFile("花名册.xlsx", sheet(roster(pingcheng, n=3)).getvalue())
    before = Volunteer.objects.count()
    job = imports.job_run(imports.job_create(actor=hq, upload=upload, partial=False).pk)
    assert job.status == "failed" and job.created == 0
    assert "写入失败" in job.errors[-1]["message"]
    assert Volunteer.objects.count() == before
