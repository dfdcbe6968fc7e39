"""Reporting's part of the cockpit (驾驶舱, ``campaigns/cockpit.py``): report punctuality, its weekly chart, and the
reports headquarters must chase today — missing ones and returned ones not yet resubmitted.

Punctuality here is the share of the reports whose deadline fell in a window that were submitted on time (not late,
no longer expected): the last seven days against the seven before, and each chart week. A city leader's scope holds
the reports they owe in person for their reminder cards. One aggregate per figure set,
one per list: the count does not grow with the reports.
"""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from campaigns.cockpit import TODO_ITEMS, chart, figure, rate, todo
from taskforces.choices import ReportStatus
from taskforces.models import Report

ON_TIME = ~Q(status=ReportStatus.EXPECTED) & Q(is_late=False)


def _reports(scope):
    reports = Report.objects.order_by()
    if scope.division is not None:
        reports = reports.filter(unit__division=scope.division)
    if scope.leader is not None:
        reports = reports.filter(leader=scope.leader)
    return reports


def _due_within(start, end) -> Q:
    return Q(due_at__gte=start, due_at__lt=end)


def cockpit_parts(scope) -> dict:
    reports = _reports(scope)
    now, week = scope.now, timedelta(days=7)
    windows = {"this": (now - week, now), "last": (now - 2 * week, now - week)}
    weeks = [(label, start, min(end, now)) for label, start, end in scope.week_bounds()]
    # Only the reports due since the first chart week (or the last fortnight) count: one index range.
    since = min(weeks[0][1], now - 2 * week)
    counts = reports.filter(due_at__gte=since, due_at__lt=now).aggregate(
        **{f"due_{key}": Count("id", filter=_due_within(*bounds)) for key, bounds in windows.items()},
        **{f"on_time_{key}": Count("id", filter=_due_within(*bounds) & ON_TIME) for key, bounds in windows.items()},
        **{f"due_w{n}": Count("id", filter=_due_within(start, end)) for n, (_, start, end) in enumerate(weeks)},
        **{f"on_time_w{n}": Count("id", filter=_due_within(s, e) & ON_TIME) for n, (_, s, e) in enumerate(weeks)},
    )
    punctuality = rate(counts["on_time_this"], counts["due_this"])
    previous = rate(counts["on_time_last"], counts["due_last"])
    missing = reports.filter(status=ReportStatus.EXPECTED, due_at__lt=now)
    returned = reports.filter(status=ReportStatus.RETURNED)
    return {
        "figures": [
            figure(
                "report_punctuality",
                "报告按时率（近7日到期）",
                punctuality,
                previous,
                unit="%",
                url=scope.url(
                    "report-list",
                    due_after=timezone_iso(now - week),
                    due_before=timezone_iso(now),
                    leader=scope.leader_id,
                ),
            ),
        ],
        "charts": [
            chart(
                "punctuality_by_week",
                "各周报告按时率",
                "line",
                [label for label, _, _ in weeks],
                [
                    {
                        "label": "按时率 %",
                        "data": [rate(counts[f"on_time_w{n}"], counts[f"due_w{n}"]) for n in range(len(weeks))],
                        "backgroundColor": "#a4161a",
                    }
                ],
                max_value=100,
                url=scope.url("report-board"),
            )
        ],
        "todo": [
            _report_list(scope, "missing_reports", "缺报的周报月报", missing, {"missing": "true"}),
            _report_list(scope, "returned_reports", "退回后未重报", returned, {"status": ReportStatus.RETURNED}),
        ],
    }


def _report_list(scope, key, title, reports, params) -> dict:
    rows = list(reports.select_related("unit", "leader").order_by("due_at", "id")[:TODO_ITEMS])
    return todo(
        key,
        title,
        reports.count(),
        [
            {"label": row.holder_name, "note": f"{row.period} {row.get_kind_display()}", "url": _detail(row)}
            for row in rows
        ],
        url=scope.url("report-list", leader=scope.leader_id, **params),
    )


def _detail(report) -> str:
    return reverse("report-detail", args=[report.pk])


def timezone_iso(moment) -> str:
    """An instant as the report list's ``due_after``/``due_before`` filter reads it (ISO 8601, local time)."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()
