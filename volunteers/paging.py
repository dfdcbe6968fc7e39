"""Paging that never counts 400,000 rows.

``count`` is exact up to COUNT_CAP (a count over ``LIMIT COUNT_CAP+1``, cheap on the indexes); past that it is the
planner's estimate for the filtered query (``EXPLAIN``), never less than the cap, and ``count_exact`` says so. The
next page is known by fetching one row more than the page.
"""

import json

from django.db import connections

COUNT_CAP = 10_000


def _planner_estimate(queryset) -> int | None:
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def capped_count(queryset) -> tuple[int, bool]:
    """(count, exact)."""
    capped = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
    if capped <= COUNT_CAP:
        return capped, True
    estimate = _planner_estimate(queryset)
    return max(estimate or 0, COUNT_CAP + 1), False


class Window:
    """One page of a queryset for the HTML lists (prev/next, an honest 'about N' count)."""

    def __init__(self, queryset, number, size=50):
        try:
            number = max(1, int(number or 1))
        except (TypeError, ValueError):
            number = 1
        number = min(number, 1_000_000)  # an offset beyond a bigint was a database error
        self.number = number
        self.size = size
        rows = list(queryset[(number - 1) * size : number * size + 1])
        self.has_next = len(rows) > size
        self.object_list = rows[:size]
        self.has_previous = number > 1
        self.count, self.count_exact = capped_count(queryset)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def next_page_number(self):
        return self.number + 1

    @property
    def previous_page_number(self):
        return self.number - 1
