"""The volunteers' part of the calendar: a practice station that falls quiet is told to its division.

A station is dormant when none of its projects has had a service record for 30 days (``selectors.DORMANT_DAYS``, the
flag the dormant-station page shows). The sweep tells the division's officers (创城办) once per dormant spell: the
notice's key names the station and its last service date, so every later sweep of the same spell finds them told,
while a station that comes back to life and later falls quiet again has a new last service date — a new key — and is
told again. Headquarters reads the list in the morning digest (``digest_lines``, contributed to taskforces' digest
through the registry).
"""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from campaigns.models import Notification
from campaigns.notifications import notify
from campaigns.selectors import division_officers
from volunteers import selectors

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


SWEEPS = {"volunteers-dormant-stations": notify_dormant_stations}
SCHEDULE = [
    (
        "volunteers-dormant-stations",
        {"minute": "15", "hour": "8-22"},
        "8:15 起每小时通知新沉寂的实践站所在区县创城办（每个沉寂期一次）",
    )
]
