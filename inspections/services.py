"""Every write that matters in the inspections app. Keyword-only, atomic, checked against the actor.

A problem's status changes only through ``PROBLEM_WORKFLOW.apply`` (campaigns.workflow): the row is locked, the move
is checked against the declaration and the actor, and a :class:`ProblemTransition` row records it.
"""

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from campaigns import workdays
from campaigns.choices import Role, UnitKind
from campaigns.errors import IllegalTransition, NotAllowed
from campaigns.models import Division, Unit, User
from campaigns.notifications import notify
from campaigns.scoping import acts_for_division
from campaigns.selectors import unit_officers
from campaigns.text import clean_text
from campaigns.uploads import CheckedImage, check_image
from inspections.choices import (
    DEFAULT_DEADLINE_DAYS,
    RECURRENCE_DAYS,
    Outcome,
    PhotoKind,
    ProblemAction,
    ProblemStatus,
    Severity,
)
from inspections.models import (
    LATITUDE_RANGE,
    LONGITUDE_RANGE,
    Inspection,
    InspectionResult,
    InspectionRound,
    Photo,
    Point,
    PointCategory,
    Problem,
    SeverityDeadline,
    Standard,
)
from inspections.workflows import PROBLEM_WORKFLOW, may_recheck

MAX_PHOTOS = 9
CARD_UNIT_KINDS = {UnitKind.DEPARTMENT, UnitKind.GOVERNMENT}


# --- who may do what --------------------------------------------------------------------------------------------


def may_edit_points(user, division_id: int | None = None) -> bool:
    """Headquarters anywhere; an officer acting for their division (not a community's, campaigns/scoping.py
    ``acts_for_division``) for points of their own division."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_headquarters:
        return True
    return (
        user.is_officer
        and user.division_id is not None
        and acts_for_division(user)
        and (division_id in (None, user.division_id))
    )


def may_inspect(user) -> bool:
    return user.is_authenticated and user.is_active and (user.is_headquarters or user.is_supervisor)


def may_edit_checklists(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_headquarters


def may_plan_rounds(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_headquarters


def may_raise_card(user) -> bool:
    return user.is_authenticated and user.is_active and (user.is_headquarters or user.is_supervisor)


# --- helpers ----------------------------------------------------------------------------------------------------


def problem_url(problem) -> str:
    return reverse("inspections-problem-detail", args=[problem.pk])


def division_officers(division_id: int | None):
    """Who answers for a division: the active officers of its district/county government (创城办)."""
    return User.objects.filter(
        role=Role.OFFICER, is_active=True, unit__division_id=division_id, unit__kind=UnitKind.GOVERNMENT
    )


def deadline_days(severity: str) -> int:
    row = SeverityDeadline.objects.filter(severity=severity).first()
    return row.days if row else DEFAULT_DEADLINE_DAYS.get(severity, DEFAULT_DEADLINE_DAYS[Severity.MINOR])


def default_deadline(severity: str, *, today: date | None = None) -> date:
    """The severity's number of working days (工作日) after today (campaigns/workdays.py)."""
    return workdays.add_working_days(today or timezone.localdate(), deadline_days(severity))


