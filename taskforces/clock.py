"""The reporting calendar's sweeps, run by Celery beat (``campaigns.tasks.run_sweep``) or ``manage.py campaign_clock``.

Each is idempotent and safe to run concurrently: slots are unique per (holder, kind, period); a reminder's notification
key names (kind, period, step, report) and ``notify`` sends it once per recipient; a report is marked missing by a
conditional UPDATE that only one run can win.
"""

from datetime import datetime, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from campaigns.notifications import notify
from campaigns.selectors import headquarters_staff
from taskforces import periods
from taskforces.choices import ReportKind, ReportStatus
from taskforces.models import Report, ReportCalendar
from taskforces.services import report_people, reports_open


def _local_date(moment: datetime):
    return timezone.localtime(moment, periods.local_tz()).date()


def open_report_slots(now: datetime) -> str:
    """每周一、每月一日：为每位持卡人开立本轮应报的周一总结和月度报告。"""
    created = reports_open(now=now)
    return f"新开立 {created} 份应报报告"


def remind_before_deadline(now: datetime) -> str:
    """截止前提醒：周一总结在截止当天上午提醒；月度报告提前若干天提醒（见报送日历设置）。"""
    calendar = ReportCalendar.current()
    today = _local_date(now)
    monthly_window = timezone.make_aware(
        datetime.combine(today + timedelta(days=calendar.monthly_remind_days_before + 1), datetime.min.time()),
        periods.local_tz(),
    )
    end_of_today = timezone.make_aware(
        datetime.combine(today + timedelta(days=1), datetime.min.time()), periods.local_tz()
    )
    due = Report.objects.filter(status__in=[ReportStatus.EXPECTED, ReportStatus.RETURNED], due_at__gt=now).filter(
        Q(kind=ReportKind.WEEKLY, due_at__lt=end_of_today) | Q(kind=ReportKind.MONTHLY, due_at__lt=monthly_window)
    )
    sent = 0
    for report in due.select_related("unit", "leader"):
        deadline = timezone.localtime(report.due_at, periods.local_tz())
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
    """到截止时间仍未报送的标记为缺报，通知持卡人和指挥部。"""
    candidates = Report.objects.filter(status=ReportStatus.EXPECTED, due_at__lte=now, missing_marked_at__isnull=True)
    hq = list(headquarters_staff())
    marked = 0
    for report in candidates.select_related("unit", "leader"):
        # The conditional UPDATE decides: of two concurrent sweeps exactly one marks the report.
        won = Report.objects.filter(pk=report.pk, status=ReportStatus.EXPECTED, missing_marked_at__isnull=True).update(
            missing_marked_at=now
        )
        marked += won
        # Notifications go out even for a report another run has just marked: the keys keep them to one each.
        url = reverse("report-detail", args=[report.pk])
        label = f"{report.period}{report.get_kind_display()}"
        notify(
            recipients=report_people(report),
            kind="report_missing",
            title=f"{label}已逾期未报送",
            body=f"{report.holder_name}的{label}截止时间已过，仍未报送，请尽快补报。",
            url=url,
            key=f"report-missing:{report.kind}:{report.period}:deadline:{report.pk}",
        )
        notify(
            recipients=hq,
            kind="report_missing",
            title=f"缺报：{report.holder_name} {label}",
            body=f"{report.holder_name}的{label}截止时间已过，仍未报送。",
            url=url,
            key=f"report-missing:{report.kind}:{report.period}:deadline:{report.pk}",
        )
    return f"标记 {marked} 份缺报"


def morning_digest(now: datetime) -> str:
    """每天早晨向指挥部发送报送日报：今日到期、缺报、被退回待重报。"""
    today = _local_date(now)
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
SCHEDULE = [
    ("reports_open", {"minute": "5", "hour": "0", "day_of_week": "1"}, "每周一 00:05 开立周一总结"),
    ("reports_open", {"minute": "10", "hour": "0", "day_of_month": "1"}, "每月1日 00:10 开立月度报告"),
    ("reports_remind", {"minute": "0", "hour": "9"}, "每天 09:00 截止前提醒（周一总结、月度报告）"),
    ("reports_mark_missing", {"minute": "*/10"}, "每 10 分钟标记已过截止时间的缺报"),
    ("reports_digest", {"minute": "30", "hour": "8"}, "每天 08:30 向指挥部发送报送日报"),
]
