"""Every filtered list to ``.xlsx``: the page's own FilterSet (``PortalFilterSet.export_columns``) decides the rows, so
the file holds exactly what the list shows with its filters applied, in the user's scope.

Each app names its exportable lists in the registry (``exports``: name → :class:`ExportSpec`). A list of up to
``settings.EXPORT_INLINE_ROWS`` rows downloads at once; a longer one becomes an :class:`~campaigns.models.ExportJob`
that the Celery worker builds (``campaigns.tasks.build_export`` → :func:`export_job_run`) while the page shows its
progress bar, as the volunteers' large imports do. More than ``EXPORT_MAX_ROWS`` rows is refused with a message
asking to narrow the filters. openpyxl's write-only workbook streams the rows (the FilterSet reads them in chunks).
"""

import io
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.encoding import escape_uri_path

from campaigns import registry
from campaigns.models import ExportJob

EXPORT_MAX_ROWS = 200_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROGRESS_EVERY = 500  # rows between two progress updates of a job


@dataclass(frozen=True)
class ExportSpec:
    """An exportable list: its FilterSet, its scoped queryset for a user, and the file's name."""

    filterset: type
    queryset: Callable
    filename: str


def spec_for(name: str) -> ExportSpec:
    return registry.exports()[name]


def xlsx_bytes(headers: list[str], rows, *, title: str = "导出") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


def wants_export(request) -> bool:
    return request.GET.get("export") == "xlsx"


def _query(request) -> str:
    query = request.GET.copy()
    for key in ("export", "page"):
        query.pop(key, None)
    return query.urlencode()


def export_filtered(request, filterset, name: str) -> HttpResponse | None:
    """The filtered list as an ``.xlsx`` download, a redirect to the job building it, or None (with a message for the
    page) when the filters are wrong or the list is too long."""
    spec = spec_for(name)
    if not filterset.is_valid():
        messages.error(request, "筛选条件有误，无法导出。")
        return None
    rows = filterset.qs
    if rows[EXPORT_MAX_ROWS : EXPORT_MAX_ROWS + 1].exists():
        messages.error(request, f"导出超过 {EXPORT_MAX_ROWS} 条，请先缩小筛选范围。")
        return None
    if rows[settings.EXPORT_INLINE_ROWS : settings.EXPORT_INLINE_ROWS + 1].exists():
        job = export_job_create(actor=request.user, name=name, query=_query(request))
        return redirect("export-job", job.pk)
    headers, rows = filterset.export_table(request.user)
    return xlsx_response(xlsx_bytes(headers, rows), spec.filename)


@transaction.atomic
def export_job_create(*, actor, name: str, query: str) -> ExportJob:
    from campaigns.tasks import build_export, enqueue_quietly

    spec = spec_for(name)
    job = ExportJob.objects.create(name=name, query=query[:2000], filename=spec.filename, created_by=actor)
    transaction.on_commit(lambda: enqueue_quietly(build_export, job.pk))
    return job


def export_job_run(job_id: int) -> ExportJob:
    """Build the job's file (what the worker runs). Idempotent: only a queued job is claimed, once."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING
    )
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        return job
    try:
        spec = spec_for(job.name)
        user = job.created_by
        filterset = spec.filterset(QueryDict(job.query), queryset=spec.queryset(user))
        if not filterset.is_valid() or not user.is_active:
            raise ValueError("筛选条件有误或账号已停用，无法导出。")
        job.total = filterset.qs.count()
        ExportJob.objects.filter(pk=job.pk).update(total=job.total)
        headers, rows = filterset.export_table(user)
        content = xlsx_bytes(headers, _counted(rows, job.pk))
        job.file.save(job.filename, ContentFile(content), save=False)
        job.status, job.processed, job.finished_at = ExportJob.Status.DONE, job.total, timezone.now()
    except Exception as error:  # the job records why; the worker must not retry a broken export forever
        job.status, job.error, job.finished_at = ExportJob.Status.FAILED, str(error)[:300], timezone.now()
    job.save(update_fields=["status", "processed", "file", "error", "finished_at", "total"])
    return job


def _counted(rows, job_id):
    for n, row in enumerate(rows, start=1):
        if n % PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job_id).update(processed=n)
        yield row
