import threading

import pytest
from django.core.management import call_command
from django.db import connection

from campaigns.models import Notification
from taskforces import clock, services
from taskforces.choices import ReportKind, ReportStatus
from taskforces.models import Report
from tests.taskforces.conftest import at


def _keys(prefix):
    return list(Notification.objects.filter(key__startswith=prefix).values_list("recipient__username", "key"))


def test_opening_slots_at_week_start_creates_one_report_per_holder_and_period(card_pingcheng, government, pingcheng):
    clock.open_report_slots(at("2022-08-22 00:05"))
    clock.open_report_slots(at("2022-08-22 00:05"))
    slots = Report.objects.filter(unit=government(pingcheng), kind=ReportKind.WEEKLY, period__startswith="2022")
    slots = slots.order_by("period")
    assert [(r.period, r.due_at) for r in slots] == [
        ("2022-W32", at("2022-08-15 23:59:59")),
        ("2022-W33", at("2022-08-22 23:59:59")),
    ]


def test_no_slot_for_a_period_that_ended_before_the_card_was_issued(card_pingcheng, government, pingcheng):
    clock.open_report_slots(at("2022-08-01 00:10"))  # the July monthly round: the card came on 10 August
    assert not Report.objects.filter(unit=government(pingcheng), period="2022-07").exists()


def test_monday_reminder_reaches_each_officer_once_however_often_it_runs(card_pingcheng, officer_pingcheng):
    clock.open_report_slots(at("2022-08-22 00:05"))
    first = clock.remind_before_deadline(at("2022-08-22 09:00"))
    clock.remind_before_deadline(at("2022-08-22 09:00"))
    clock.remind_before_deadline(at("2022-08-22 11:00"))
    keys = _keys("report-reminder:weekly:2022-W33:before:")
    assert len(keys) == 1 and keys[0][0] == officer_pingcheng.username
    assert "1" in first


def test_no_reminder_for_a_submitted_report(card_pingcheng, officer_pingcheng):
    clock.open_report_slots(at("2022-08-22 00:05"))
    report = Report.objects.get(unit=officer_pingcheng.unit, period="2022-W33")
    services.report_submit(actor=officer_pingcheng, report=report, summary="已完成", now=at("2022-08-22 08:00"))
    clock.remind_before_deadline(at("2022-08-22 09:00"))
    assert _keys("report-reminder:weekly:2022-W33") == []


def test_monthly_reminder_goes_out_the_configured_days_before(card_pingcheng, officer_pingcheng):
    # 2022-08 is due on 5 September 23:59:59; the default lead is two days.
    # due Monday 5 September 2022; two working days before is Thursday the 1st, not Saturday the 3rd
    clock.remind_before_deadline(at("2022-08-31 09:00"))
    assert _keys("report-reminder:monthly:2022-08") == []
    clock.remind_before_deadline(at("2022-09-01 09:00"))
    assert len(_keys("report-reminder:monthly:2022-08")) == 1


def test_missing_is_marked_at_the_deadline_and_not_before(weekly_w32, hq, officer_pingcheng):
    clock.mark_missing_reports(at("2022-08-15 23:59"))
    weekly_w32.refresh_from_db()
    assert weekly_w32.missing_marked_at is None
    assert _keys("report-missing:weekly:2022-W32") == []

    clock.mark_missing_reports(at("2022-08-16 00:00"))
    clock.mark_missing_reports(at("2022-08-16 00:10"))
    weekly_w32.refresh_from_db()
    assert weekly_w32.missing_marked_at == at("2022-08-16 00:00")
    assert weekly_w32.status == ReportStatus.EXPECTED
    told = sorted(name for name, _key in _keys(f"report-missing:weekly:2022-W32:deadline:{weekly_w32.pk}"))
    assert told == sorted([hq.username, officer_pingcheng.username])


