"""The volunteer network's calendar: the nightly recount of the dashboard's counters.

The services keep the counters by increments (``volunteers/stats.py``); this sweep proves them. At 2:30 every night it
counts every division from the rows, logs each figure that drifted (``volunteer-counter-drift``), repairs it and tells
headquarters once per night. A night without drift writes nothing.
"""

from datetime import datetime

from django.utils import timezone

from campaigns.notifications import notify
from campaigns.selectors import headquarters_staff
from volunteers import stats

FIELD_NAMES = {
    "registered": "注册志愿者",
    "with_service_hours": "有服务时长的志愿者",
    "teams": "服务队",
    "projects": "服务项目",
    "ratings": "评价",
    "satisfied_ratings": "满意评价",
    "centres": "实践中心",
    "institutes": "实践所",
    "stations": "实践站",
}


def drift_lines(drift: list[dict]) -> list[str]:
    return [
        f"{item['division']} {FIELD_NAMES[item['field']]}：计数 {item['counter']}，实际 {item['counted']}"
        for item in drift
    ]


def recount_counters(now: datetime) -> str:
    """Recount the volunteer dashboard's counters, report and repair any drift."""
    drift = stats.recount(repair=True, report=True)
    if not drift:
        return "志愿服务统计数与明细一致，无偏差。"
    lines = drift_lines(drift)
    notify(
        recipients=headquarters_staff(),
        kind="volunteer-counter-drift",
        title=f"志愿服务统计数有 {len(drift)} 项偏差，已按明细修正",
        body="\n".join(lines),
        url="/volunteers/statistics/",
        key=f"volunteer-counter-drift:{timezone.localtime(now):%Y-%m-%d}",
    )
    return f"已修正 {len(drift)} 项偏差：" + "；".join(lines)


SWEEPS = {"volunteers-counters-recount": recount_counters}
SCHEDULE = [
    (
        "volunteers-counters-recount",
        {"minute": "30", "hour": "2"},
        "志愿服务统计数夜间核对：按明细重新计数，报告并修正偏差（每日2:30）",
    )
]
