"""Working days (工作日): China's official calendar with its make-up working days (调休), plus local exceptions.

The national calendar comes from the ``chinesecalendar`` package (import name ``chinese_calendar``), which carries the
State Council's yearly holiday notice: public holidays, and the weekends that are worked in exchange (调休上班), e.g.
National Day 2025 was 1–8 October with Sunday 28 September and Saturday 11 October worked. Its 1.11.0 release (the
latest, pinned in requirements.txt) knows 2004–2026 but not 2027, whose notice is published late in the year before:
for a year the package does not know, a working day is simply Monday to Friday, and nothing is raised — update the
package when the notice is out.

Headquarters adds local exceptions on top (:class:`campaigns.models.WorkdayException`: a day off for a local event, a
Saturday worked for an assessment); an exception always wins over the national calendar.

"Due in 3 working days" counts the three working days after the given day: from Tuesday 30 September 2025, three working
days end on Thursday 9 October (the holiday week in between counts for nothing, and Saturday 11 October would count).

Callers that check many dates at once (a sweep over a thousand cards) load the exceptions once with
:func:`local_exceptions` and pass them in; otherwise each call reads them itself (a small table).
"""

from collections.abc import Mapping
from datetime import date, timedelta

import chinese_calendar

Exceptions = Mapping[date, bool]  # a day → whether it is worked


def local_exceptions(start: date | None = None, end: date | None = None) -> dict[date, bool]:
    """Headquarters' exceptions (optionally only between ``start`` and ``end``): day → is a working day."""
    from campaigns.models import WorkdayException

    rows = WorkdayException.objects.all()
    if start is not None:
        rows = rows.filter(day__gte=start)
    if end is not None:
        rows = rows.filter(day__lte=end)
    return dict(rows.values_list("day", "is_working_day"))


def is_national_working_day(day: date) -> bool:
    """The official calendar alone: holidays off, make-up days worked; Monday to Friday for a year it does not know."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the package has no data for
        return day.weekday() < 5


def is_working_day(day: date, *, exceptions: Exceptions | None = None) -> bool:
    if exceptions is None:
        exceptions = local_exceptions(day, day)
    if day in exceptions:
        return exceptions[day]
    return is_national_working_day(day)


def next_working_day(day: date, *, exceptions: Exceptions | None = None) -> date:
    """``day`` itself when it is worked, else the first working day after it (a deadline that falls on a holiday)."""
    if exceptions is None:
        exceptions = local_exceptions(day, day + timedelta(days=60))
    while not is_working_day(day, exceptions=exceptions):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date, *, exceptions: Exceptions | None = None) -> date:
    """The last working day strictly before ``day`` (the eve of a deadline, for its reminder)."""
    if exceptions is None:
        exceptions = local_exceptions(day - timedelta(days=60), day)
    day -= timedelta(days=1)
    while not is_working_day(day, exceptions=exceptions):
        day -= timedelta(days=1)
    return day


def add_working_days(day: date, n: int, *, exceptions: Exceptions | None = None) -> date:
    """The ``n``-th working day after ``day`` (before it for a negative ``n``); ``day`` itself for 0."""
    if n == 0:
        return day
    step = timedelta(days=1 if n > 0 else -1)
    if exceptions is None:
        span = timedelta(days=abs(n) * 2 + 40)
        exceptions = local_exceptions(day - span, day) if n < 0 else local_exceptions(day, day + span)
    remaining = abs(n)
    while remaining:
        day += step
        if is_working_day(day, exceptions=exceptions):
            remaining -= 1
    return day


def working_days_between(a: date, b: date, *, exceptions: Exceptions | None = None) -> int:
    """Working days after ``a`` up to and including ``b`` (negative when ``b`` is before ``a``).

    So ``working_days_between(deadline, today)`` is how many working days a deadline is overdue, and
    ``add_working_days(a, working_days_between(a, b))`` is the last working day on or before ``b``.
    """
    if b < a:
        return -working_days_between(b, a, exceptions=exceptions)
    if exceptions is None:
        exceptions = local_exceptions(a, b)
    count, day = 0, a
    while day < b:
        day += timedelta(days=1)
        count += is_working_day(day, exceptions=exceptions)
    return count