def score_rate(weighted_passed: Decimal, weighted_applicable: Decimal) -> Decimal | None:
    """Weighted passed ÷ weighted applicable, in per cent with one decimal; None when nothing applied."""
    if not weighted_applicable:
        return None
    return (Decimal(weighted_passed) * 100 / Decimal(weighted_applicable)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def check_photos(photos: Iterable, field: str = "photos") -> list[CheckedImage]:
    photos = [p for p in (photos or []) if p is not None]
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({field: [f"每项最多上传 {MAX_PHOTOS} 张照片。"]})
    checked = []
    for photo in photos:
        try:
            checked.append(check_image(photo))
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from error
    return checked


def _store_photos(checked: list[CheckedImage], *, point, actor, now, kind, result=None, transition=None) -> None:
    for image in checked:
        photo = Photo(
            point=point,
            result=result,
            transition=transition,
            kind=kind,
            original_name=image.original_name,
            content_type=image.content_type,
            size=image.size,
            uploaded_by=actor,
            uploaded_at=now,
        )
        photo.file.save(image.content.name, image.content, save=False)
        photo.save()


def _is_date(value) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


# --- points -----------------------------------------------------------------------------------------------------

POINT_TEXT_FIELDS = (
    ("code", True, 30),
    ("name", True, 100),
    ("street", False, 50),
    ("community", False, 50),
    ("address", False, 200),
    ("leader_name", False, 50),
)


def point_clean(data: dict, *, instance: Point | None = None) -> dict:
    """Check a point's fields (all of them for a new point, the given ones for an edit); raise ValidationError."""
    errors, cleaned = {}, {}
    for name, required, max_length in POINT_TEXT_FIELDS:
        if name in data or instance is None:
            try:
                cleaned[name] = clean_text(data.get(name, ""), name, required=required, max_length=max_length)
            except ValidationError as error:
                errors.update(error.message_dict)
    for name, model, label in (
        ("category", PointCategory, "类别"),
        ("division", Division, "区县"),
        ("responsible_unit", Unit, "责任单位"),
    ):
        if name in data or instance is None:
            value = data.get(name)
            if not isinstance(value, model):
                errors[name] = [f"请选择{label}。"]
            else:
                cleaned[name] = value
    for name, (low, high), label in (("latitude", LATITUDE_RANGE, "纬度"), ("longitude", LONGITUDE_RANGE, "经度")):
        if name in data:
            value = data.get(name)
            if value in (None, ""):
                cleaned[name] = None
                continue
            try:
                value = Decimal(str(value)).quantize(Decimal("0.000001"))
            except (ArithmeticError, ValueError):
                errors[name] = [f"{label}应为数字。"]
                continue
            if not (low <= value <= high):
                errors[name] = [f"{label}不在大同市范围内（{low}～{high}）。"]
            else:
                cleaned[name] = value
    if "leader" in data:
        leader = data.get("leader")
        if leader is not None and not isinstance(leader, User):
            errors["leader"] = ["包点领导账号无效。"]
        else:
            cleaned["leader"] = leader
    if "is_active" in data:
        cleaned["is_active"] = bool(data["is_active"])
    code = cleaned.get("code")
    if code and Point.objects.filter(code=code).exclude(pk=getattr(instance, "pk", None)).exists():
        errors["code"] = [f"点位编号“{code}”已存在。"]
    unit = cleaned.get("responsible_unit", getattr(instance, "responsible_unit", None))
    division = cleaned.get("division", getattr(instance, "division", None))
    if unit is not None and division is not None and unit.division_id not in (None, division.pk):
        errors["responsible_unit"] = ["责任单位不属于该区县。"]
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def point_create(*, actor, **data) -> Point:
    division = data.get("division")
    if not may_edit_points(actor, getattr(division, "pk", None)):
        raise NotAllowed("只有指挥部或本区县创城办可以新增点位。")
    return Point.objects.create(**point_clean(data))


@transaction.atomic
def point_update(*, actor, point: Point, **data) -> Point:
    point = Point.objects.select_for_update().get(pk=point.pk)
    if not may_edit_points(actor, point.division_id):
        raise NotAllowed("只有指挥部或本区县创城办可以修改点位。")
    cleaned = point_clean(data, instance=point)
    if "division" in cleaned and not may_edit_points(actor, cleaned["division"].pk):
        raise NotAllowed("不能把点位移到其他区县。")
    for name, value in cleaned.items():
        setattr(point, name, value)
    point.save()
    return point


# --- checklists -------------------------------------------------------------------------------------------------


def _standard_clean(data: dict, *, category, instance=None) -> dict:
    from inspections.choices import Aspect

    errors, cleaned = {}, {}
    for name, required, max_length in (("code", True, 30), ("text", True, 300), ("indicator", False, 200)):
        if name in data or instance is None:
            try:
                cleaned[name] = clean_text(data.get(name, ""), name, required=required, max_length=max_length)
            except ValidationError as error:
                errors.update(error.message_dict)
    if "aspect" in data or instance is None:
        if data.get("aspect") not in Aspect.values:
            errors["aspect"] = ["请选择测评方面。"]
        else:
            cleaned["aspect"] = data["aspect"]
    if "severity" in data:
        if data["severity"] not in Severity.values:
            errors["severity"] = ["问题等级无效。"]
        else:
            cleaned["severity"] = data["severity"]
    if "weight" in data or instance is None:
        try:
            weight = Decimal(str(data.get("weight"))).quantize(Decimal("0.01"))
            if not (Decimal("0") < weight <= Decimal("100")):
                raise ValueError
        except (ArithmeticError, ValueError):
            errors["weight"] = ["分值应为 0 到 100 之间的正数。"]
        else:
            cleaned["weight"] = weight
    for name in ("position",):
        if name in data and data[name] is not None:
            cleaned[name] = int(data[name])
    if "is_active" in data:
        cleaned["is_active"] = bool(data["is_active"])
    code = cleaned.get("code")
    if code and Standard.objects.filter(category=category, code=code).exclude(pk=getattr(instance, "pk", None)):
        errors["code"] = [f"本类别已有编号为“{code}”的标准。"]
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def standard_create(*, actor, category: PointCategory, **data) -> Standard:
    if not may_edit_checklists(actor):
        raise NotAllowed("只有指挥部可以修改测评标准。")
    cleaned = _standard_clean(data, category=category)
    cleaned.setdefault("position", (category.standards.count() or 0) + 1)
    return Standard.objects.create(category=category, **cleaned)


@transaction.atomic
def standard_update(*, actor, standard: Standard, **data) -> Standard:
    """Change a standard. Past visits keep the text and weight they were scored with (their results' snapshot)."""
    if not may_edit_checklists(actor):
        raise NotAllowed("只有指挥部可以修改测评标准。")
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    for name, value in _standard_clean(data, category=standard.category, instance=standard).items():
        setattr(standard, name, value)
    standard.save()
    return standard


# --- rounds -----------------------------------------------------------------------------------------------------


@transaction.atomic
def round_plan(
    *,
    actor,
    name: str,
    start_date: date,
    end_date: date,
    supervisors: Sequence[User] = (),
    categories: Sequence[PointCategory] = (),
    divisions: Sequence[Division] = (),
    sample_per_group: int | None = None,
    points: Sequence[Point] = (),
    rng: random.Random | None = None,
) -> InspectionRound:
    """Plan a round: the given points, or every active point of ``categories`` (in ``divisions`` if given), or a
    random sample of ``sample_per_group`` points per category and division."""
    if not may_plan_rounds(actor):
        raise NotAllowed("只有指挥部可以安排测评轮次。")
    errors = {}
    try:
        name = clean_text(name, "name", required=True, max_length=100)
    except ValidationError as error:
        errors.update(error.message_dict)
    if not _is_date(start_date):
        errors["start_date"] = ["请填写有效的日期。"]
    if not _is_date(end_date):
        errors["end_date"] = ["请填写有效的日期。"]
    elif _is_date(start_date) and end_date < start_date:
        errors["end_date"] = ["结束日期不能早于开始日期。"]
    if sample_per_group is not None and (not isinstance(sample_per_group, int) or sample_per_group < 1):
        errors["sample_per_group"] = ["每组抽样数应为正整数。"]
    bad = [s for s in supervisors if not (s.is_supervisor or s.is_headquarters)]
    if bad:
        errors["supervisors"] = ["督导人员须为督导组或指挥部人员。"]
    if not points and not categories:
        errors["categories"] = ["请选择点位类别或具体点位。"]
    if errors:
        raise ValidationError(errors)
    chosen = list(points)
    if categories:
        candidates = Point.objects.filter(is_active=True, category__in=list(categories))
        if divisions:
            candidates = candidates.filter(division__in=list(divisions))
        candidates = list(candidates.order_by("id").values_list("id", "category_id", "division_id"))
        if sample_per_group:
            rng = rng or random.Random()
            groups = defaultdict(list)
            for pk, category_id, division_id in candidates:
                groups[(category_id, division_id)].append(pk)
            ids = [
                pk for key in sorted(groups) for pk in rng.sample(groups[key], min(sample_per_group, len(groups[key])))
            ]
            description = f"按类别和区县随机抽样，每组 {sample_per_group} 个"
        else:
            ids = [pk for pk, _category, _division in candidates]
            description = "所选类别的全部点位"
        chosen += list(Point.objects.filter(pk__in=ids))
    else:
        description = "指定点位"
    if not chosen:
        raise ValidationError({"categories": ["所选范围内没有点位。"]})
    names = "、".join(c.name for c in categories)
    round_ = InspectionRound.objects.create(
        name=name,
        start_date=start_date,
        end_date=end_date,
        selection=f"{description}{'：' + names if names else ''}"[:200],
        created_by=actor,
    )
    round_.supervisors.set(supervisors)
    round_.points.set({p.pk for p in chosen})
    notify(
        recipients=supervisors,
        kind="inspection-round",
        title=f"测评任务：{round_.name}",
        body=f"{start_date:%Y-%m-%d} 至 {end_date:%Y-%m-%d}，共 {len(set(chosen))} 个点位。",
        url=reverse("inspections-round-detail", args=[round_.pk]),
        key=f"inspections:round:{round_.pk}",
    )
    return round_


# --- visits -----------------------------------------------------------------------------------------------------


def _parse_results(point: Point, results) -> list[dict]:
    """[{standard, outcome, note, photos}] from the API's / the form's rows; raise ValidationError on any fault."""
    if not isinstance(results, (list, tuple)) or not results:
        raise ValidationError({"results": ["请至少填写一项测评结果。"]})
    standards = {s.pk: s for s in Standard.objects.filter(category_id=point.category_id, is_active=True)}
    seen, rows, errors = set(), [], []
    for index, row in enumerate(results, start=1):
        if not isinstance(row, dict):
            errors.append(f"第 {index} 项格式无效。")
            continue
        standard = row.get("standard")
        standard_id = standard.pk if isinstance(standard, Standard) else standard
        if isinstance(standard_id, bool) or not isinstance(standard_id, int) or standard_id not in standards:
            errors.append(f"第 {index} 项的测评标准不属于该点位类别或已停用。")
            continue
        if standard_id in seen:
            errors.append(f"第 {index} 项：测评标准“{standards[standard_id].code}”重复。")
            continue
        seen.add(standard_id)
        passed = row.get("passed")
        if passed is not None and not isinstance(passed, bool):
            errors.append(f"第 {index} 项的结果应为 true（达标）、false（不达标）或 null（不适用）。")
            continue
        try:
            note = clean_text(row.get("note", ""), "note", max_length=2000)
        except ValidationError as error:
            errors.append(f"第 {index} 项说明：{'；'.join(error.messages)}")
            continue
        outcome = Outcome.NOT_APPLICABLE if passed is None else (Outcome.PASSED if passed else Outcome.FAILED)
        rows.append({"standard": standards[standard_id], "outcome": outcome, "note": note, "photos": row.get("photos")})
    if errors:
        raise ValidationError({"results": errors})
    return rows


@transaction.atomic
def inspection_record(
    *,
    actor,
    point: Point,
    results,
    round: InspectionRound | None = None,  # noqa: A002 — the API's field name
    note: str = "",
    inspected_at: datetime | None = None,
    client_key: str | None = None,
) -> Inspection:
    """Record a finished visit: its results (with the standards as they stand now), its score rate, and a problem
    for each failed standard (or one more finding on the open problem of that point × standard).

    A visit sent again with the same ``client_key`` (the phone retried) answers the visit already stored."""
    if not may_inspect(actor):
        raise NotAllowed("只有指挥部和督导组可以录入测评结果。")
    if client_key:
        client_key = clean_text(client_key, "client_key", max_length=64)
        existing = Inspection.objects.filter(client_key=client_key).first()
        if existing is not None:
            if existing.inspector_id != actor.pk:
                raise ValidationError({"client_key": ["客户端编号已被使用。"]})
            return existing
    if not isinstance(point, Point) or not point.is_active:
        raise ValidationError({"point": ["点位无效或已停用。"]})
    if round is not None and not round.points.filter(pk=point.pk).exists():
        raise ValidationError({"round": ["该点位不在本轮测评范围内。"]})
    note = clean_text(note, "note", max_length=5000)
    now = timezone.now()
    inspected_at = inspected_at or now
    if inspected_at > now + timedelta(minutes=5):
        raise ValidationError({"inspected_at": ["测评时间不能晚于现在。"]})
    rows = _parse_results(point, results)
    checked = {}
    for row in rows:
        checked[row["standard"].pk] = check_photos(row["photos"], "results")
    passed = sum((r["standard"].weight for r in rows if r["outcome"] == Outcome.PASSED), Decimal("0"))
    applicable = sum((r["standard"].weight for r in rows if r["outcome"] != Outcome.NOT_APPLICABLE), Decimal("0"))
    inspection = Inspection.objects.create(
        point=point,
        round=round,
        division_id=point.division_id,
        inspector=actor,
        inspected_at=inspected_at,
        note=note,
        weighted_passed=passed,
        weighted_applicable=applicable,
        score_rate=score_rate(passed, applicable),
        client_key=client_key or None,
    )
    for row in rows:
        standard = row["standard"]
        result = InspectionResult.objects.create(
            inspection=inspection,
            standard=standard,
            outcome=row["outcome"],
            note=row["note"],
            standard_code=standard.code,
            standard_text=standard.text,
            aspect=standard.aspect,
            weight=standard.weight,
        )
        _store_photos(checked[standard.pk], point=point, actor=actor, now=now, kind=PhotoKind.FOUND, result=result)
        if row["outcome"] == Outcome.FAILED:
            description = row["note"] or standard.text
            result.problem = _problem_found(
                actor=actor, point=point, standard=standard, description=description, at=inspected_at
            )
            result.save(update_fields=["problem"])
    Point.objects.filter(pk=point.pk).exclude(last_inspected_at__gt=inspected_at).update(last_inspected_at=inspected_at)
    return inspection


# --- problems ---------------------------------------------------------------------------------------------------


def _problem_found(*, actor, point: Point, standard: Standard, description: str, at: datetime) -> Problem:
    """The open problem of this point × standard with one more finding, or a new one (marked as a recurrence when
    the same point × standard was closed within RECURRENCE_DAYS)."""
    for _attempt in range(2):
        existing = (
            Problem.objects.select_for_update()
            .filter(point=point, standard=standard)
            .exclude(status=ProblemStatus.CLOSED)
            .first()
        )
        if existing is not None:
            Problem.objects.filter(pk=existing.pk).update(occurrences=F("occurrences") + 1, last_found_at=at)
            existing.refresh_from_db()
            return existing
        previous = (
            Problem.objects.filter(
                point=point,
                standard=standard,
                status=ProblemStatus.CLOSED,
                closed_at__gte=at - timedelta(days=RECURRENCE_DAYS),
            )
            .order_by("-closed_at")
            .first()
        )
        try:
            with transaction.atomic():
                problem = Problem.objects.create(
                    point=point,
                    standard=standard,
                    division_id=point.division_id,
                    responsible_unit_id=point.responsible_unit_id,
                    description=description,
                    severity=standard.severity,
                    status=ProblemStatus.OPEN,
                    status_changed_at=at,
                    found_by=actor,
                    found_at=at,
                    last_found_at=at,
                    is_recurrence=previous is not None,
                    recurrence_of=previous,
                )
        except IntegrityError:
            continue  # another visit opened it this instant: add to that one
        PROBLEM_WORKFLOW.record_creation(problem, ProblemAction.FIND, actor=actor, note=description, at=at)
        notify(
            recipients=division_officers(point.division_id),
            kind="inspection-problem",
            title=f"{'反弹问题' if previous else '新问题'}：{point.name}",
            body=f"{standard.text}。{description if description != standard.text else ''}",
            url=problem_url(problem),
            key=f"inspections:problem:{problem.pk}:found",
        )
        return problem
    raise IntegrityError("problem for point × standard could not be opened")


@transaction.atomic
def problem_create(*, actor, point: Point, standard: Standard, description: str = "", photos: Iterable = ()) -> Problem:
    """A problem found outside a scored visit (a supervisor on the street)."""
    if not may_inspect(actor):
        raise NotAllowed("只有指挥部和督导组可以登记问题。")
    errors = {}
    if not isinstance(point, Point) or not point.is_active:
        errors["point"] = ["点位无效或已停用。"]
    if not isinstance(standard, Standard) or (isinstance(point, Point) and standard.category_id != point.category_id):
        errors["standard"] = ["测评标准不属于该点位的类别。"]
    try:
        description = clean_text(description, "description", max_length=5000)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    checked = check_photos(photos)
    now = timezone.now()
    problem = _problem_found(
        actor=actor, point=point, standard=standard, description=description or standard.text, at=now
    )
    if checked:
        transition = problem.transitions.order_by("-at", "-id").first()
        _store_photos(checked, point=point, actor=actor, now=now, kind=PhotoKind.FOUND, transition=transition)
    return problem


@transaction.atomic
def problem_dispatch(
    *,
    actor,
    problem: Problem,
    responsible_unit: Unit | None = None,
    deadline: date | None = None,
    note: str = "",
) -> Problem:
    """Send the problem to its responsible unit with a deadline: by default the severity's number of working days;
    a chosen deadline on a rest day moves to the next working day."""
    problem = PROBLEM_WORKFLOW.lock(problem)
    PROBLEM_WORKFLOW.check(problem, ProblemAction.DISPATCH, actor=actor)
    errors = {}
    unit = responsible_unit or problem.responsible_unit
    if not isinstance(unit, Unit) or unit.division_id not in (None, problem.division_id):
        errors["responsible_unit"] = ["责任单位应为本区县的单位或市直单位。"]
    today = timezone.localdate()
    if deadline is None:
        deadline = default_deadline(problem.severity, today=today)
    elif not _is_date(deadline):
        errors["deadline"] = ["请填写有效的日期。"]
    elif deadline < today:
        errors["deadline"] = ["整改时限不能早于今天。"]
    try:
        note = clean_text(note, "note", max_length=2000)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    problem.responsible_unit = unit
    problem.deadline = workdays.next_working_day(deadline)  # a deadline on a rest day moves to the next working day
    problem.dispatched_at = now
    PROBLEM_WORKFLOW.apply(
        problem,
        ProblemAction.DISPATCH,
        actor=actor,
        note=note or f"派发至{unit}，限 {deadline:%Y-%m-%d} 前整改。",
        at=now,
        update_fields=["responsible_unit", "deadline", "dispatched_at"],
    )
    notify(
        recipients=unit_officers(unit.pk),
        kind="inspection-dispatched",
        title=f"请整改：{problem.point.name}",
        body=f"{problem.standard.text}。整改时限 {deadline:%Y-%m-%d}。",
        url=problem_url(problem),
        key=f"inspections:problem:{problem.pk}:dispatched:{problem.rework_count}",
    )
    return problem


@transaction.atomic
def problem_rectify(*, actor, problem: Problem, feedback: str, photos: Iterable = ()) -> Problem:
    """The unit reports the rectification, with after-photos."""
    problem = PROBLEM_WORKFLOW.lock(problem)
    PROBLEM_WORKFLOW.check(problem, ProblemAction.RECTIFY, actor=actor)
    feedback = clean_text(feedback, "feedback", required=True, max_length=5000)
    checked = check_photos(photos)
    now = timezone.now()
    problem.rectified_by = actor
    problem.rectified_at = now
    transition = PROBLEM_WORKFLOW.apply(
        problem,
        ProblemAction.RECTIFY,
        actor=actor,
        note=feedback,
        at=now,
        update_fields=["rectified_by", "rectified_at"],
    )
    _store_photos(checked, point=problem.point, actor=actor, now=now, kind=PhotoKind.AFTER, transition=transition)
    recipients = [problem.found_by, *division_officers(problem.division_id).exclude(pk=actor.pk)]
    notify(
        recipients=recipients,
        kind="inspection-rectified",
        title=f"待复核：{problem.point.name}",
        body=feedback[:200],
        url=problem_url(problem),
        key=f"inspections:problem:{problem.pk}:rectified:{transition.pk}",
    )
    return problem


@transaction.atomic
def problem_recheck(*, actor, problem: Problem, approved: bool, comment: str = "") -> Problem:
    """Close the problem (销号) or send it back for rework; never by the person who sent the rectification."""
    problem = PROBLEM_WORKFLOW.lock(problem)
    if not isinstance(approved, bool):
        raise ValidationError({"approved": ["请选择复核通过或退回。"]})
    action = ProblemAction.CLOSE if approved else ProblemAction.RETURN
    PROBLEM_WORKFLOW.check(problem, action)  # the status first: a misplaced re-check is 409 whoever asks
    if actor.pk == problem.rectified_by_id:
        raise NotAllowed("复核须由整改反馈人以外的人员进行，您不能复核自己反馈的整改。")
    if not may_recheck(actor, problem):
        raise NotAllowed(PROBLEM_WORKFLOW.move(action).refusal)
    comment = clean_text(comment, "comment", required=not approved, max_length=2000)
    now = timezone.now()
    fields = []
    if approved:
        problem.closed_at = now
        fields.append("closed_at")
    else:
        problem.rework_count += 1
        fields.append("rework_count")
    PROBLEM_WORKFLOW.apply(problem, action, actor=actor, note=comment, at=now, update_fields=fields)
    notify(
        recipients=unit_officers(problem.responsible_unit_id),
        kind="inspection-rechecked",
        title=f"{problem.point.name}：{'复核通过，已销号' if approved else '复核未通过，请重新整改'}",
        body=comment,
        url=problem_url(problem),
        key=f"inspections:problem:{problem.pk}:rechecked:{problem.rework_count}:{action}",
    )
    return problem


# --- raising a problem into a supervision card ------------------------------------------------------------------


def card_unit_for(problem: Problem) -> Unit:
    """A card goes to a city department or a district government: the problem's unit, or its division's government."""
    if problem.responsible_unit.kind in CARD_UNIT_KINDS:
        return problem.responsible_unit
    government = Unit.objects.filter(kind=UnitKind.GOVERNMENT, division_id=problem.division_id).first()
    if government is None:
        raise ValidationError({"assignee_unit": ["找不到该区县的人民政府单位。"]})
    return government


@transaction.atomic
def problem_raise_card(
    *, actor, problem: Problem, deadline: date | None = None, requirement: str = "", title: str = ""
):
    """Issue a supervision card (督办卡) for a problem and link the two; a problem is raised at most once."""
    from supervision.choices import CardSource
    from supervision.services import supervision_card_issue

    if not may_raise_card(actor):
        raise NotAllowed("只有指挥部和督导组可以将问题升级为督办卡。")
    problem = Problem.objects.select_for_update(of=("self",)).select_related("point", "standard").get(pk=problem.pk)
    if problem.supervision_card_id:
        raise IllegalTransition("该问题已升级为督办卡，不能重复下发。")
    if problem.status == ProblemStatus.CLOSED:
        raise IllegalTransition("该问题已销号，不能再升级为督办卡。")
    today = timezone.localdate()
    if deadline is None:
        deadline = workdays.add_working_days(max(problem.deadline or today, today), deadline_days(problem.severity))
    point = problem.point
    card = supervision_card_issue(
        actor=actor,
        title=(title or f"{point.name}：{problem.standard.text}")[:200],
        description=(
            f"点位：{point.code} {point.name}（{point.address or point.division}）\n"
            f"问题：{problem.description}\n"
            f"该问题已发现 {problem.occurrences} 次，返工 {problem.rework_count} 次"
            f"{'，为反弹问题' if problem.is_recurrence else ''}。"
        ),
        source=CardSource.INSPECTION,
        assignee_unit=card_unit_for(problem),
        deadline=deadline,
        requirement=requirement,
    )
    problem.supervision_card = card
    problem.save(update_fields=["supervision_card"])
    return card
