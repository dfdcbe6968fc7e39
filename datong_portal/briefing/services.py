"""Asking for a briefing and building it.

:func:`briefing_request` (headquarters' page, or the calendar on the 1st) stores the issue — numbering it on its first
request — and queues :func:`datong_portal.briefing.tasks.build_briefing` after the commit; the PDF is built only in the
worker (:func:`briefing_build`), never in a web request.

The status moves queued → building → done | failed, and a rebuild moves done | failed → queued again. Not through
``campaigns.workflow``: its transition rows need a person as the actor, while most briefings are asked for by the
calendar and every build is the worker's. Instead a request locks the issue's row (``SELECT … FOR UPDATE``) before it
re-queues it, and the worker claims it with a conditional ``UPDATE … WHERE status = 'queued'``: two requests (or two
deliveries of one task) at the same instant cannot both win, and a month in progress cannot be asked for again.

Measured once (this 2-core machine, fonts-wqy-microhei, libharfbuzz-subset0, WeasyPrint 70): a 21-page briefing
(the hand-built March 2021 of the tests padded with 400 cards and 150 units' reports) costs 2.7 s of the worker's CPU
from claim to stored file — 2.6 s of it WeasyPrint's layout, the month's queries about 0.1 s. Its wall time was 11 s,
measured while nine other jobs kept the machine's load average at 11; on an idle machine the CPU figure is the wall
time. The tables use ``table-layout: fixed``: the automatic layout spent about a sixth of the layout time measuring cells.
"""

import time
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.errors import IllegalTransition, NotAllowed
from campaigns.numbering import next_number
from campaigns.periods import Period, month
from datong_portal.briefing.choices import IN_PROGRESS, BriefingStatus
from datong_portal.briefing.models import Briefing

SERIES = "briefing"
#: a build not finished within this time (the task's hard limit) was lost with its worker: it may be taken again
STALE_AFTER = timedelta(minutes=10)


def may_request(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active and user.is_headquarters


def may_read(user) -> bool:
    """Headquarters, and the district and unit officers who receive it."""
    return user is not None and user.is_authenticated and user.is_active and (user.is_headquarters or user.is_officer)


def in_progress_message(briefing: Briefing) -> str:
    return f"{briefing.month.year}年{briefing.month.month}月的简报（{briefing.number}）正在编制中，请等编制完成后再重新生成。"


def briefing_request(*, period: Period, actor=None) -> Briefing:
    """Queue the briefing of ``period`` (a month): a new issue gets the year's next number, an existing one is rebuilt.

    ``actor`` None is the calendar. Raises NotAllowed for anyone but headquarters, and IllegalTransition (a Chinese
    message) when the month is being built or has not ended yet.
    """
    if actor is not None and not may_request(actor):
        raise NotAllowed("只有指挥部可以编制月度工作简报。")
    if period.end > timezone.now():
        raise IllegalTransition(f"{period.display()}尚未结束，月底之后才能编制该月简报。")
    first = period.first_day
    now = timezone.now()
    with transaction.atomic():
        briefing = Briefing.objects.select_for_update().filter(month=first).first()
        if briefing is None:
            try:
                # A savepoint: if another request stored this month first, its number is not used up by ours.
                with transaction.atomic():
                    briefing = Briefing.objects.create(
                        month=first,
                        year=first.year,
                        sequence=next_number(SERIES, first.year),
                        requested_by=actor,
                        requested_at=now,
                    )
            except IntegrityError:
                briefing = Briefing.objects.select_for_update().get(month=first)
            else:
                _enqueue(briefing.pk)
                return briefing
        if briefing.status in IN_PROGRESS and not _stale(briefing, now):
            raise IllegalTransition(in_progress_message(briefing))
        Briefing.objects.filter(pk=briefing.pk).update(
            status=BriefingStatus.QUEUED,
            progress=0,
            stage="",
            error="",
            requested_by=actor,
            requested_at=now,
            started_at=None,
            finished_at=None,
        )
        briefing.refresh_from_db()
        _enqueue(briefing.pk)
    return briefing


def _stale(briefing: Briefing, now) -> bool:
    since = briefing.started_at or briefing.requested_at
    return since is not None and now - since > STALE_AFTER


def _enqueue(briefing_id: int) -> None:
    from campaigns.tasks import enqueue_quietly
    from datong_portal.briefing.tasks import build_briefing

    transaction.on_commit(lambda: enqueue_quietly(build_briefing, briefing_id))


def _claim(briefing_id: int) -> bool:
    """Move the briefing queued → building (or take over a build whose worker died); False if another has it."""
    now = timezone.now()
    claimable = Briefing.objects.filter(pk=briefing_id, status=BriefingStatus.QUEUED) | Briefing.objects.filter(
        pk=briefing_id, status=BriefingStatus.BUILDING, started_at__lt=now - STALE_AFTER
    )
    return bool(claimable.update(status=BriefingStatus.BUILDING, started_at=now, progress=5, stage="汇总本月数据"))


def _progress(briefing_id: int, value: int, stage: str) -> None:
    Briefing.objects.filter(pk=briefing_id, status=BriefingStatus.BUILDING).update(progress=value, stage=stage)


def briefing_build(briefing_id: int) -> bool:
    """Compile, draw and print one briefing (in the worker). False if it was not this call's to build."""
    from campaigns.pdf import render_pdf_with_pages
    from datong_portal.briefing.charts import briefing_charts
    from datong_portal.briefing.selectors import briefing_contents

    if not _claim(briefing_id):
        return False
    began = time.monotonic()
    briefing = Briefing.objects.get(pk=briefing_id)
    try:
        period = month(briefing.month)
        contents = briefing_contents(period)
        _progress(briefing_id, 30, "绘制图表")
        charts = briefing_charts(contents)
        _progress(briefing_id, 45, "排版生成 PDF")
        pdf, pages = render_pdf_with_pages(
            "briefing/briefing_pdf.html",
            {**contents, "briefing": briefing, "charts": charts, "compiled_on": timezone.localdate()},
        )
        _progress(briefing_id, 90, "保存简报文件")
        old_name = briefing.pdf.name
        briefing.pdf.save(f"{briefing.month:%Y-%m}.pdf", ContentFile(pdf), save=False)
        updated = Briefing.objects.filter(pk=briefing_id, status=BriefingStatus.BUILDING).update(
            status=BriefingStatus.DONE,
            progress=100,
            stage="",
            pdf=briefing.pdf.name,
            pages=pages,
            finished_at=timezone.now(),
            build_seconds=round(time.monotonic() - began, 2),
            builds=briefing.builds + 1,
        )
        if not updated:  # taken over meanwhile (this build was presumed dead): keep the other build's file
            briefing.pdf.storage.delete(briefing.pdf.name)
        elif old_name:
            briefing.pdf.storage.delete(old_name)
    except Exception as error:
        Briefing.objects.filter(pk=briefing_id, status=BriefingStatus.BUILDING).update(
            status=BriefingStatus.FAILED, progress=100, stage="", error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    return bool(updated)


def month_to_build(today: date) -> Period:
    """On any day of a month, the month before it: what the calendar's briefing of that day covers."""
    return month(today.replace(day=1) - timedelta(days=1))
