"""A team leader's afternoon: import a roster (one bad row, fixed), confirm two stints, see hours and star, get the
certificate."""

import io
from datetime import date, time, timedelta

import pytest
from django.utils import timezone
from openpyxl import Workbook

from volunteers import imports, services
from volunteers.idcard import make_id_number
from volunteers.models import ServiceProject, StarThreshold, Volunteer, VolunteerTeam


def _roster(path, division, bad_row=False):
    workbook = Workbook()
    ws = workbook.active
    ws.append(imports.ROSTER_COLUMNS)
    for i in range(1, 4):
        number = make_id_number(division.code, date(1992, 2, i), 600 + i)
        if bad_row and i == 2:
            number = number[:17] + ("1" if number[17] != "1" else "2")
        ws.append([f"新队员{i}", number, f"1350000{i:04d}", division.name, "南关社区志愿服务队", "2022-06-01"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_team_leader_imports_confirms_and_downloads_a_certificate(city, new_page, login, tmp_path):
    team = VolunteerTeam.objects.get(name="南关社区志愿服务队")
    division = team.division
    project = ServiceProject.objects.filter(team=team).first()
    hq = city["hq"]
    volunteer = services.volunteer_register(
        actor=hq,
        name="孙志愿",
        id_number=make_id_number(division.code, date(1990, 7, 7), 777),
        phone="13600001111",
        division=division,
        teams=[team],
    )
    today = timezone.localdate()
    for days in (2, 3):
        services.record_create(
            actor=hq,
            volunteer=volunteer,
            project=project,
            date=today - timedelta(days=days),
            start_time=time(9, 0),
            end_time=time(11, 30),
        )
    StarThreshold.objects.filter(star=1).update(min_hours=5)  # headquarters' setting: one star at 5 hours
    bad = _roster(tmp_path / "花名册.xlsx", division, bad_row=True)
    good = _roster(tmp_path / "花名册-已改.xlsx", division)

    page = new_page()
    login(page, "team-leader")

    # 1. Import a roster with one bad row: nothing is imported, the row, column and reason are shown.
    page.goto("/volunteers/import/")
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(str(bad))
    page.get_by_role("button", name="上传并导入").click()
    errors = page.locator("#import-errors")
    errors.wait_for()
    assert "第 3 行" in errors.inner_text() and "身份证号" in errors.inner_text() and "校验位" in errors.inner_text()
    assert "未导入任何数据" in errors.inner_text()
    assert not Volunteer.objects.filter(name__startswith="新队员").exists()

    # 2. Fixed, it imports all three.
    page.get_by_role("link", name="再导入一个文件").click()
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(str(good))
    page.get_by_role("button", name="上传并导入").click()
    page.locator("#import-created").wait_for()
    assert page.locator("#import-created").inner_text() == "3"
    assert page.locator("#import-status").inner_text() == "已完成"
    assert Volunteer.objects.filter(name__startswith="新队员", teams=team).count() == 3

    # 3. Confirm two service records from the team's page.
    page.goto(f"/volunteers/teams/{team.pk}/")
    for days in (2, 3):
        day = (today - timedelta(days=days)).isoformat()
        page.get_by_role("button", name=f"确认 孙志愿 {day}").click()
        page.get_by_text(f"已确认 孙志愿 {day}").wait_for()  # the row is redrawn in place (htmx), one per day

    # 4. The volunteer's hours and star follow.
    page.goto(f"/volunteers/{volunteer.pk}/")
    assert page.locator("#confirmed-hours").inner_text() == "5.0 小时"
    assert page.locator("#star").inner_text() == "1 星"

    # 5. The certificate downloads as a PDF.
    href = page.locator("#certificate-link").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"
