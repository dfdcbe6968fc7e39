from taskforces import periods
from taskforces.choices import ReportKind
from taskforces.models import ReportCalendar
from tests.taskforces.conftest import at


def test_weekly_summary_is_due_the_monday_after_the_week_it_covers(db):
    calendar = ReportCalendar.current()
    assert periods.due_at(ReportKind.WEEKLY, "2022-W33", calendar) == at("2022-08-22 23:59:59")
    assert periods.round_period(ReportKind.WEEKLY, at("2022-08-22 09:00")) == "2022-W33"


def test_monthly_report_is_due_on_the_day_headquarters_sets(db):
    calendar = ReportCalendar.current()
    calendar.monthly_due_day = 8
    calendar.save()
    assert periods.due_at(ReportKind.MONTHLY, "2022-11", ReportCalendar.current()) == at("2022-12-08 23:59:59")


def test_a_due_day_in_the_national_day_holiday_moves_to_the_next_working_day(db):
    """2025: 1–8 October off. September's report (due the 5th) and week 40's summary (due Monday the 6th) are both due
    on Thursday 9 October; a due day on a plain Sunday moves to the Monday."""
    calendar = ReportCalendar.current()
    assert calendar.monthly_due_day == 5
    assert periods.due_at(ReportKind.MONTHLY, "2025-09", calendar) == at("2025-10-09 23:59:59")
    assert periods.due_at(ReportKind.WEEKLY, "2025-W40", calendar) == at("2025-10-09 23:59:59")
    calendar.monthly_due_day = 8
    assert periods.due_at(ReportKind.MONTHLY, "2022-12", calendar) == at("2023-01-09 23:59:59")  # 8 Jan: Sunday


def test_a_local_day_off_moves_a_due_day(db, hq):
    from datetime import date

    from campaigns import services

    calendar = ReportCalendar.current()
    assert periods.due_at(ReportKind.MONTHLY, "2026-10", calendar) == at("2026-11-05 23:59:59")  # a Thursday
    services.workday_exception_set(actor=hq, day=date(2026, 11, 5), is_working_day=False, reason="本市迎检调休")
    assert periods.due_at(ReportKind.MONTHLY, "2026-10", calendar) == at("2026-11-06 23:59:59")


def test_round_is_computed_in_shanghai_time_not_utc(db):
    # Sunday 21 August 16:30 UTC is already Monday 00:30 in Shanghai: the round is the week just ended.
    from datetime import UTC, datetime

    assert periods.round_period(ReportKind.WEEKLY, datetime(2022, 8, 21, 16, 30, tzinfo=UTC)) == "2022-W33"
    assert periods.round_period(ReportKind.WEEKLY, datetime(2022, 8, 21, 15, 30, tzinfo=UTC)) == "2022-W32"
