"""Report periods and deadlines, in Asia/Shanghai.

A weekly summary covers one ISO week (``2022-W33``: Monday 15 to Sunday 21 August 2022) and is due on the following
Monday at ``ReportCalendar.weekly_due_time``. A monthly report covers a month (``2022-07``) and is due on day
``monthly_due_day`` of the next month at ``monthly_due_time``. A due day that is not a working day (National Day, a
weekend) moves to the next working day (campaigns/workdays.py). The *round* of a moment is the period whose deadline
falls in that moment's week (or month): on Monday 22 August 2022 the weekly round is 2022-W33.
"""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaigns import workdays
from campaigns.validators import sane_years
from taskforces.choices import ReportKind

# ASCII digits only: "２０２２-W３４" is refused rather than stored beside "2022-W34".
WEEK_RE = re.compile(r"^([0-9]{4})-W([0-9]{2})$")
MONTH_RE = re.compile(r"^([0-9]{4})-([0-9]{2})$")


def _year_in_range(year: int) -> bool:
    first, last = sane_years()
    return first <= year <= last


def local_tz():
    return ZoneInfo(settings.TIME_ZONE)


def week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def month_label(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def period_bounds(kind: str, period: str) -> tuple[date, date]:
    """First and last day of a period; ValidationError (Chinese) when the label does not fit the kind."""
    if kind == ReportKind.WEEKLY:
        match = WEEK_RE.match(period or "")
        if match and _year_in_range(int(match[1])):
            try:
                start = date.fromisocalendar(int(match[1]), int(match[2]), 1)
            except ValueError:
                start = None
            if start:
                return start, start + timedelta(days=6)
        raise ValidationError({"period": ["周期格式应为 2022-W34（ISO 周）。"]})
    if kind == ReportKind.MONTHLY:
        match = MONTH_RE.match(period or "")
        if match and 1 <= int(match[2]) <= 12 and _year_in_range(int(match[1])):
            start = date(int(match[1]), int(match[2]), 1)
            return start, _next_month(start) - timedelta(days=1)
        raise ValidationError({"period": ["周期格式应为 2022-08（年-月）。"]})
    raise ValidationError({"kind": ["类型应为 weekly 或 monthly。"]})


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _previous_month(day: date) -> date:
    first = day.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def due_at(kind: str, period: str, calendar) -> datetime:
    """The deadline; a due day that is not a working day (a holiday, a weekend) moves to the next working day."""
    _start, end = period_bounds(kind, period)
    if kind == ReportKind.WEEKLY:
        due_day, due_time = end + timedelta(days=1), calendar.weekly_due_time
    else:
        due_day = _next_month(end.replace(day=1)).replace(day=calendar.monthly_due_day)
        due_time = calendar.monthly_due_time
    return datetime.combine(workdays.next_working_day(due_day), due_time, tzinfo=local_tz())


def period_end(kind: str, period: str) -> datetime:
    """The moment the period itself is over (midnight after its last day)."""
    _start, end = period_bounds(kind, period)
    return datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=local_tz())


def round_period(kind: str, now: datetime) -> str:
    """The period whose deadline falls in ``now``'s week (weekly) or month (monthly): the previous one."""
    today = timezone.localtime(now, local_tz()).date()
    if kind == ReportKind.WEEKLY:
        return week_label(today - timedelta(days=7))
    return month_label(_previous_month(today))


def running_period(kind: str, now: datetime) -> str:
    """The period ``now`` falls in."""
    today = timezone.localtime(now, local_tz()).date()
    return week_label(today) if kind == ReportKind.WEEKLY else month_label(today)


def current_period(kind: str, now: datetime, calendar) -> str:
    """The earliest period still open for submission at ``now``: the round, or the running one once it has passed."""
    period = round_period(kind, now)
    if now > due_at(kind, period, calendar):
        today = timezone.localtime(now, local_tz()).date()
        period = week_label(today) if kind == ReportKind.WEEKLY else month_label(today)
    return period


def recent_periods(kind: str, now: datetime, count: int) -> list[str]:
    """The round and the ``count - 1`` periods before it, newest first (the board's period picker)."""
    today = timezone.localtime(now, local_tz()).date()
    if kind == ReportKind.WEEKLY:
        return [week_label(today - timedelta(days=7 * (n + 1))) for n in range(count)]
    labels, month = [], today.replace(day=1)
    for _ in range(count):
        month = _previous_month(month)
        labels.append(month_label(month))
    return labels


def period_display(kind: str, period: str) -> str:
    start, end = period_bounds(kind, period)
    if kind == ReportKind.WEEKLY:
        return f"{period}（{start:%m.%d}–{end:%m.%d}）"
    return f"{start.year}年{start.month}月"
