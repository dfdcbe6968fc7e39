"""The league table (红黑榜) on the ground floor: every division's rates from every app, a rank, and the movement since
the previous period.

Each app contributes ``district_columns(divisions, period=None)`` (``campaigns/registry.py``); this module puts the
columns side by side and ranks them. The dashboard's ``dashboard/districts/``, the league page and the weekly circular
all read it, so they always agree.
"""

import inspect
from functools import cache

from django.utils import timezone

from campaigns import figures, registry
from campaigns.periods import Period

# The league table's rates; a division is ranked by the mean of those it has figures for (None: no records yet).
RANKED_RATES = [
    "score_rate",  # inspections' score rate
    "on_time_closure_rate",  # problems closed on time
    "supervision_on_time_rate",  # supervision cards closed on time
    "report_punctuality",  # weekly and monthly reports on time
    "activity_rate",  # volunteers with confirmed hours
]


@cache
def _takes_period(provider) -> bool:
    parameters = inspect.signature(provider).parameters
    return "period" in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values())


def _columns(divisions, period: Period | None) -> list[dict]:
    """Kept until a write changes what it counts (campaigns/figures.py): the league is read on many pages."""
    scope = (period.label if period is not None else "now", ",".join(str(d.pk) for d in divisions))
    return figures.kept("league", scope, timezone.now(), lambda: _compute_columns(divisions, period, scope))


def _compute_columns(divisions, period: Period | None, scope: tuple) -> list[dict]:
    rows = {
        d.id: {"division": d.id, "division_name": d.name, "division_code": d.code, **dict.fromkeys(RANKED_RATES)}
        for d in divisions
    }
    for columns in registry.district_column_providers():
        # Each app's columns are kept on their own inside the table: a write computes again only the columns that
        # read its table (a problem closed does not recount the volunteers).
        values_by_division = figures.kept(
            f"league-columns:{columns.__module__}.{columns.__qualname__}",
            scope,
            timezone.now(),
            lambda columns=columns: columns(divisions, period=period) if _takes_period(columns) else columns(divisions),
        )
        for division_id, values in values_by_division.items():
            if division_id in rows:
                rows[division_id].update(values)
    return rank_rows(list(rows.values()))


def district_rows(divisions, period: Period | None = None, *, only=None) -> list[dict]:
    """One row per division with every app's rates and a ``rank`` (1 = best; equal means share a rank).

    With a ``period`` every column is computed for that period, and each row gains ``previous_rank`` (its rank in the
    period of the same kind just before) and ``movement`` = previous_rank − rank (positive: climbed). Ranks are always
    among all ``divisions``; ``only`` (a division id) then keeps that division's row — an officer's view.
    """
    rows = _columns(divisions, period)
    if period is not None:
        previous = {row["division"]: row["rank"] for row in _columns(divisions, period.previous())}
        for row in rows:
            row["previous_rank"] = previous.get(row["division"])
            row["movement"] = row["previous_rank"] - row["rank"] if row["previous_rank"] is not None else None
    if only is not None:
        rows = [row for row in rows if row["division"] == only]
    return rows


def rank_rows(rows: list[dict]) -> list[dict]:
    """Sort the rows best first and give each a ``rank``; rows with the same mean rate share a rank."""
    ranked = sorted(rows, key=lambda row: (-_mean_rate(row), row["division_code"]))
    previous, rank = None, 0
    for position, row in enumerate(ranked, start=1):
        score = _mean_rate(row)
        if score != previous:
            rank, previous = position, score
        row["rank"] = rank
    return ranked


def _mean_rate(row) -> float:
    rates = [row[name] for name in RANKED_RATES if row.get(name) is not None]
    return round(sum(rates) / len(rates), 1) if rates else 0.0
