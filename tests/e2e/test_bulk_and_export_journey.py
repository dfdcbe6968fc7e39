"""``hq`` bulk-accepts the week's reports and exports the filtered card list, clicked the way a person does it."""

import io

import pytest
from openpyxl import load_workbook

from supervision.models import SupervisionCard
from taskforces import services
from taskforces.choices import ReportStatus
from taskforces.models import Report


@pytest.mark.browser
def test_hq_bulk_accepts_reports_and_exports_the_filtered_card_list(city, new_page, login):
    waiting = []
    for report in Report.objects.filter(status=ReportStatus.EXPECTED, leader=None).order_by("pk")[:3]:
        officer = services.report_people(report)[0]
        waiting.append(services.report_submit(actor=officer, report=report, summary="本周整治背街小巷 8 处。"))
    already = Report.objects.filter(status=ReportStatus.ACCEPTED).first()
    overdue = list(SupervisionCard.objects.overdue().values_list("number", flat=True))
    assert waiting and already and overdue

    submitted = list(Report.objects.filter(status=ReportStatus.SUBMITTED).values_list("pk", flat=True))
    assert len(submitted) <= 50, "one page of them"

    hq = login(new_page(), "hq")
    hq.goto("/reports/?status=submitted")
    hq.get_by_label("全选本页").check()
    hq.get_by_role("button", name="批量通过所选报告").click()
    hq.get_by_text(f"通过 {len(submitted)} 条").wait_for()
    assert not Report.objects.filter(pk__in=submitted).exclude(status=ReportStatus.ACCEPTED).exists()
    assert hq.get_by_text("暂无报告。").is_visible(), "the filtered list is empty now"

    # the card list, filtered to the overdue cards, downloads as it is shown
    hq.goto("/supervision/")
    hq.get_by_label("逾期").select_option(label="仅逾期")
    hq.get_by_role("button", name="筛选").click()
    hq.wait_for_url("**overdue=true**")
    with hq.expect_download() as download_info:
        hq.get_by_role("link", name="导出 Excel（按当前筛选）").click()
    download = download_info.value
    assert download.suggested_filename == "督办卡台账.xlsx"
    with open(download.path(), "rb") as saved:  # Playwright's file has no extension, which openpyxl wants
        sheet = load_workbook(io.BytesIO(saved.read()), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "编号"
    assert sorted(row[0] for row in rows[1:]) == sorted(overdue)
