"""Excel import of points: bad rows mean nothing imported, each reported with row, column and reason."""

import io

import pytest
from openpyxl import Workbook

from inspections.imports import COLUMNS, export_points, import_points
from inspections.models import Point

pytestmark = pytest.mark.django_db


def xlsx(rows, header=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or list(COLUMNS))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD = ["IMP-001", "御河东路", "主次干道", "平城区", "平城区人民政府", "", "", "御河东路", 40.08, 113.31, "王区长"]


def test_a_file_with_bad_rows_imports_nothing_and_reports_every_bad_row(hq, city):
    rows = [
        GOOD,
        ["IMP-002", "", "主次干道", "平城区", "平城区人民政府"],  # row 3: no name
        ["IMP-003", "某广场", "飞机场", "平城区", "平城区人民政府"],  # row 4: no such category
        ["IMP-004", "某小区", "居民小区", "朔州市", "平城区人民政府", "", "", "", 41.5],  # row 5: division, latitude
        ["IMP-001", "重复编号", "主次干道", "平城区", "平城区人民政府"],  # row 6: code repeats row 2
        ["IMP-006", "某市场", "集贸市场", "云冈区", "平城区人民政府"],  # row 7: unit of another division
    ]
    outcome = import_points(actor=hq, content=xlsx(rows))
    assert (outcome["created"], outcome["updated"]) == (0, 0)
    found = {(e["row"], e["field"]) for e in outcome["errors"]}
    assert found >= {(3, "点位名称"), (4, "类别"), (5, "区县"), (6, "点位编号"), (7, "责任单位")}
    assert all(e["message"] for e in outcome["errors"])
    assert not Point.objects.filter(code__startswith="IMP-").exists()


def test_a_bad_latitude_is_reported_in_its_column(hq, city):
    row = ["IMP-010", "某小区", "居民小区", "平城区", "平城区人民政府", "", "", "", 41.5, 113.3]
    outcome = import_points(actor=hq, content=xlsx([row]))
    assert outcome["errors"] == [{"row": 2, "field": "纬度", "message": "纬度不在大同市范围内（39.0～40.8）。"}]


def test_partial_import_takes_the_good_rows(hq, city):
    rows = [GOOD, ["IMP-002", "", "主次干道", "平城区", "平城区人民政府"]]
    outcome = import_points(actor=hq, content=xlsx(rows), partial=True)
    assert outcome["created"] == 1 and len(outcome["errors"]) == 1
    assert Point.objects.get(code="IMP-001").leader_name == "王区长"


def test_an_export_imports_back_as_updates(hq, city):
    points = Point.objects.filter(division__name="平城区")
    content = export_points(points)
    outcome = import_points(actor=hq, content=content)
    assert outcome == {"created": 0, "updated": points.count(), "errors": []}


def test_an_officer_imports_only_their_own_division(officer_yungang, city):
    outcome = import_points(actor=officer_yungang, content=xlsx([GOOD]))
    assert outcome["errors"][0]["field"] == "区县"
    assert not Point.objects.filter(code="IMP-001").exists()


def test_the_import_page_shows_row_column_and_reason(client_as, hq, city):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("points.xlsx", xlsx([["IMP-002", "", "主次干道", "平城区", "平城区人民政府"]]))
    response = client_as(hq).post("/inspections/points/import/", {"file": upload})
    text = response.content.decode()
    assert response.status_code == 200
    assert "未导入任何点位" in text and "<td>3</td>" not in text and "<td>2</td><td>点位名称</td>" in text
