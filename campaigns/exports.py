"""Every filtered list to ``.xlsx``: the page's own FilterSet (``PortalFilterSet.export_columns``) decides the rows, so
the file holds exactly what the list shows with its filters applied, in the user's scope.

openpyxl's write-only workbook streams the rows (the FilterSet reads them in chunks). An export of more than
``EXPORT_MAX_ROWS`` rows is refused with a message asking to narrow the filters, as the volunteers' lists do.
"""

import io

from django.contrib import messages
from django.http import HttpResponse
from django.utils.encoding import escape_uri_path

EXPORT_MAX_ROWS = 20_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def export_filtered(request, filterset, filename: str) -> HttpResponse | None:
    """The filtered list as an ``.xlsx`` download, or None (with a message for the page) when the filters are wrong or
    the list is too long to export at once."""
    if not filterset.is_valid():
        messages.error(request, "筛选条件有误，无法导出。")
        return None
    if filterset.qs[EXPORT_MAX_ROWS : EXPORT_MAX_ROWS + 1].exists():
        messages.error(request, f"导出超过 {EXPORT_MAX_ROWS} 条，请先缩小筛选范围。")
        return None
    headers, rows = filterset.export_table(request.user)
    return xlsx_response(xlsx_bytes(headers, rows), filename)
