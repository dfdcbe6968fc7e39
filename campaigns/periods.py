"""League-table periods: an ISO week (``2022-W34``) or a month (``2022-08``), as half-open spans of time.

``?period=`` on ``dashboard/districts/``, the league page and the lists it links to all parse through
:func:`parse_period`; a label that is malformed or outside 2000–2100 is a :class:`~django.core.exceptions.ValidationError`
with a Chinese message (the API's 400, a page's message). Bounds are Asia/Shanghai midnights: ``start`` is the first
instant of the period, ``end`` the first instant after it.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

WEEK = "week"
MONTH = "month"
YEARS = (2000, 2100)

_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
MESSAGE = "周期格式应为 2022-W34（ISO 周）或 2022-08（年-月），年份在 2000–2100 之间。"


def _tz():
    return ZoneInfo(settings.TIME_ZONE)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=_tz())


@dataclass(frozen=True)
class Period:
    """One week or month: ``kind``, ``label`` and its ``start``/``end`` instants (end excluded)."""

    kind: str
    label: str
    start: datetime
    end: datetime

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        return self.end.date() - timedelta(days=1)

    def previous(self) -> "Period":
        """The period of the same kind just before this one."""
        return period_containing(self.kind, self.first_day - timedelta(days=1))

    def display(self) -> str:
        if self.kind == WEEK:
            return f"{self.label}（{self.first_day:%m.%d}–{self.last_day:%m.%d}）"
        return f"{self.first_day.year}年{self.first_day.month}月"

    def __str__(self):
        return self.label


def week(day: date) -> Period:
    year, number, weekday = day.isocalendar()
    monday = day - timedelta(days=weekday - 1)
    return Period(WEEK, f"{year}-W{number:02d}", _midnight(monday), _midnight(monday + timedelta(days=7)))


def month(day: date) -> Period:
    first = day.replace(day=1)
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return Period(MONTH, f"{first.year}-{first.month:02d}", _midnight(first), _midnight(following))


def period_containing(kind: str, day: date) -> Period:
    return week(day) if kind == WEEK else month(day)


def parse_period(label: str) -> Period:
    """``2022-W34`` or ``2022-08`` → a :class:`Period`; anything else → ValidationError (Chinese)."""
    label = (label or "").strip()
    if match := _WEEK_RE.match(label):
        year, number = int(match[1]), int(match[2])
        if YEARS[0] <= year <= YEARS[1]:
            try:
                return week(date.fromisocalendar(year, number, 1))
            except ValueError:
                pass
    elif match := _MONTH_RE.match(label):
        year, number = int(match[1]), int(match[2])
        if YEARS[0] <= year <= YEARS[1] and 1 <= number <= 12:
            return month(date(year, number, 1))
    raise ValidationError({"period": [MESSAGE]})


def validate_period(label: str) -> None:
    """A form field's validator: the same rule as :func:`parse_period`, with a field-level message."""
    try:
        parse_period(label)
    except ValidationError:
        raise ValidationError(MESSAGE, code="invalid_period") from None


def current_period(kind: str, now: datetime | None = None) -> Period:
    return period_containing(kind, timezone.localtime(now or timezone.now(), _tz()).date())


def recent_periods(kind: str, count: int, now: datetime | None = None) -> list[Period]:
    """The running period and the ``count - 1`` before it, newest first (the league page's picker)."""
    periods = [current_period(kind, now)]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods
