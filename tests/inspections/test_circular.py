"""The weekly circular: compiled once per week by the calendar, gapless numbers, reviewed and published by
headquarters, seen by units once published, a PDF drawn in an embedded CJK font."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from campaigns import periods
from campaigns.models import Notification
from inspections.choices import CircularStatus, ProblemStatus
from inspections.circulars import circular_compile, circular_publish, compile_last_weeks_circular
from inspections.models import Circular, CircularTransition, Inspection, Problem
from tests.pdf import assert_cjk_font_embedded, pdf_text

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2022, 8, 29, 7, 0, tzinfo=SHANGHAI)  # compiles 2022-W34 (22–28 Aug)


@pytest.fixture
def week_34(point, standards, supervisor):
    """A visit and two problems of 平城区 in 2022-W34: one closed, one overdue at the week's end."""
    Inspection.objects.create(
        point=point,
        division=point.division,
        inspector=supervisor,
        inspected_at=datetime(2022, 8, 23, 9, tzinfo=SHANGHAI),
        weighted_passed=Decimal("4"),
        weighted_applicable=Decimal("6"),
    )
    common = {
        "point": point,
        "division": point.division,
        "responsible_unit": point.responsible_unit,
        "found_by": supervisor,
        "found_at": datetime(2022, 8, 23, 9, tzinfo=SHANGHAI),
    }
    Problem.objects.create(
        standard=standards[0],
        description="公益广告破损",
        status=ProblemStatus.CLOSED,
        deadline=date(2022, 8, 26),
        closed_at=datetime(2022, 8, 25, 15, tzinfo=SHANGHAI),
        **common,
    )
    return Problem.objects.create(
        standard=standards[1],
        description="占道经营",
        status=ProblemStatus.DISPATCHED,
        deadline=date(2022, 8, 25),
        **common,
    )


@pytest.mark.django_db
def test_the_monday_sweep_compiles_last_weeks_circular_once(week_34):
    first = compile_last_weeks_circular(MONDAY)
    again = compile_last_weeks_circular(MONDAY + timedelta(hours=1))
    circular = Circular.objects.get()
    assert circular.period == "2022-W34"
    assert circular.number == f"〔2022〕第{circular.sequence}期"
    assert circular.status == CircularStatus.DRAFT
    assert "已编制" in first and "未重复编制" in again
    content = circular.content
    assert content["inspections"]["visits"] == 1
    assert content["problems"] == {"found": 2, "fixed": 1, "fixed_on_time": 1, "overdue": 1}
    assert [p["standard"] for p in content["overdue_problems"]] == [week_34.standard.text]
    pingcheng = next(row for row in content["league"] if row["division_name"] == "平城区")
    assert pingcheng["score_rate"] == 66.7 and pingcheng["on_time_closure_rate"] == 50.0


@pytest.mark.django_db
def test_the_circular_is_scheduled_for_monday_seven_oclock():
    from campaigns import registry

    schedule = {name: cron for name, cron, _help in registry.schedules()}
    assert schedule["inspections-circular"] == {"minute": "0", "hour": "7", "day_of_week": "1"}
    assert "inspections-circular" in registry.sweeps()


@pytest.mark.django_db
def test_the_pdf_draws_chinese_in_an_embedded_cjk_font(week_34):
    circular, _ = circular_compile(period=periods.parse_period("2022-W34"), now=MONDAY)
    pdf = circular.pdf.read()
    assert pdf.startswith(b"%PDF")
    assert_cjk_font_embedded(pdf)
    text = pdf_text(pdf)
    assert circular.number in text and "红黑榜" in text and "占道经营" not in text  # standards, not descriptions
    assert week_34.standard.text in text


@pytest.mark.django_db
def test_only_headquarters_publishes_and_units_see_only_published_circulars(
    client_as, week_34, hq, officer_pingcheng, officer_yungang
):
    circular, _ = circular_compile(period=periods.parse_period("2022-W34"), now=MONDAY)
    detail = f"/circulars/{circular.pk}/"
    for url in (detail, f"{detail}pdf/"):
        assert client_as(officer_pingcheng).get(url).status_code == 404
    assert circular.number not in client_as(officer_pingcheng).get("/circulars/").content.decode()
    assert client_as(officer_pingcheng).post(f"{detail}publish/").status_code == 404
    assert client_as(hq).get(detail).status_code == 200

    answer = client_as(hq).post(f"{detail}publish/")
    assert answer.status_code == 302
    circular.refresh_from_db()
    assert (circular.status, circular.published_by) == (CircularStatus.PUBLISHED, hq)
    assert CircularTransition.objects.filter(circular=circular, action="publish", actor=hq).count() == 1

    told = Notification.objects.filter(key=f"circular-published:{circular.pk}")
    assert {officer_pingcheng, officer_yungang} <= {n.recipient for n in told}
    page = client_as(officer_pingcheng).get("/circulars/").content.decode()
    assert circular.number in page
    pdf = client_as(officer_yungang).get(f"{detail}pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert client_as(officer_pingcheng).post(f"{detail}publish/").status_code == 403


@pytest.mark.django_db
def test_publishing_twice_is_refused(week_34, hq):
    from campaigns.errors import IllegalTransition

    circular, _ = circular_compile(period=periods.parse_period("2022-W34"), now=MONDAY)
    circular_publish(actor=hq, circular=circular)
    with pytest.raises(IllegalTransition):
        circular_publish(actor=hq, circular=circular)
