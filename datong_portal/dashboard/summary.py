"""The dashboard reads from every app and nothing reads from it.

Each app that has figures for the dashboard offers ``<app>/dashboard.py`` with
``summary_parts(division) -> dict`` (top-level keys of ``dashboard/summary/``) and, optionally,
``district_columns(divisions) -> {division_id: {column: value}}`` for ``dashboard/districts/``.
"""

from campaigns.apps import portal_modules


def _providers():
    return portal_modules("dashboard")


def city_summary(division=None) -> dict:
    summary = {}
    for provider in _providers():
        summary.update(provider.summary_parts(division))
    return summary


def district_rows(divisions) -> list[dict]:
    rows = {d.id: {"division": d.id, "division_name": d.name, "division_code": d.code} for d in divisions}
    for provider in _providers():
        columns = getattr(provider, "district_columns", None)
        if columns:
            for division_id, values in columns(divisions).items():
                rows[division_id].update(values)
    return list(rows.values())
