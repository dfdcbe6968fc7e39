"""The reporting figures of ``dashboard/summary/`` and ``dashboard/districts/``."""

from taskforces import selectors


def summary_parts(division) -> dict:
    """``reports``: the weekly round due this ISO week (its ``period`` is the week the summaries cover)."""
    return {"reports": selectors.report_round_summary(division)}


def district_columns(divisions) -> dict:
    """``report_punctuality``: on-time submissions ÷ reports already due, in per cent (``null`` before any is due)."""
    return {pk: {"report_punctuality": value} for pk, value in selectors.punctuality_by_division(divisions).items()}
