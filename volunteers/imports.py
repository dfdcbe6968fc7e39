"""Excel in and out. Rosters (花名册) are validated row by row; errors carry the Excel row, the column and a Chinese
reason. Nothing is written when any row is bad unless partial import was asked for. Large files run in Celery
(volunteers/tasks.py); progress goes to the cache so that the page can poll it while the import's transaction is open.

A file is bounded before it is parsed (``campaigns.uploads.check_xlsx``: its size, and what it unpacks to), and while
it is parsed (``MAX_ROWS`` rows, ``MAX_CELL_CHARS`` per cell). A file imported at once is parsed once.
"""

import io
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campaigns.errors import NotAllowed
from campaigns.models import Division
from campaigns.scoping import may_change
from campaigns.uploads import check_xlsx
from volunteers import idcard, services, stats
from volunteers.choices import ImportStatus
from volunteers.models import ImportJob, Volunteer, VolunteerTeam
from volunteers.workflows import IMPORT_JOB_WORKFLOW, may_organise

ROSTER_COLUMNS = ["姓名", "身份证号", "手机号", "区县", "服务队", "注册日期"]
REQUIRED = {"姓名", "身份证号", "手机号", "区县"}
# Hour sheets (服务时长表): one stint per row, registered as pending records for the organiser to confirm.
HOURS_COLUMNS = ["志愿者编号", "项目编号", "服务日期", "开始时间", "结束时间"]
COLUMNS = {"roster": (ROSTER_COLUMNS, REQUIRED), "hours": (HOURS_COLUMNS, set(HOURS_COLUMNS))}
ASYNC_ROWS = 500  # more rows than this run in Celery
MAX_ROWS = 50_000
MAX_CELL_CHARS = 500  # the longest real cell is a list of team names
PROGRESS_EVERY = 100


