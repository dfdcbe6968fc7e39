"""The dashboard reads from every app and nothing reads from it.

Each app that has figures for the dashboard contributes (``campaigns/registry.py``) ``summary_parts(division) ->
dict`` (top-level keys of ``dashboard/summary/``) and ``district_columns(divisions, period=None) -> {division_id:
{column: value}}`` for ``dashboard/districts/`` (the league table).
"""

from django.utils import timezone

from campaigns import figures, registry
from campaigns.league import RANKED_RATES, district_rows, rank_rows

__all__ = ["RANKED_RATES", "city_summary", "district_rows", "rank_rows"]


def city_summary(division=None) -> dict:
    """Every app's part, for the city or one division; kept until a write changes it (campaigns/figures.py)."""

    def compute():
        summary = {}
        for summary_parts in registry.summary_providers():
            summary.update(summary_parts(division))
        return summary

    scope = (division.pk if division is not None else "city",)
    return figures.kept("summary", scope, timezone.now(), compute)
