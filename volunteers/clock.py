"""The volunteer network's calendar: the nightly recount of the dashboard's counters, and dormant stations told.

Recount: the services keep the counters by increments (``volunteers/stats.py``); this sweep proves them. At 2:30 every
night it counts every division from the rows, logs each figure that drifted (``volunteer-counter-drift``), repairs it
and tells headquarters once per night; a night without drift tells no one. Then it keeps the day's figures behind the
two rates (``stats.keep_day``), from which the cockpit reads last week's.

Dormant stations: a station is dormant when none of its projects has had a service record for 30 days
(``selectors.DORMANT_DAYS``, the flag the dormant-station page shows). The sweep tells the division's officers (创城办)
once per dormant spell: the notice's key names the station and its last service date, so every later sweep of the same
spell finds them told, while a station that comes back to life and later falls quiet again has a new last service date
— a new key — and is told again. Headquarters reads the list in the morning digest (``digest_lines``, contributed to
taskforces' digest through the registry).
"""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from campaigns.models import Notification
from campaigns.notifications import notify
from campaigns.selectors import division_officers, headquarters_staff
from volunteers import selectors, stats

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
    stats.keep_day(timezone.localtime(now).date())
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


KEY_PREFIX = "volunteers:station-dormant:"
DIGEST_LIMIT = 20  # stations named in the digest; the rest are counted and found on the page


def dormant_key(station) -> str:
    since = station.last_service.isoformat() if station.last_service else "never"
    return f"{KEY_PREFIX}{station.pk}:{since}"


def notify_dormant_stations(now: datetime) -> str:
    """实践站连续 30 天无志愿服务记录时，通知所在区县创城办（每个沉寂期一次）。"""
    today = timezone.localtime(now).date()
    told_keys = set(Notification.objects.filter(key__startswith=KEY_PREFIX).values_list("key", flat=True))
    officers: dict[int, list] = {}
    url = reverse("volunteer-dormant-stations")
    told = 0
    for station in selectors.stations_dormant_citywide(today).order_by("division__code", "name").iterator(500):
        key = dormant_key(station)
        if key in told_keys:
            continue  # told in this spell already
        if station.division_id not in officers:
            officers[station.division_id] = list(division_officers(station.division_id))
        if station.last_service:
            body = (
                f"{station.name}自 {station.last_service:%Y年%m月%d日} 以来没有志愿服务记录，"
                f"已超过 {selectors.DORMANT_DAYS} 天，请督促实践站组织开展志愿服务活动。"
            )
        else:
            body = f"{station.name}尚无志愿服务记录，请督促实践站组织开展志愿服务活动。"
        sent = notify(
            recipients=officers[station.division_id],
            kind="volunteers-station-dormant",
            title=f"实践站沉寂提醒：{station.name}",
            body=body,
            url=url,
            key=key,
        )
        told += bool(sent)
    return f"沉寂实践站提醒：通知 {told} 个实践站"


def digest_lines(now: datetime) -> list[str]:
    """The dormant stations for headquarters' morning digest: how many, and the first of them by division."""
    stations = selectors.stations_dormant_citywide(timezone.localtime(now).date()).order_by("division__code", "name")
    count = stations.count()
    if not count:
        return []
    lines = [f"沉寂实践站 {count} 个（连续 {selectors.DORMANT_DAYS} 天无志愿服务记录）："]
    for station in stations[:DIGEST_LIMIT]:
        since = f"最近服务 {station.last_service:%m月%d日}" if station.last_service else "尚无服务记录"
        lines.append(f"· {station.division.name} {station.name}（{since}）")
    if count > DIGEST_LIMIT:
        lines.append(f"……另有 {count - DIGEST_LIMIT} 个，见沉寂实践站列表。")
    return lines


SWEEPS = {"volunteers-counters-recount": recount_counters, "volunteers-dormant-stations": notify_dormant_stations}
SCHEDULE = [
    (
        "volunteers-counters-recount",
        {"minute": "30", "hour": "2"},
        "志愿服务统计数夜间核对：按明细重新计数，报告并修正偏差（每日2:30）",
    ),
    (
        "volunteers-dormant-stations",
        {"minute": "15", "hour": "8-22"},
        "8:15 起每小时通知新沉寂的实践站所在区县创城办（每个沉寂期一次）",
    ),
]
