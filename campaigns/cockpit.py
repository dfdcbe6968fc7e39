"""The cockpit's (驾驶舱) vocabulary on the ground floor: the scope every app's part is computed for, and the shapes of
a figure, a chart and a to-do list.

Each app contributes ``cockpit_parts(scope) -> {"figures": [...], "charts": [...], "todo": [...]}``
(``campaigns/registry.py``); ``datong_portal/dashboard/cockpit.py`` puts them side by side for the home page, the
command-room screen (大屏) and ``GET /api/v1/dashboard/cockpit/``. A part runs a fixed number of aggregate queries,
whatever the number of rows: counts with ``filter=`` per week, never a query per row.

Every figure and every to-do list carries ``url``: the list page with the filter that shows the records behind it
(and ``division=`` when the scope is one division).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from campaigns.periods import _midnight

#: How many weeks the cockpit's charts span, the running one included.
WEEKS = 8
#: How many records a to-do list shows; its link opens the whole list.
TODO_ITEMS = 8


@dataclass(frozen=True)
class CockpitScope:
    """What the cockpit is computed for: the whole city (``division`` None) or one division, as of ``now``."""

    now: datetime
    division: object | None = None  # campaigns.models.Division
    #: a city leader whose fields (分管领域) narrow the figures: the supervision cards they are responsible for and the
    #: reports they owe for their reminder cards; the other parts stay city-wide
    leader: object | None = None  # campaigns.models.User
    weeks: int = WEEKS
    #: labels of the scope for headings: 全市 or the division's name
    name: str = field(default="全市")

    @property
    def division_id(self) -> int | None:
        return self.division.pk if self.division is not None else None

    @property
    def leader_id(self) -> int | None:
        return self.leader.pk if self.leader is not None else None

    @property
    def today(self) -> date:
        return timezone.localtime(self.now).date()

    @property
    def week_ago(self) -> datetime:
        return self.now - timedelta(days=7)

    def week_starts(self) -> list[date]:
        """The Mondays of the charts' weeks, oldest first; the last is this week's."""
        monday = self.today - timedelta(days=self.today.weekday())
        return [monday - timedelta(weeks=n) for n in range(self.weeks - 1, -1, -1)]

    def week_bounds(self) -> list[tuple[str, datetime, datetime]]:
        """(label, start, end) of each chart week, oldest first: label ``W34`` style, end excluded."""
        return [
            (f"W{monday.isocalendar()[1]:02d}", _midnight(monday), _midnight(monday + timedelta(days=7)))
            for monday in self.week_starts()
        ]

    def url(self, name: str, **params) -> str:
        """The page ``name`` with ``params`` as its filter, narrowed to the scope's division."""
        if self.division is not None:
            params.setdefault("division", self.division.pk)
        query = urlencode({k: v for k, v in params.items() if v is not None})
        return reverse(name) + (f"?{query}" if query else "")


def rate(part, whole) -> float | None:
    """``part ÷ whole`` in per cent with one decimal; None when there is nothing to divide by."""
    return round(part * 100.0 / whole, 1) if whole else None


def figure(key: str, label: str, value, previous=None, *, url: str, unit: str = "", better: str = "up") -> dict:
    """A headline figure and its change since last week (``previous`` is the same figure a week ago, or None)."""
    change = None
    if value is not None and previous is not None:
        change = round(value - previous, 1)
        change = int(change) if float(change).is_integer() and isinstance(value, int) else change
    return {
        "key": key,
        "label": label,
        "value": value,
        "previous": previous,
        "change": change,
        "unit": unit,
        "better": better,  # "up": a rise is good news (shown green); "down": a rise is bad news (shown red)
        "url": url,
    }


def chart(key: str, title: str, kind: str, labels: list, datasets: list[dict], *, url: str, max_value=None) -> dict:
    """A chart in the portal's chart JSON (``static/js/portal.js``): ``labels`` and ``datasets`` of
    ``{label, data, backgroundColor[, stack]}``; ``kind`` is ``bar``, ``stacked``, ``line`` or ``hbar``."""
    return {
        "key": key,
        "title": title,
        "kind": kind,
        "labels": labels,
        "datasets": datasets,
        "max": max_value,
        "url": url,
    }


def todo(key: str, title: str, count: int, items: list[dict], *, url: str) -> dict:
    """What needs attention today: ``count`` in all, the first ``items`` (``{label, note, url}``), and the list page."""
    return {"key": key, "title": title, "count": count, "items": items, "url": url}
