"""A point inspected on a phone through a dropped connection, its problems rectified and closed, and the league table
and the weekly circular reflecting it (Playwright driving Debian's Chromium)."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from campaigns import periods
from campaigns.league import district_rows
from campaigns.models import Division
from inspections.choices import ProblemStatus
from inspections.circulars import compile_last_weeks_circular
from inspections.models import Circular, Point, PointCategory, Problem
from tests.inspections.conftest import png_bytes
from tests.pdf import assert_cjk_font_embedded, pdf_text

PHONE = {"width": 390, "height": 844}


def _photo(name):
    return [{"name": name, "mimeType": "image/png", "buffer": png_bytes((40, 30))}]


@pytest.fixture
def journey_point(city, pingcheng, government):
    """A 平城区 point of a category with at least three standards, for the journey alone."""
    category = next(c for c in PointCategory.objects.all() if c.standards.filter(is_active=True).count() >= 3)
    return Point.objects.create(
        code="E2E-PC-001",
        name="平城区鼓楼东街（测评演练）",
        category=category,
        division=pingcheng,
        responsible_unit=government(pingcheng),
        address="平城区鼓楼东街",
        latitude=Decimal("40.09"),
        longitude=Decimal("113.30"),
    )


@pytest.mark.browser
def test_inspection_to_league_table_and_circular(city, journey_point, pingcheng, new_page, login):
    standards = list(journey_point.category.standards.filter(is_active=True).order_by("position", "id"))
    first, second = standards[0], standards[1]
    visit_url = f"/inspections/points/{journey_point.pk}/visit/"

    # The supervisor, on a phone, fails the first standard with a note and a photo …
    supervisor = login(new_page(**PHONE), "supervisor")
    supervisor.goto(visit_url)
    supervisor.locator(f"label[for=r{first.pk}f]").click()
    supervisor.get_by_label(f"{first.code} 说明").fill("公益广告牌破损，画面褪色。")
    supervisor.get_by_label(f"{first.code} 照片").set_input_files(files=_photo("first.png"))
    supervisor.locator(f"label[for=r{second.pk}f]").click()
    supervisor.get_by_label(f"{second.code} 说明").fill("人行道占道经营三处。")

    # … loses the connection halfway: the send is held back, the page is closed.
    context = supervisor.context
    context.set_offline(True)
    supervisor.get_by_role("button", name="提交测评").click()
    supervisor.locator("[data-offline-notice]").wait_for(state="visible")
    supervisor.close()
    assert not Problem.objects.filter(point=journey_point).exists()

    # Back online, the visit page restores what was typed; only the photos are attached again.
    context.set_offline(False)
    supervisor = context.new_page()
    supervisor.goto(visit_url)
    supervisor.locator("[data-draft-restored]").wait_for(state="visible")
    assert supervisor.locator(f"#r{first.pk}f").is_checked()
    assert supervisor.locator(f"#r{second.pk}f").is_checked()
    assert supervisor.get_by_label(f"{first.code} 说明").input_value() == "公益广告牌破损，画面褪色。"
    assert supervisor.get_by_label(f"{second.code} 说明").input_value() == "人行道占道经营三处。"
    supervisor.get_by_label(f"{first.code} 照片").set_input_files(files=_photo("first.png"))
    supervisor.get_by_label(f"{second.code} 照片").set_input_files(files=_photo("second.png"))
    for standard in standards[2:]:
        supervisor.locator(f"label[for=r{standard.pk}p]").click()
    supervisor.get_by_role("button", name="提交测评").click()
    supervisor.wait_for_url("**/inspections/visits/*/**")
    assert "测评已提交" in supervisor.content()

    # Two problems appear for the responsible unit, in the 平城区 officer's inbox.
    problems = list(Problem.objects.filter(point=journey_point).order_by("standard__position", "standard_id"))
    assert [p.standard_id for p in problems] == [first.pk, second.pk]
    assert all(p.responsible_unit_id == journey_point.responsible_unit_id for p in problems)
    officer = login(new_page(**PHONE), "officer-pingcheng")
    officer.goto("/inspections/problems/inbox/")
    assert officer.locator(f"a[href='/inspections/problems/{problems[0].pk}/']").count() >= 1
    assert officer.locator(f"a[href='/inspections/problems/{problems[1].pk}/']").count() >= 1

    # The officer passes the first to the unit and rectifies it with an after photo.
    problem_url = f"/inspections/problems/{problems[0].pk}/"
    officer.goto(problem_url)
    officer.get_by_role("button", name="派发").click()
    officer.get_by_text("问题已派发。").wait_for()
    officer.get_by_label("整改情况").fill("已更换公益广告牌。")
    officer.locator("input[type=file][name=photos]").set_input_files(files=_photo("after.png"))
    officer.get_by_role("button", name="提交整改情况").click()
    officer.get_by_text("整改情况已反馈，等待复核。").wait_for()

    # Headquarters re-checks and closes it.
    hq = login(new_page(), "hq")
    hq.goto(problem_url)
    hq.get_by_label("复核结果").select_option(label="复核通过，销号")
    hq.get_by_label("复核意见").fill("复查合格。")
    hq.get_by_role("button", name="提交复核意见").click()
    problems[0].refresh_from_db()
    problems[1].refresh_from_db()
    assert problems[0].status == ProblemStatus.CLOSED
    assert problems[1].status == ProblemStatus.OPEN

    # The league table of this week shows 平城区's figures as they now stand.
    week = periods.current_period(periods.WEEK)
    expected = next(r for r in district_rows(list(Division.objects.all()), week) if r["division"] == pingcheng.pk)
    hq.goto(f"/league/?period={week.label}")
    row = hq.locator("tr[data-division='平城区']")
    assert row.locator("td.score-rate").inner_text().strip() == f"{expected['score_rate']}%"
    assert row.locator("td.closure-rate").inner_text().strip() == f"{expected['on_time_closure_rate']}%"
    assert row.locator("td").first.inner_text().strip() == str(expected["rank"])

    # Next Monday the calendar compiles this week's circular; headquarters publishes it; the officer reads the PDF.
    next_monday = week.last_day + timedelta(days=1)
    compile_last_weeks_circular(timezone.make_aware(datetime.combine(next_monday, time(7, 0))))
    circular = Circular.objects.get(period=week.label)
    assert circular.content["problems"]["found"] >= 2 and circular.content["problems"]["fixed"] >= 1
    hq.goto("/circulars/")
    hq.get_by_role("link", name=circular.number).click()
    hq.locator("#circular-publish").click()
    hq.get_by_text("已发布，各单位已收到通知").wait_for()

    officer.goto("/circulars/")
    officer.get_by_role("link", name=circular.number).click()
    pdf = officer.request.get(f"/circulars/{circular.pk}/pdf/")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    body = pdf.body()
    assert_cjk_font_embedded(body)
    text = pdf_text(body)
    assert circular.number in text and "平城区" in text
