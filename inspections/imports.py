"""Points in and out of Excel. An import checks every row and reports each fault with its Excel row, its column and a
Chinese reason; nothing is written when any row is bad unless partial import was asked for (then the good rows are).
A row whose 点位编号 exists updates that point; otherwise it creates one."""

import io
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campaigns.errors import NotAllowed
from campaigns.models import Division, Unit
from inspections import services
from inspections.models import Point, PointCategory

# Column → the point's field. The first five are required.
COLUMNS = {
    "点位编号": "code",
    "点位名称": "name",
    "类别": "category",
    "区县": "division",
    "责任单位": "responsible_unit",
    "街道/乡镇": "street",
    "社区/村": "community",
    "地址": "address",
    "纬度": "latitude",
    "经度": "longitude",
    "包点领导": "leader_name",
}
REQUIRED = ["点位编号", "点位名称", "类别", "区县", "责任单位"]
FIELD_COLUMNS = {field: column for column, field in COLUMNS.items()}
MAX_ROWS = 10_000
MAX_BYTES = 10 * 1024 * 1024


class PointFileError(Exception):
    """The file as a whole cannot be read (not an .xlsx, no header row, too large)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date().isoformat()
    return str(value).replace("\x00", "").strip()


def read_rows(content: bytes) -> list[tuple[int, dict]]:
    """[(Excel row number, {column: text})] of the first sheet; raise PointFileError."""
    from openpyxl import load_workbook

    if len(content) > MAX_BYTES:
        raise PointFileError("文件过大：一次最多导入 10 MB。")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise PointFileError("无法读取文件：请上传 .xlsx 格式的 Excel 表格。") from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [_text(v) for v in next(rows, ())]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise PointFileError(f"表头缺少列：{'、'.join(missing)}。应包含：{'、'.join(COLUMNS)}。")
        out = []
        for number, values in enumerate(rows, start=2):
            cells = {header[i]: _text(v) for i, v in enumerate(values) if i < len(header) and header[i] in COLUMNS}
            if any(cells.values()):
                out.append((number, cells))
            if len(out) > MAX_ROWS:
                raise PointFileError(f"一次最多导入 {MAX_ROWS} 行，请拆分文件。")
        return out
    finally:
        workbook.close()


def _lookups():
    return (
        {c.name: c for c in PointCategory.objects.all()},
        {d.name: d for d in Division.objects.all()},
        {u.name: u for u in Unit.objects.all()},
    )


def _row_data(cells: dict, categories, divisions, units) -> tuple[dict, list[tuple[str, str]]]:
    data, errors = {}, []
    for column, field in COLUMNS.items():
        value = cells.get(column, "")
        if column in REQUIRED and not value:
            errors.append((column, "此项为必填项。"))
            continue
        if field == "category":
            if value not in categories:
                errors.append((column, f"没有名为“{value}”的点位类别。"))
            else:
                data[field] = categories[value]
        elif field == "division":
            if value not in divisions:
                errors.append((column, f"没有名为“{value}”的区县。"))
            else:
                data[field] = divisions[value]
        elif field == "responsible_unit":
            if value not in units:
                errors.append((column, f"没有名为“{value}”的单位。"))
            else:
                data[field] = units[value]
        elif field in ("latitude", "longitude"):
            data[field] = value or None
        else:
            data[field] = value
    return data, errors


def import_points(*, actor, content: bytes, partial: bool = False) -> dict:
    """Check every row, then create or update the points: all of them, or (``partial``) the good ones.

    Answers ``{"created", "updated", "errors": [{"row", "field", "message"}]}``; raises PointFileError."""
    if not services.may_edit_points(actor):
        raise NotAllowed("只有指挥部或区县创城办可以导入点位。")
    rows = read_rows(content)
    if not rows:
        raise PointFileError("表格中没有数据行。")
    categories, divisions, units = _lookups()
    existing = {p.code: p for p in Point.objects.filter(code__in=[c.get("点位编号", "") for _, c in rows])}
    seen_codes: dict[str, int] = {}
    errors, good = [], []
    for number, cells in rows:
        data, row_errors = _row_data(cells, categories, divisions, units)
        code = cells.get("点位编号", "")
        if code and code in seen_codes:
            row_errors.append(("点位编号", f"与第 {seen_codes[code]} 行的点位编号重复。"))
        elif code:
            seen_codes[code] = number
        division = data.get("division")
        if division is not None and not services.may_edit_points(actor, division.pk):
            row_errors.append(("区县", "您只能导入本区县的点位。"))
        instance = existing.get(code)
        if instance is not None and not services.may_edit_points(actor, instance.division_id):
            row_errors.append(("点位编号", "该编号属于其他区县的点位。"))
        if not row_errors:
            try:
                services.point_clean(data, instance=instance)
            except ValidationError as error:
                row_errors += [(FIELD_COLUMNS.get(f, f), m) for f, ms in error.message_dict.items() for m in ms]
        if row_errors:
            errors += [{"row": number, "field": column, "message": message} for column, message in row_errors]
        else:
            good.append((data, instance))
    created = updated = 0
    if errors and not partial:
        return {"created": 0, "updated": 0, "errors": errors}
    with transaction.atomic():
        for data, instance in good:
            if instance is None:
                services.point_create(actor=actor, **data)
                created += 1
            else:
                services.point_update(actor=actor, point=instance, **data)
                updated += 1
    return {"created": created, "updated": updated, "errors": errors}


def export_points(points) -> bytes:
    """The points as an .xlsx in the import's columns (so an export can be edited and imported back)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = "点位"
    header = [*COLUMNS, "最近测评时间"]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for point in points.select_related("category", "division", "responsible_unit").iterator(chunk_size=1000):
        inspected = (
            timezone.localtime(point.last_inspected_at).strftime("%Y-%m-%d %H:%M") if point.last_inspected_at else ""
        )
        sheet.append(
            [
                point.code,
                point.name,
                point.category.name,
                point.division.name,
                point.responsible_unit.name,
                point.street,
                point.community,
                point.address,
                float(point.latitude) if point.latitude is not None else None,
                float(point.longitude) if point.longitude is not None else None,
                point.leader_name,
                inspected,
            ]
        )
    for letter, width in zip("ABCDEFGHIJKL", (16, 28, 18, 10, 24, 14, 14, 30, 12, 12, 14, 18), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
