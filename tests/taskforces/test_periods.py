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
    assert periods.due_at(ReportKind.MONTHLY, "2022-12", ReportCalendar.current()) == at("2023-01-08 23:59:59")


def test_round_is_computed_in_shanghai_time_not_utc(db):
    # Sunday 21 August 16:30 UTC is already Monday 00:30 in Shanghai: the round is the week just ended.
    from datetime import UTC, datetime

    assert periods.round_period(ReportKind.WEEKLY, datetime(2022, 8, 21, 16, 30, tzinfo=UTC)) == "2022-W33"
    assert periods.round_period(ReportKind.WEEKLY, datetime(2022, 8, 21, 15, 30, tzinfo=UTC)) == "2022-W32"
