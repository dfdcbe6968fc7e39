"""The reporting figures of ``dashboard/summary/`` and ``dashboard/districts/``.

Counted from the rows on each read, not kept in counters: a report turns missing or late with the clock, not with a
write, and one weekly round is about 200 rows found through the ``report_kind_period`` index."""

from django.utils import timezone

from taskforces import selectors


def summary_parts(division) -> dict:
    """``reports``: the weekly round due this ISO week (its ``period`` is the week the summaries cover)."""
    return {"reports": selectors.report_round_summary(division)}


def district_columns(divisions, period=None) -> dict:
    """``report_punctuality``: on-time submissions ÷ reports already due, in per cent (``null`` before any is due).

    For a ``period``: the reports whose deadline fell within it (and has passed), whatever period they cover."""
    if period is None:
        values = selectors.punctuality_by_division(divisions)
    else:
        now = min(timezone.now(), period.end)
        values = selectors.punctuality_by_division(divisions, now, due_from=period.start)
    return {pk: {"report_punctuality": value} for pk, value in values.items()}
