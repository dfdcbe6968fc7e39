"""Working days (工作日): the official calendar with its make-up days (chinesecalendar), and headquarters' exceptions.

The package's own data for 2025 and 2026 fixes the cases: National Day 2025 was 1–8 October off with Sunday 28 September
and Saturday 11 October worked; National Day 2026 is 1–7 October off with Saturday 10 October worked.
"""

from datetime import date

import pytest

from campaigns import services, workdays
from campaigns.models import WorkdayException

pytestmark = pytest.mark.django_db


def test_the_package_knows_the_national_day_holiday_and_its_make_up_days():
    assert not workdays.is_working_day(date(2025, 10, 1))
    assert not workdays.is_working_day(date(2025, 10, 8))  # a Wednesday, still off
    assert workdays.is_working_day(date(2025, 9, 28))  # a Sunday, worked
    assert workdays.is_working_day(date(2025, 10, 11))  # the make-up Saturday
    assert not workdays.is_working_day(date(2025, 10, 12))  # an ordinary Sunday
    assert workdays.is_working_day(date(2026, 10, 10))


def test_adding_working_days_across_the_national_day_holiday():
    # Tuesday 30 September 2025 + 3 working days: 9 (Thu), 10 (Fri), 11 (the make-up Saturday).
    assert workdays.add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert workdays.add_working_days(date(2025, 9, 30), 3) == date(2025, 10, 11)
    assert workdays.add_working_days(date(2025, 9, 30), 4) == date(2025, 10, 13)  # Sunday the 12th is off
    assert workdays.add_working_days(date(2025, 10, 9), -1) == date(2025, 9, 30)
    assert workdays.add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 28)  # Friday → the worked Sunday
    assert workdays.add_working_days(date(2025, 10, 4), 0) == date(2025, 10, 4)


def test_counting_working_days_between_two_dates():
    assert workdays.working_days_between(date(2025, 9, 30), date(2025, 10, 8)) == 0
    assert workdays.working_days_between(date(2025, 9, 30), date(2025, 10, 11)) == 3
    assert workdays.working_days_between(date(2025, 10, 11), date(2025, 9, 30)) == -3
    assert workdays.working_days_between(date(2025, 9, 30), date(2025, 9, 30)) == 0
    # the two functions agree: adding what lies between lands on the last working day up to the end
    start = date(2026, 9, 25)
    for n in range(1, 12):
        end = workdays.add_working_days(start, n)
        assert workdays.working_days_between(start, end) == n


def test_a_deadline_on_a_holiday_moves_to_the_next_working_day():
    assert workdays.next_working_day(date(2026, 10, 3)) == date(2026, 10, 8)
    assert workdays.next_working_day(date(2026, 10, 10)) == date(2026, 10, 10)  # the make-up Saturday stays
    assert workdays.next_working_day(date(2026, 11, 8)) == date(2026, 11, 9)  # a plain Sunday
    assert workdays.previous_working_day(date(2026, 10, 8)) == date(2026, 9, 30)


def test_a_year_the_package_does_not_know_falls_back_to_weekends_without_raising():
    assert workdays.is_working_day(date(2027, 10, 1))  # a Friday; the 2027 notice is not in the package yet
    assert not workdays.is_working_day(date(2027, 10, 2))
    assert workdays.add_working_days(date(2027, 10, 1), 1) == date(2027, 10, 4)


def test_a_local_exception_is_honoured_and_wins_over_the_national_calendar(hq):
    day_off = date(2026, 11, 4)  # a Wednesday
    worked_sunday = date(2026, 11, 8)
    assert workdays.add_working_days(date(2026, 11, 3), 1) == day_off
    services.workday_exception_set(actor=hq, day=day_off, is_working_day=False, reason="本市迎检放假")
    services.workday_exception_set(actor=hq, day=worked_sunday, is_working_day=True, reason="实地测评周末上班")
    assert not workdays.is_working_day(day_off)
    assert workdays.is_working_day(worked_sunday)
    assert workdays.add_working_days(date(2026, 11, 3), 1) == date(2026, 11, 5)
    assert workdays.working_days_between(date(2026, 11, 3), date(2026, 11, 9)) == 4  # 5, 6, Sunday 8, 9
    # setting the same day again replaces the exception; the history keeps both
    services.workday_exception_set(actor=hq, day=day_off, is_working_day=True, reason="取消放假")
    assert WorkdayException.objects.filter(day=day_off).count() == 1
    assert workdays.is_working_day(day_off)
    assert WorkdayException.history.filter(day=day_off).count() == 2
    assert WorkdayException.history.filter(day=day_off).first().history_user == hq
