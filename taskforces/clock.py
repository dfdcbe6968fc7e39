"""The reporting calendar's sweeps, run by Celery beat (``campaigns.tasks.run_sweep``) or ``manage.py campaign_clock``.

Each is idempotent and safe to run concurrently: slots are unique per (holder, kind, period); a reminder's notification
key names (kind, period, step, report) and ``notify`` sends it once per recipient; a report is marked missing by a
conditional UPDATE that only one run can win, in the same transaction as its notices, so a sweep killed half-way leaves
each report either marked and told or neither.

They look at what is *due*, not at what happens "today": a tick lost to a broker outage or a dead worker is made up by
the next one (the schedules below run often enough for that), and a reminder whose moment has passed still goes out
until its deadline.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from campaigns import registry, workdays
from campaigns.models import Notification
from campaigns.notifications import notify
from campaigns.selectors import headquarters_staff
from taskforces import periods
from taskforces.choices import ReportKind, ReportStatus
from taskforces.models import Report, ReportCalendar
from taskforces.services import report_people, reports_open

REMIND_AT = time(9, 0)  # reminders go out from 09:00 on their day
DIGEST_AT = time(8, 30)  # the morning digest from 08:30
REPAIR_WINDOW = timedelta(days=14)  # a report marked missing without its notices is finished within this time


def _local_date(moment: datetime):
    return timezone.localtime(moment, periods.local_tz()).date()


def _at(day, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment), periods.local_tz())


def _told(prefix: str):
    """Whether the report (OuterRef) already has a notice keyed ``<prefix><kind>:<period>:…:<pk>`` (any recipient)."""
    step = {"report-reminder:": ":before:", "report-missing:": ":deadline:"}[prefix]
    key = Concat(
        Value(prefix), OuterRef("kind"), Value(":"), OuterRef("period"), Value(step), Cast(OuterRef("pk"), CharField())
    )
    return Exists(Notification.objects.filter(key=key))


def open_report_slots(now: datetime) -> str:
    """每周一、每月一日：为每位持卡人开立本轮应报的周一总结和月度报告。"""
    created = reports_open(now=now)
    return f"新开立 {created} 份应报报告"


def remind_before_deadline(now: datetime) -> str:
    """截止前提醒：周一总结在截止当天 9:00 起提醒；月度报告提前若干个工作日（见报送日历设置）的 9:00 起提醒，直到截止。

    A reminder is due from its moment until the deadline, so a run that missed 09:00 sends it at the next tick. The
    monthly lead counts working days (campaigns/workdays.py): two days before a Monday deadline is the Thursday.
    """
    calendar = ReportCalendar.current()
    lead = {ReportKind.WEEKLY: 0, ReportKind.MONTHLY: calendar.monthly_remind_days_before}
    horizon = now + timedelta(days=max(lead.values()) * 2 + 12)  # working days, with a long holiday in between
    exceptions = workdays.local_exceptions()
    candidates = (
        Report.objects.filter(
            status__in=[ReportStatus.EXPECTED, ReportStatus.RETURNED], due_at__gt=now, due_at__lt=horizon
        )
        .exclude(_told("report-reminder:"))
        .select_related("unit", "leader")
        .order_by("due_at", "id")
    )
    sent = 0
    for report in candidates:
        deadline = timezone.localtime(report.due_at, periods.local_tz())
        reminder_day = workdays.add_working_days(deadline.date(), -lead[report.kind], exceptions=exceptions)
        if now < _at(reminder_day, REMIND_AT):
            continue  # not yet its moment
        with transaction.atomic():  # all of a report's recipients or none, so "already told" means told
            sent += len(
                notify(
                    recipients=report_people(report),
                    kind="report_reminder",
                    title=f"请于 {deadline:%m月%d日 %H:%M} 前报送{report.period}{report.get_kind_display()}",
                    body=f"{report.holder_name}：{periods.period_display(report.kind, report.period)}的"
                    f"{report.get_kind_display()}尚未报送，截止时间 {deadline:%Y-%m-%d %H:%M}。",
                    url=reverse("report-detail", args=[report.pk]),
                    key=f"report-reminder:{report.kind}:{report.period}:before:{report.pk}",
                )
            )
    return f"发送 {sent} 条截止前提醒"


def mark_missing_reports(now: datetime) -> str:
    """到截止时间仍未报送的标记为缺报，通知持卡人和指挥部。

    The mark and its notices commit together, one report at a time: a sweep killed half-way leaves every report
    either marked and told or untouched, and the next run (a redelivery, a later tick, a replay) finishes the rest.
    Reports marked by older code without their notices (the marker is set, no notice keyed to it) are finished too.
    """
    candidates = Report.objects.filter(status=ReportStatus.EXPECTED, due_at__lte=now).filter(
        Q(missing_marked_at__isnull=True) | Q(missing_marked_at__gte=now - REPAIR_WINDOW) & ~_told("report-missing:")
    )
    hq = list(headquarters_staff())
    marked = 0
    for report in candidates.select_related("unit", "leader").order_by("due_at", "id"):
        with transaction.atomic():
            # The conditional UPDATE decides: of two concurrent sweeps exactly one marks the report; the other waits
            # for its commit, updates nothing, and leaves the notices to the winner.
            won = Report.objects.filter(
                pk=report.pk, status=ReportStatus.EXPECTED, missing_marked_at__isnull=True
            ).update(missing_marked_at=now)
            if not won and report.missing_marked_at is None:
                continue
            marked += won
            url = reverse("report-detail", args=[report.pk])
            label = f"{report.period}{report.get_kind_display()}"
            key = f"report-missing:{report.kind}:{report.period}:deadline:{report.pk}"
            notify(
                recipients=report_people(report),
                kind="report_missing",
                title=f"{label}已逾期未报送",
                body=f"{report.holder_name}的{label}截止时间已过，仍未报送，请尽快补报。",
                url=url,
                key=key,
            )
            notify(
                recipients=hq,
                kind="report_missing",
                title=f"缺报：{report.holder_name} {label}",
                body=f"{report.holder_name}的{label}截止时间已过，仍未报送。",
                url=url,
                key=key,
            )
    return f"标记 {marked} 份缺报"


def morning_digest(now: datetime) -> str:
    """每天早晨（8:30 起）向指挥部发送报送日报：今日到期、缺报、被退回待重报。

    Before 08:30 the digest due is yesterday's (if a whole morning was lost, it still goes out, late, once).
    """
    today = _local_date(now)
    if now < _at(today, DIGEST_AT):
        today -= timedelta(days=1)
    start = timezone.make_aware(datetime.combine(today, datetime.min.time()), periods.local_tz())
    end = start + timedelta(days=1)
    open_statuses = [ReportStatus.EXPECTED, ReportStatus.RETURNED]
    due_today = Report.objects.filter(status__in=open_statuses, due_at__gte=start, due_at__lt=end).count()
    missing = Report.objects.filter(status=ReportStatus.EXPECTED, due_at__lte=now).count()
    returned = Report.objects.filter(status=ReportStatus.RETURNED).count()
    submitted = Report.objects.filter(status=ReportStatus.SUBMITTED).count()
    body = (
        f"今日到期待报 {due_today} 份；已逾期缺报 {missing} 份；退回待重报 {returned} 份；已报送待审核 {submitted} 份。"
    )
    for lines in registry.digest_providers():  # the other apps' lines (volunteers: the dormant stations)
        body = "\n".join([body, *lines(now)])
    sent = notify(
        recipients=list(headquarters_staff()),
        kind="report_digest",
        title=f"{today:%m月%d日}报送日报：今日到期 {due_today}，缺报 {missing}，退回 {returned}",
        body=body,
        url=reverse("report-board"),
        key=f"report-digest:{today.isoformat()}",
    )
    return f"发送 {len(sent)} 份日报：{body}"


SWEEPS = {
    "reports_open": open_report_slots,
    "reports_remind": remind_before_deadline,
    "reports_mark_missing": mark_missing_reports,
    "reports_digest": morning_digest,
}

# Asia/Shanghai crontabs (django-celery-beat rows created by seed_datong; editable in the admin).
# Each runs more often than its work falls due, so a lost tick is made up by the next (the sweeps look at what is due).
SCHEDULE = [
    ("reports_open", {"minute": "5", "day_of_week": "1"}, "每周一每小时 05 分开立周一总结（错过的补开）"),
    ("reports_open", {"minute": "10", "day_of_month": "1"}, "每月1日每小时 10 分开立月度报告（错过的补开）"),
    ("reports_remind", {"minute": "*/10", "hour": "9-23"}, "9:00 起每 10 分钟发送已到时间的截止前提醒"),
    ("reports_mark_missing", {"minute": "*/10"}, "每 10 分钟标记已过截止时间的缺报"),
    ("reports_digest", {"minute": "*/10", "hour": "8-23"}, "8:30 起每 10 分钟发送当天未发的报送日报"),
]
