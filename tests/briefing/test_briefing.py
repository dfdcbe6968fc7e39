"""The monthly briefing: what it says about a hand-built month, its numbers, who may read and rebuild it, the calendar."""

import re
from datetime import date, datetime, time

import pytest
from django.db import transaction
from django.urls import reverse

from campaigns.clock import run_sweeps
from campaigns.errors import IllegalTransition, NotAllowed
from campaigns.models import Division
from campaigns.numbering import next_number
from campaigns.periods import month
from datong_portal.briefing import services
from datong_portal.briefing.choices import BriefingStatus
from datong_portal.briefing.models import Briefing
from datong_portal.briefing.selectors import briefing_contents
from tests.briefing.conftest import MARCH_2021, SHANGHAI
from tests.concurrency import run_together
from tests.pdf import assert_cjk_font_embedded, pdf_text


def _built(period, actor):
    briefing = services.briefing_request(period=period, actor=actor)
    assert services.briefing_build(briefing.pk) is True
    briefing.refresh_from_db()
    return briefing


def test_the_months_figures_equal_the_hand_counted_ones(march):
    contents = briefing_contents(MARCH_2021)
    assert contents["reports"] == {"due": 5, "on_time": 3, "late": 1, "missing": 1, "rate": 60.0}
    units = {u["unit"]: (u["due"], u["on_time"], u["late"], u["missing"], u["rate"]) for u in contents["report_units"]}
    assert units == {"平城区人民政府": (3, 2, 1, 0, 66.7), "云冈区人民政府": (2, 1, 0, 1, 50.0)}
    cards = contents["cards"]
    assert (cards["issued"], cards["closed"], cards["closed_on_time"], cards["overdue"]) == (5, 2, 1, 2)
    assert [c["number"] for c in cards["closed_list"]] == ["督办〔2021〕第1号", "督办〔2021〕第2号"]
    assert {c["number"]: c["days_overdue"] for c in cards["overdue_list"]} == {
        "督办〔2021〕第3号": 12,
        "督办〔2021〕第4号": 7,
    }
    problems = contents["problems"]
    assert (problems["found"], problems["closed"], problems["overdue"]) == (3, 2, 1)
    by_division = {row["division"]: (row["found"], row["closed"], row["overdue"]) for row in problems["rows"]}
    assert by_division["平城区"] == (2, 1, 1) and by_division["云冈区"] == (1, 1, 0)
    assert (contents["inspections"]["count"], contents["inspections"]["score_rate"]) == (3, 80.0)
    volunteers = contents["volunteers"]
    assert (volunteers["registered"], volunteers["new"], volunteers["active"]) == (3, 2, 2)
    assert str(volunteers["hours"]) == "6.0"
    assert volunteers["activity_rate"] == 66.7
    league = {row["division_name"]: row for row in contents["league"]}
    assert len(league) == 10
    # the league's report column for March is the same count: 2 of 3 on time in 平城区, 1 of 2 in 云冈区
    assert (league["平城区"]["report_punctuality"], league["云冈区"]["report_punctuality"]) == (66.7, 50.0)
    assert league["平城区"]["rank"] == 1
    for row in league.values():  # movement against February's table
        assert row["movement"] == row["previous_rank"] - row["rank"]


def test_the_pdf_embeds_a_cjk_font_and_holds_the_month_the_ten_divisions_and_the_figures(march):
    briefing = _built(MARCH_2021, march["hq"])
    assert briefing.status == BriefingStatus.DONE and briefing.progress == 100
    assert briefing.number == "〔2021〕第1期"
    pdf = briefing.pdf.open("rb").read()
    assert pdf.startswith(b"%PDF")
    assert_cjk_font_embedded(pdf)
    text = pdf_text(pdf)
    assert "〔2021〕第1期" in text and "2021年3月" in text
    for division in Division.objects.all():
        assert division.name in text, division.name
    assert Division.objects.count() == 10
    expected = {
        "报告应报": "5 份",
        "按时报送": "3 份",
        "迟报": "1 份",
        "缺报": "1 份",
        "按时报送率": "60.0%",
        "本月下发督办卡": "5 件",
        "本月销号督办卡": "2 件",
        "其中按期销号": "1 件",
        "月末逾期督办卡": "2 件",
        "本月发现问题": "3 个",
        "本月销号问题": "2 个",
        "月末逾期问题": "1 个",
        "本月测评点位次数": "3 次",
        "平均得分率": "80.0%",
        "注册志愿者": "3 人",
        "本月新注册志愿者": "2 人",
        "本月参与服务志愿者": "2 人",
        "本月确认服务时长": "6.0 小时",
    }
    for label, value in expected.items():
        number, unit = re.fullmatch(r"([\d.]+)\s*(\S+)", value).groups()
        assert re.search(rf"(^|\s){label}\s+{re.escape(number)}\s*{unit}", text, re.M), (label, value)
    # the lists: both closed cards, both overdue ones, and the unit punctuality rows
    for number in ("督办〔2021〕第1号", "督办〔2021〕第2号", "督办〔2021〕第3号", "督办〔2021〕第4号"):
        assert number in text
    assert "督办〔2021〕第5号" not in text and "督办〔2021〕第6号" not in text
    assert re.search(r"平城区\s+平城区人民政府\s+3\s+2\s+1\s+0\s+66\.7", text)
    # the charts are SVG drawn in the same font: their titles are text in the PDF
    assert "各区县综合得分" in text and "各区县问题发现与销号" in text
    assert briefing.pages >= 1 and briefing.build_seconds is not None


