"""The dashboard reads from every app and nothing reads from it.

Each app that has figures for the dashboard contributes (``campaigns/registry.py``) ``summary_parts(division) ->
dict`` (top-level keys of ``dashboard/summary/``) and ``district_columns(divisions) -> {division_id: {column:
value}}`` for ``dashboard/districts/``.
"""

from campaigns import registry


def city_summary(division=None) -> dict:
    summary = {}
    for summary_parts in registry.summary_providers():
        summary.update(summary_parts(division))
    return summary


# The league table's rates; a division is ranked by the mean of those it has figures for (None: no records yet).
RANKED_RATES = [
    "score_rate",  # inspections' score rate
    "on_time_closure_rate",  # problems closed on time
    "supervision_on_time_rate",  # supervision cards closed on time
    "report_punctuality",  # weekly and monthly reports on time
    "activity_rate",  # volunteers with confirmed hours
]


def district_rows(divisions) -> list[dict]:
    """One row per division with every app's rates and a ``rank`` (1 = best; equal means share a rank)."""
    rows = {
        d.id: {"division": d.id, "division_name": d.name, "division_code": d.code, **dict.fromkeys(RANKED_RATES)}
        for d in divisions
    }
    for columns in registry.district_column_providers():
        for division_id, values in columns(divisions).items():
            if division_id in rows:
                rows[division_id].update(values)
    return rank_rows(list(rows.values()))


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