def test_morning_digest_goes_to_headquarters_once_a_day(weekly_w32, hq):
    clock.morning_digest(at("2022-08-15 08:30"))
    clock.morning_digest(at("2022-08-15 08:30"))
    digest = Notification.objects.get(key="report-digest:2022-08-15", recipient=hq)
    assert "今日到期 1" in digest.title
    clock.morning_digest(at("2022-08-16 08:30"))
    assert "缺报 1" in Notification.objects.get(key="report-digest:2022-08-16", recipient=hq).title


def test_campaign_clock_replays_the_same_sweeps_idempotently(card_pingcheng, officer_pingcheng, capsys):
    call_command("campaign_clock", "--now", "2022-08-22T09:00+08:00")
    count = Notification.objects.filter(key__startswith="report-").count()
    call_command("campaign_clock", "--now", "2022-08-22T09:00+08:00")
    assert Notification.objects.filter(key__startswith="report-").count() == count
    output = capsys.readouterr().out
    assert "reports_open" in output and "reports_mark_missing" in output
    # W32 (due 15 August) is missing; W33 (due tonight) has had its Monday reminder.
    assert Report.objects.get(unit=officer_pingcheng.unit, period="2022-W32").missing_marked_at is not None
    assert len(_keys("report-reminder:weekly:2022-W33:before")) == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_each_reminder_once(card_pingcheng, officer_pingcheng, hq):
    barrier = threading.Barrier(2)
    errors = []

    def sweep():
        try:
            barrier.wait(timeout=10)
            clock.open_report_slots(at("2022-08-22 00:05"))
            clock.remind_before_deadline(at("2022-08-22 09:00"))
            clock.mark_missing_reports(at("2022-08-22 09:00"))
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Report.objects.filter(unit=officer_pingcheng.unit, kind=ReportKind.WEEKLY, period="2022-W33").count() == 1
    assert len(_keys("report-reminder:weekly:2022-W33:before")) == 1
    missing = _keys("report-missing:weekly:2022-W32")
    assert sorted(name for name, _key in missing) == sorted([hq.username, officer_pingcheng.username])


def test_a_reminder_missed_at_nine_goes_out_at_the_next_tick_but_not_after_the_deadline(
    card_pingcheng, officer_pingcheng
):
    clock.open_report_slots(at("2022-08-22 00:05"))
    clock.remind_before_deadline(at("2022-08-22 08:50"))  # before its moment
    assert _keys("report-reminder:weekly:2022-W33:before:") == []
    # The 09:00 tick was lost (broker down); the 14:10 one finds the reminder due and sends it, once.
    clock.remind_before_deadline(at("2022-08-22 14:10"))
    clock.remind_before_deadline(at("2022-08-22 14:20"))
    assert len(_keys("report-reminder:weekly:2022-W33:before:")) == 1
    # A report whose deadline passed unreminded gets the missing notice instead, not a late reminder.
    clock.open_report_slots(at("2022-08-29 00:05"))
    clock.remind_before_deadline(at("2022-08-30 09:00"))
    assert _keys("report-reminder:weekly:2022-W34:before:") == []


def test_a_report_marked_without_its_notices_is_finished_by_the_next_run(weekly_w32, hq, officer_pingcheng):
    # What a worker killed between the mark and the notices left behind under the old code.
    Report.objects.filter(pk=weekly_w32.pk).update(missing_marked_at=at("2022-08-16 00:00"))
    clock.mark_missing_reports(at("2022-08-16 00:10"))
    clock.mark_missing_reports(at("2022-08-16 00:20"))
    told = sorted(name for name, _key in _keys(f"report-missing:weekly:2022-W32:deadline:{weekly_w32.pk}"))
    assert told == sorted([hq.username, officer_pingcheng.username])


def test_a_digest_missed_at_half_past_eight_goes_out_later_that_day_once(weekly_w32, hq):
    clock.morning_digest(at("2022-08-15 08:00"))  # before its moment: yesterday's digest, not today's
    assert not Notification.objects.filter(key="report-digest:2022-08-15").exists()
    clock.morning_digest(at("2022-08-15 11:40"))
    clock.morning_digest(at("2022-08-15 11:50"))
    assert Notification.objects.filter(key="report-digest:2022-08-15", recipient=hq).count() == 1