def test_issue_numbers_run_on_within_a_year_and_restart_with_the_next(march):
    hq = march["hq"]
    first = services.briefing_request(period=MARCH_2021, actor=hq)
    second = services.briefing_request(period=month(date(2021, 1, 1)), actor=hq)
    next_year = services.briefing_request(period=month(date(2022, 2, 1)), actor=hq)
    assert [first.number, second.number, next_year.number] == ["〔2021〕第1期", "〔2021〕第2期", "〔2022〕第1期"]
    services.briefing_build(first.pk)
    again = services.briefing_request(period=MARCH_2021, actor=hq)  # a rebuild keeps its number
    assert again.pk == first.pk and again.number == "〔2021〕第1期"
    assert services.briefing_request(period=month(date(2021, 5, 1)), actor=hq).number == "〔2021〕第3期"


@pytest.mark.django_db(transaction=True)
def test_builds_asked_for_at_the_same_instant_never_share_a_number(reference_city):
    hq = reference_city["hq"]
    months = [month(date(2021, m, 1)) for m in (1, 2, 3, 4)] + [month(date(2021, 4, 1))]

    def ask(period):
        return lambda: services.briefing_request(period=period, actor=hq).sequence

    results = run_together([ask(p) for p in months])
    numbers = [value for outcome, value in results if outcome == "ok"]
    refused = [value for outcome, value in results if outcome == "error"]
    # April was asked for twice: one request numbered it, the other found it in progress (or the same issue)
    assert all(isinstance(error, IllegalTransition) for error in refused), refused
    assert sorted(Briefing.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4]
    assert Briefing.objects.filter(month=date(2021, 4, 1)).count() == 1
    assert len(set(numbers)) == 4
    with transaction.atomic():  # the counter carries on from the last issued number: no gap, no reuse
        assert next_number(services.SERIES, 2021) == 5


def test_a_month_being_built_cannot_be_asked_for_again(march):
    briefing = services.briefing_request(period=MARCH_2021, actor=march["hq"])
    with pytest.raises(IllegalTransition, match="正在编制中"):
        services.briefing_request(period=MARCH_2021, actor=march["hq"])
    Briefing.objects.filter(pk=briefing.pk).update(status=BriefingStatus.BUILDING, progress=45)
    with pytest.raises(IllegalTransition, match="正在编制中"):
        services.briefing_request(period=MARCH_2021, actor=march["hq"])
    assert services.briefing_build(briefing.pk) is False  # another worker holds it: this delivery does nothing


def test_rebuilding_a_month_in_progress_on_the_page_is_refused_in_chinese(march, client):
    briefing = services.briefing_request(period=MARCH_2021, actor=march["hq"])
    Briefing.objects.filter(pk=briefing.pk).update(status=BriefingStatus.BUILDING, progress=45, stage="排版生成 PDF")
    client.force_login(march["hq"])
    response = client.post(reverse("briefing-list"), {"month": "2021-03"})
    assert response.status_code == 400
    assert "2021年3月的简报（〔2021〕第1期）正在编制中" in response.content.decode()
    briefing.refresh_from_db()
    assert (briefing.status, briefing.progress, briefing.builds) == (BriefingStatus.BUILDING, 45, 0)


def test_a_rebuild_keeps_the_number_and_replaces_the_pdf(march, client):
    briefing = _built(MARCH_2021, march["hq"])
    old_name = briefing.pdf.name
    client.force_login(march["hq"])
    response = client.post(reverse("briefing-list"), {"month": "2021-03"})
    assert response.status_code == 302
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.QUEUED and briefing.progress == 0
    assert services.briefing_build(briefing.pk)
    briefing.refresh_from_db()
    assert briefing.number == "〔2021〕第1期" and briefing.builds == 2
    assert briefing.pdf.name != old_name and not briefing.pdf.storage.exists(old_name)