class RosterFileError(Exception):
    """The file as a whole cannot be read (not xlsx, no header...)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).replace("\x00", "").strip()


def _open_workbook(content: bytes):
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise RosterFileError("无法读取文件：请上传 .xlsx 格式的 Excel 表格。") from None


def read_rows(content: bytes, kind: str = "roster") -> list[tuple[int, dict]]:
    """[(excel_row_number, {column: text})] of the first sheet; raises RosterFileError."""
    return _sheet_rows(_open_workbook(content), kind)


def _sheet_rows(workbook, kind: str) -> list[tuple[int, dict]]:
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_cell_text(v) for v in next(rows, ())]
    columns, required = COLUMNS[kind]
    missing = [c for c in columns if c in required and c not in header]
    if missing:
        raise RosterFileError(f"表头缺少列：{'、'.join(missing)}。应包含：{'、'.join(columns)}。")
    out = []
    for number, values in enumerate(rows, start=2):
        cells = {header[i]: _cell_text(v) for i, v in enumerate(values) if i < len(header) and header[i]}
        if any(len(text) > MAX_CELL_CHARS for text in cells.values()):
            raise RosterFileError(f"第 {number} 行有超过 {MAX_CELL_CHARS} 字的单元格，请检查文件。")
        if not any(cells.values()):
            continue
        out.append((number, cells))
        if len(out) > MAX_ROWS:
            raise RosterFileError(f"一次最多导入 {MAX_ROWS} 行，请拆分文件。")
    workbook.close()
    return out


def _parse_date(text: str):
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"):
        try:
            return datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
    raise ValidationError("日期格式应为 YYYY-MM-DD。")


def validate_rows(actor, rows, progress=None) -> tuple[list[dict], list[dict]]:
    """(clean rows, errors). A clean row holds model objects ready for the services."""
    divisions = {d.name: d for d in Division.objects.all()}
    teams = {t.name: t for t in VolunteerTeam.objects.all()}
    seen = {}
    clean, errors = [], []
    for index, (number, cells) in enumerate(rows, start=1):
        row_errors = []

        def err(field, message, number=number, row_errors=row_errors):
            row_errors.append({"row": number, "field": field, "message": message})

        name = cells.get("姓名", "")
        if not name:
            err("姓名", "姓名不能为空。")
        elif len(name) > 50:
            err("姓名", "姓名不超过50字。")
        number_text = cells.get("身份证号", "")
        id_number = None
        try:
            id_number = idcard.validate_id_number(number_text)
        except ValidationError as error:
            err("身份证号", error.messages[0])
        if id_number and id_number in seen:
            err("身份证号", f"与第 {seen[id_number]} 行的身份证号重复。")
        elif id_number:
            seen[id_number] = number
        phone = None
        try:
            phone = services.validate_phone(cells.get("手机号", ""))
        except ValidationError as error:
            err("手机号", error.messages[0])
        division = divisions.get(cells.get("区县", ""))
        if division is None:
            err("区县", f"区县“{cells.get('区县', '')}”不存在。")
        elif not may_change(actor, division.pk, None):
            err("区县", "您只能导入本区县的志愿者。")
        team_names = [t for t in cells.get("服务队", "").replace("，", ",").split(",") if t.strip()]
        row_teams = []
        for team_name in team_names:
            team = teams.get(team_name.strip())
            if team is None:
                err("服务队", f"服务队“{team_name.strip()}”不存在。")
            elif division is not None and team.division_id != division.pk:
                err("服务队", f"服务队“{team.name}”不属于{division.name}。")
            else:
                row_teams.append(team)
        registered_at = None
        try:
            registered_at = _parse_date(cells.get("注册日期", ""))
            if registered_at and registered_at > date.today():
                err("注册日期", "注册日期不能晚于今天。")
        except ValidationError as error:
            err("注册日期", error.messages[0])
        if row_errors:
            errors.extend(row_errors)
        else:
            clean.append(
                {
                    "row": number,
                    "name": name,
                    "id_number": id_number,
                    "phone": phone,
                    "division": division,
                    "teams": row_teams,
                    "registered_at": registered_at,
                }
            )
        if progress and index % PROGRESS_EVERY == 0:
            progress(index)
    return clean, errors


def write_rows(actor, clean, progress=None, offset=0) -> tuple[int, int]:
    existing = dict(
        Volunteer.objects.filter(id_number__in=[r["id_number"] for r in clean]).values_list("id_number", "pk")
    )
    created = updated = 0
    with stats.batched():  # one counter UPDATE per division for the whole file, not one per row
        for index, row in enumerate(clean, start=1):
            created, updated = _write_row(actor, row, existing, created, updated)
            if progress and index % PROGRESS_EVERY == 0:
                progress(offset + index)
    return created, updated


def _write_row(actor, row, existing, created, updated) -> tuple[int, int]:
    if row["id_number"] in existing:
        volunteer = Volunteer.objects.get(pk=existing[row["id_number"]])
        changes = {"name": row["name"], "phone": row["phone"], "division": row["division"]}
        if row["teams"]:
            current = list(volunteer.teams.all())
            changes["teams"] = current + [t for t in row["teams"] if t not in current]
        services.volunteer_update(actor=actor, volunteer=volunteer, **changes)
        return created, updated + 1
    services.volunteer_register(
        actor=actor,
        name=row["name"],
        id_number=row["id_number"],
        phone=row["phone"],
        division=row["division"],
        registered_at=row["registered_at"],
        teams=row["teams"],
    )
    return created + 1, updated


def _parse_time(text: str):
    for fmt in ("%H:%M", "%H:%M:%S"):
        try:
            return datetime.strptime(text.strip(), fmt).time()
        except ValueError:
            continue
    raise ValidationError("时间格式应为 HH:MM。")


def validate_hour_rows(actor, rows, progress=None) -> tuple[list[dict], list[dict]]:
    """Hour sheets: the volunteer and project must be visible to the actor, who must organise the project."""
    from volunteers import selectors

    numbers = {cells.get("志愿者编号", "").upper() for _n, cells in rows}
    volunteers = {v.volunteer_no: v for v in selectors.volunteers_visible_to(actor).filter(volunteer_no__in=numbers)}
    project_ids = {int(c.get("项目编号")) for _n, c in rows if c.get("项目编号", "").isdigit()}
    projects = {p.pk: p for p in selectors.projects_visible_to(actor).filter(pk__in=project_ids)}
    taken = {}  # (volunteer, date) -> [(start, end, row)] within the sheet
    clean, errors = [], []
    today = timezone.localdate()
    for index, (number, cells) in enumerate(rows, start=1):
        row_errors = []

        def err(field, message, number=number, row_errors=row_errors):
            row_errors.append({"row": number, "field": field, "message": message})

        volunteer = volunteers.get(cells.get("志愿者编号", "").upper())
        if volunteer is None:
            err("志愿者编号", f"志愿者“{cells.get('志愿者编号', '')}”不存在。")
        raw_project = cells.get("项目编号", "")
        project = projects.get(int(raw_project)) if raw_project.isdigit() else None
        if project is None:
            err("项目编号", f"项目“{raw_project}”不存在。")
        elif not may_organise(actor, project):
            err("项目编号", "您不是该项目的组织方，不能登记时长。")
        day = start = end = None
        try:
            day = _parse_date(cells.get("服务日期", ""))
            if day is None:
                err("服务日期", "服务日期不能为空。")
            elif day > today:
                err("服务日期", "服务日期不能晚于今天。")
            elif project is not None and not (project.start_date <= day <= project.end_date):
                err("服务日期", "服务日期不在项目起止日期内。")
        except ValidationError as error:
            err("服务日期", error.messages[0])
        try:
            start = _parse_time(cells.get("开始时间", ""))
        except ValidationError as error:
            err("开始时间", error.messages[0])
        try:
            end = _parse_time(cells.get("结束时间", ""))
        except ValidationError as error:
            err("结束时间", error.messages[0])
        if start and end and end <= start:
            err("结束时间", "结束时间应晚于开始时间。")
        if volunteer and day and start and end and end > start:
            for other_start, other_end, other_row in taken.get((volunteer.pk, day), []):
                if start < other_end and end > other_start:
                    err("开始时间", f"与第 {other_row} 行的时间重叠。")
            clash = (
                volunteer.service_records.filter(date=day, start_time__lt=end, end_time__gt=start)
                .exclude(status="rejected")
                .exists()
            )
            if clash:
                err("开始时间", "与该志愿者已有的服务记录时间重叠。")
            taken.setdefault((volunteer.pk, day), []).append((start, end, number))
        if row_errors:
            errors.extend(row_errors)
        else:
            clean.append(
                {"volunteer": volunteer, "project": project, "date": day, "start_time": start, "end_time": end}
            )
        if progress and index % PROGRESS_EVERY == 0:
            progress(index)
    return clean, errors


def write_hour_rows(actor, clean, progress=None, offset=0) -> tuple[int, int]:
    for index, row in enumerate(clean, start=1):
        services.record_create(actor=actor, **row)
        if progress and index % PROGRESS_EVERY == 0:
            progress(offset + index)
    return len(clean), 0


# --- jobs -----------------------------------------------------------------------------------------------------------


def progress_key(job_id: int) -> str:
    return f"volunteers:import:{job_id}:processed"


def job_progress(job: ImportJob) -> float:
    if job.status in (ImportStatus.DONE, ImportStatus.FAILED):
        return 100.0
    processed = cache.get(progress_key(job.pk), job.processed)
    # Validation is the first half of the work, writing the second.
    return round(min(processed / (2 * job.total), 1.0) * 100, 1) if job.total else 0.0


def job_create(*, actor, upload, partial: bool, kind: str = "roster") -> ImportJob:
    """Store the upload and count its rows (raises RosterFileError for a file that cannot be read).

    Every file is parsed once. A file small enough to import now is parsed here and its rows ride along on the job
    (``job.parsed_rows``) for :func:`job_start`; a larger one — by the sheet's declared size (its ``<dimension>``,
    read without reading the rows) — is left to the worker, which parses it and corrects ``total`` to the rows found.
    """
    IMPORT_JOB_WORKFLOW.check_creation("create", actor=actor)
    try:
        content = check_xlsx(upload, max_bytes=settings.IMPORT_MAX_BYTES)
    except ValidationError as error:
        raise RosterFileError(error.messages[0]) from None
    workbook = _open_workbook(content)
    declared = workbook.worksheets[0].max_row  # None when the writer left the dimension out: then parse here
    if declared is not None and declared - 1 > ASYNC_ROWS:
        workbook.close()
        rows, total = None, declared - 1
    else:
        rows = _sheet_rows(workbook, kind)
        if not rows:
            raise RosterFileError("表格中没有数据行。")
        total = len(rows)
    upload.seek(0)
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind,
            file=upload,
            filename=upload.name[:200],
            partial=partial,
            total=total,
            created_by=actor,
            status=ImportStatus.QUEUED,
        )
        IMPORT_JOB_WORKFLOW.record_creation(job, "create", actor=actor, note=job.filename)
        job.parsed_rows = rows
    return job


def job_run(job_id: int, rows=None) -> ImportJob:
    job = ImportJob.objects.select_related("created_by__unit").get(pk=job_id)
    if job.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        return job  # a second delivery of the task changes nothing
    if job.status == ImportStatus.QUEUED:
        # Committed at once, so that the page polling the job sees it running.
        with transaction.atomic():
            locked = IMPORT_JOB_WORKFLOW.lock(job)
            if locked.status == ImportStatus.QUEUED:
                IMPORT_JOB_WORKFLOW.apply(locked, "start", actor=job.created_by)
    total = job.total
    validate, write = (validate_rows, write_rows) if job.kind == "roster" else (validate_hour_rows, write_hour_rows)
    try:
        if rows is None:  # in the Celery worker: read the stored file (checked when it was uploaded), once
            with job.file.open("rb") as handle:
                rows = read_rows(handle.read(), job.kind)
            if len(rows) != total:  # the sheet declared its size; the rows found are what progress counts
                total = len(rows)
                ImportJob.objects.filter(pk=job.pk).update(total=total)
        clean, errors = validate(job.created_by, rows, progress=lambda n: cache.set(progress_key(job.pk), n, 3600))
        created = updated = 0
        if clean and (job.partial or not errors):
            with transaction.atomic():
                created, updated = write(
                    job.created_by,
                    clean,
                    progress=lambda n: cache.set(progress_key(job.pk), total + n, 3600),
                )
    except RosterFileError as error:
        errors, created, updated = [{"row": 0, "field": "", "message": error.message}], 0, 0
    except (ValidationError, NotAllowed) as error:
        # A row that passed validation failed on writing (e.g. registered meanwhile): the transaction rolled back.
        message = getattr(error, "message", None) if isinstance(error, NotAllowed) else "；".join(error.messages)
        errors, created, updated = [*errors, {"row": 0, "field": "", "message": f"写入失败，未导入：{message}"}], 0, 0
    with transaction.atomic():
        locked = IMPORT_JOB_WORKFLOW.lock(job)
        locked.errors = errors
        locked.created = created
        locked.updated = updated
        locked.processed = total * 2
        locked.finished_at = timezone.now()
        IMPORT_JOB_WORKFLOW.apply(
            locked,
            "finish" if (created or updated or not errors) else "fail",
            actor=job.created_by,
            at=locked.finished_at,
            note=f"新增 {created}，更新 {updated}，错误 {len(errors)}",
            update_fields=["errors", "created", "updated", "processed", "finished_at"],
        )
    cache.delete(progress_key(job.pk))
    locked.created_by = job.created_by
    return locked


def job_start(job: ImportJob) -> ImportJob:
    """Small files run now; large ones go to Celery after the job row is committed."""
    if job.total <= ASYNC_ROWS:
        return job_run(job.pk, rows=getattr(job, "parsed_rows", None))
    from volunteers.tasks import run_import

    transaction.on_commit(lambda: run_import.delay(job.pk))
    return job


# --- export ---------------------------------------------------------------------------------------------------------

EXPORT_MAX_ROWS = 100_000


def export_xlsx(headers: list[str], rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("导出")
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_xlsx(kind: str = "roster") -> bytes:
    return export_xlsx(COLUMNS[kind][0], [])