@pytest.mark.parametrize("month_label", ["2021-13", "2021-W09", "三月", "", "1999-01"])
def test_a_malformed_month_is_a_400_in_chinese_and_builds_nothing(march, client, month_label):
    client.force_login(march["hq"])
    response = client.post(reverse("briefing-list"), {"month": month_label})
    assert response.status_code == 400
    assert "月份" in response.content.decode()
    assert not Briefing.objects.exists()


def test_a_month_not_yet_over_is_refused(march, client):
    client.force_login(march["hq"])
    response = client.post(reverse("briefing-list"), {"month": "2099-01"})
    assert response.status_code == 400 and "尚未结束" in response.content.decode()
    assert not Briefing.objects.exists()


def test_the_page_shows_the_progress_of_a_build_and_offers_every_issue_for_download(march, client):
    done = _built(MARCH_2021, march["hq"])
    building = services.briefing_request(period=month(date(2021, 2, 1)), actor=march["hq"])
    Briefing.objects.filter(pk=building.pk).update(status=BriefingStatus.BUILDING, progress=45, stage="排版生成 PDF")
    client.force_login(march["officer"])
    page = client.get(reverse("briefing-list")).content.decode()
    assert reverse("briefing-download", args=[done.pk]) in page
    assert f'hx-get="{reverse("briefing-progress", args=[building.pk])}"' in page
    assert 'data-progress="45.0"' in page and "排版生成 PDF" in page
    assert "开始编制" not in page  # officers read; they do not build
    row = client.get(reverse("briefing-progress", args=[building.pk])).content.decode()
    assert "编制中" in row and 'data-progress="45.0"' in row
    download = client.get(reverse("briefing-download", args=[done.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("briefing-download", args=[building.pk])).status_code == 404


def test_strangers_and_other_roles_are_refused(march, client):
    briefing = _built(MARCH_2021, march["hq"])
    urls = [
        reverse("briefing-list"),
        reverse("briefing-progress", args=[briefing.pk]),
        reverse("briefing-download", args=[briefing.pk]),
    ]
    for url in urls:
        assert client.get(url)["Location"].startswith("/accounts/login/")
    for role in ("supervisor", "leader"):
        client.force_login(march[role])
        for url in urls:
            assert client.get(url).status_code == 403, (role, url)
        assert client.post(urls[0], {"month": "2021-03"}).status_code == 403
    client.force_login(march["officer"])
    assert client.post(urls[0], {"month": "2021-03"}).status_code == 403
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.DONE and briefing.builds == 1
    with pytest.raises(NotAllowed):
        services.briefing_request(period=MARCH_2021, actor=march["officer"])


def test_the_calendar_asks_for_the_past_months_briefing_once(march):
    first_of_april = datetime(2021, 4, 1, 6, 30, tzinfo=SHANGHAI)
    assert "已排队编制 〔2021〕第1期" in run_sweeps(first_of_april, only=["briefing_monthly"])["briefing_monthly"]
    assert (
        "已有简报"
        in run_sweeps(datetime.combine(date(2021, 4, 2), time(6, 30), SHANGHAI), only=["briefing_monthly"])[
            "briefing_monthly"
        ]
    )
    briefing = Briefing.objects.get()
    assert briefing.month == date(2021, 3, 1) and briefing.requested_by is None
    assert services.briefing_build(briefing.pk)


def test_the_schedule_is_contributed_through_the_registry_and_lands_in_beats_tables(db):
    from django_celery_beat.models import PeriodicTask

    from campaigns import registry
    from campaigns.clock import SWEEP_TASK, ensure_schedules

    assert "briefing_monthly" in registry.sweeps()
    ensure_schedules()
    entry = PeriodicTask.objects.get(task=SWEEP_TASK, args='["briefing_monthly"]')
    assert (entry.crontab.hour, entry.crontab.minute, entry.crontab.day_of_month) == ("6", "30", "*")
    assert str(entry.crontab.timezone) == "Asia/Shanghai"


def test_a_failed_build_says_why_and_headquarters_can_build_it_again(march, client, settings, tmp_path):
    blocked = tmp_path / "media-is-a-file"
    blocked.write_text("")
    settings.MEDIA_ROOT = blocked  # the worker cannot store the PDF: a real failure, not a simulated one
    briefing = services.briefing_request(period=MARCH_2021, actor=march["hq"])
    with pytest.raises(OSError):
        services.briefing_build(briefing.pk)
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.FAILED and briefing.error and not briefing.pdf
    client.force_login(march["hq"])
    assert "编制失败" in client.get(reverse("briefing-list")).content.decode()
    settings.MEDIA_ROOT = tmp_path / "media"
    assert client.post(reverse("briefing-list"), {"month": "2021-03"}).status_code == 302
    assert services.briefing_build(briefing.pk)
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.DONE and briefing.error == "" and briefing.number == "〔2021〕第1期"
