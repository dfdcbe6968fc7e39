"""Every write that matters in the volunteer network: keyword-only, atomic, checked, counters kept in step.

The dashboard's counters change by increments inside each write (``volunteers/stats.py``): a service adds what it
created (``stats.add``) or the difference between an object's contribution before and after its change
(``stats.apply(stats.difference(...))``). Nothing here counts a division's rows.
"""

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.errors import IllegalTransition, NotAllowed
from campaigns.history import recorded_as
from campaigns.pages import error_text
from campaigns.scoping import may_change
from volunteers import idcard, selectors, stats
from volunteers.choices import ANSWER_SCORE, PARENT_LEVEL, RaterKind, RecordStatus, SiteLevel
from volunteers.models import (
    PracticeSite,
    Rating,
    ServiceProject,
    ServiceRecord,
    StarThreshold,
    TeamMembership,
    Volunteer,
    VolunteerTeam,
)
from volunteers.workflows import SERVICE_RECORD_WORKFLOW, may_lead

DEFAULT_STAR_HOURS = {1: 100, 2: 300, 3: 600, 4: 1000, 5: 1500}


# --- stars -------------------------------------------------------------------------------------------------------


def star_thresholds() -> dict[int, int]:
    """{star: min hours}; the rows headquarters edits, else the defaults from the reference data."""
    rows = dict(StarThreshold.objects.values_list("star", "min_hours"))
    return rows or dict(DEFAULT_STAR_HOURS)


def star_for(hours, thresholds: dict[int, int] | None = None) -> int:
    thresholds = thresholds or star_thresholds()
    earned = [star for star, minimum in thresholds.items() if Decimal(hours) >= minimum]
    return max(earned, default=0)


@transaction.atomic
def star_thresholds_set(*, actor, thresholds: dict[int, int]) -> None:
    """Change the star thresholds and re-rate every volunteer (one UPDATE with a CASE)."""
    if not actor.is_headquarters:
        raise NotAllowed("只有指挥部可以修改星级标准。")
    values = [int(thresholds[s]) for s in range(1, 6)]
    if any(v <= 0 for v in values) or values != sorted(set(values)):
        raise ValidationError("星级标准应为逐级递增的正整数小时数。")
    with recorded_as(actor):  # update_or_create saves rows the service never holds: name the actor around it
        for star, minimum in zip(range(1, 6), values, strict=True):
            StarThreshold.objects.update_or_create(star=star, defaults={"min_hours": minimum})
    from django.db.models import Case, Value, When

    whens = [
        When(confirmed_hours__gte=m, then=Value(s)) for s, m in reversed(list(zip(range(1, 6), values, strict=True)))
    ]
    Volunteer.objects.update(star=Case(*whens, default=Value(0)))


# --- sites and teams ---------------------------------------------------------------------------------------------


def _require_division_manager(actor, division_id):
    if not may_change(actor, division_id, None):
        raise NotAllowed("只有指挥部或本区县创城办可以维护本区县的志愿服务数据。")


@transaction.atomic
def site_create(
    *, actor, name: str, level: str, division, parent=None, address="", responsible_person="", responsible_phone=""
):
    _require_division_manager(actor, division.pk)
    expected_parent = PARENT_LEVEL.get(level)
    if level == SiteLevel.CENTRE and parent is not None:
        raise ValidationError({"parent": ["实践中心没有上级阵地。"]})
    if expected_parent and (parent is None or parent.level != expected_parent or parent.division_id != division.pk):
        raise ValidationError({"parent": ["上级阵地应为本区县的上一级阵地（中心→所→站）。"]})
    site = PracticeSite.objects.create(
        name=name,
        level=level,
        division=division,
        parent=parent,
        address=address,
        responsible_person=responsible_person,
        responsible_phone=responsible_phone,
    )
    stats.add(site)
    return site


@transaction.atomic
def team_create(
    *,
    actor,
    name: str,
    division,
    level="community",
    practice_site=None,
    leader_name="",
    leader_user=None,
    service_field="",
):
    _require_division_manager(actor, division.pk)
    if practice_site is not None and practice_site.division_id != division.pk:
        raise ValidationError({"practice_site": ["实践阵地不在该区县。"]})
    if VolunteerTeam.objects.filter(name=name).exists():
        raise ValidationError({"name": ["已有同名服务队。"]})
    try:
        with transaction.atomic():  # a savepoint: a twin created meanwhile is the unique key's to refuse
            team = VolunteerTeam.objects.create(
                name=name,
                division=division,
                level=level,
                practice_site=practice_site,
                leader_name=leader_name,
                leader_user=leader_user,
                service_field=service_field,
            )
    except IntegrityError:
        raise ValidationError({"name": ["已有同名服务队。"]}) from None
    stats.add(team)
    return team


# Edits never move a site, team or project to another division nor a site to another level or parent: the division's
# counters stay as they are, so these services touch no counter.


@transaction.atomic
def site_update(*, actor, site: PracticeSite, name: str, address="", responsible_person="", responsible_phone=""):
    """Change a site's name, address and responsible person (its level and place in the tree stay)."""
    _require_division_manager(actor, site.division_id)
    site = PracticeSite.objects.select_for_update().get(pk=site.pk)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": ["请填写阵地名称。"]})
    if PracticeSite.objects.filter(division_id=site.division_id, name=name).exclude(pk=site.pk).exists():
        raise ValidationError({"name": ["本区县已有同名阵地。"]})
    site.name, site.address = name, address
    site.responsible_person, site.responsible_phone = responsible_person, responsible_phone
    try:
        with transaction.atomic():  # a twin named meanwhile is the unique key's to refuse
            site.save(update_fields=["name", "address", "responsible_person", "responsible_phone"])
    except IntegrityError:
        raise ValidationError({"name": ["本区县已有同名阵地。"]}) from None
    return site


@transaction.atomic
def team_update(
    *, actor, team: VolunteerTeam, name: str, level: str, practice_site=None, leader_name="", service_field=""
):
    """Change a team's name, level, site, leader's name and field (its division stays)."""
    _require_division_manager(actor, team.division_id)
    team = VolunteerTeam.objects.select_for_update().get(pk=team.pk)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": ["请填写服务队名称。"]})
    if practice_site is not None and practice_site.division_id != team.division_id:
        raise ValidationError({"practice_site": ["实践阵地不在该区县。"]})
    if VolunteerTeam.objects.filter(name=name).exclude(pk=team.pk).exists():
        raise ValidationError({"name": ["已有同名服务队。"]})
    team.name, team.level, team.practice_site = name, level, practice_site
    team.leader_name, team.service_field = leader_name, service_field
    try:
        with transaction.atomic():
            team.save(update_fields=["name", "level", "practice_site", "leader_name", "service_field"])
    except IntegrityError:
        raise ValidationError({"name": ["已有同名服务队。"]}) from None
    return team


def _team_recount(team_ids) -> None:
    for team_id in set(team_ids):
        VolunteerTeam.objects.filter(pk=team_id).update(
            members_count=TeamMembership.objects.filter(team_id=team_id).count()
        )


# --- volunteers --------------------------------------------------------------------------------------------------

PHONE_DIGITS = 11


def validate_phone(value: str) -> str:
    phone = (value or "").strip()
    if len(phone) != PHONE_DIGITS or not phone.isdigit() or phone[0] != "1":
        raise ValidationError("手机号应为以1开头的11位数字。", code="phone")
    return phone


def volunteer_number(division, pk: int) -> str:
    return f"DT{division.code}{pk:08d}"


@transaction.atomic
def volunteer_register(
    *, actor, name: str, id_number: str, phone: str, division, registered_at: date | None = None, teams=()
):
    _require_division_manager(actor, division.pk)
    name = (name or "").strip()
    errors = {}
    if not name or len(name) > 50:
        errors["name"] = ["请填写姓名（不超过50字）。"]
    try:
        id_number = idcard.validate_id_number(id_number)
    except ValidationError as error:
        errors["id_number"] = error.messages
    try:
        phone = validate_phone(phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    if "id_number" not in errors and Volunteer.objects.filter(id_number=id_number).exists():
        errors["id_number"] = ["该身份证号已注册。"]
    for team in teams:
        if team.division_id != division.pk:
            errors["teams"] = ["服务队不在该区县。"]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():  # a savepoint: a twin registered meanwhile is the unique key's to refuse
            volunteer = Volunteer.objects.create(
                volunteer_no=f"T{id_number}",
                name=name,
                gender=idcard.gender_of(id_number),
                birth_date=idcard.birth_date_of(id_number),
                id_number=id_number,
                phone=phone,
                division=division,
                registered_at=registered_at or timezone.localdate(),
            )
    except IntegrityError:
        raise ValidationError({"id_number": ["该身份证号已注册。"]}) from None
    volunteer.volunteer_no = volunteer_number(division, volunteer.pk)
    volunteer.save(update_fields=["volunteer_no"])
    if teams:
        TeamMembership.objects.bulk_create(
            [TeamMembership(team=t, volunteer=volunteer, joined_at=volunteer.registered_at) for t in teams]
        )
        _team_recount([t.pk for t in teams])
    stats.add(volunteer)
    return volunteer


@transaction.atomic
def volunteer_update(*, actor, volunteer: Volunteer, **changes):
    """Change a volunteer's name, phone, ID number, division or teams (hours and star are never set by hand)."""
    _require_division_manager(actor, volunteer.division_id)
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    old_division = volunteer.division_id
    counted_before = stats.contribution(volunteer)
    errors = {}
    if "name" in changes:
        name = (changes["name"] or "").strip()
        if not name or len(name) > 50:
            errors["name"] = ["请填写姓名（不超过50字）。"]
        volunteer.name = name
    if "phone" in changes:
        try:
            volunteer.phone = validate_phone(changes["phone"])
        except ValidationError as error:
            errors["phone"] = error.messages
    if "id_number" in changes:
        try:
            number = idcard.validate_id_number(changes["id_number"])
            if Volunteer.objects.filter(id_number=number).exclude(pk=volunteer.pk).exists():
                errors["id_number"] = ["该身份证号已注册。"]
            volunteer.id_number = number
            volunteer.birth_date = idcard.birth_date_of(number)
            volunteer.gender = idcard.gender_of(number)
        except ValidationError as error:
            errors["id_number"] = error.messages
    if "division" in changes and changes["division"].pk != old_division:
        _require_division_manager(actor, changes["division"].pk)
        volunteer.division = changes["division"]
    if "registered_at" in changes and changes["registered_at"]:
        volunteer.registered_at = changes["registered_at"]
    if errors:
        raise ValidationError(errors)
    volunteer.save()
    if "teams" in changes:
        teams = list(changes["teams"])
        if any(t.division_id != volunteer.division_id for t in teams):
            raise ValidationError({"teams": ["服务队不在该区县。"]})
        before = set(TeamMembership.objects.filter(volunteer=volunteer).values_list("team_id", flat=True))
        after = {t.pk for t in teams}
        TeamMembership.objects.filter(volunteer=volunteer, team_id__in=before - after).delete()
        TeamMembership.objects.bulk_create(
            [TeamMembership(team_id=t, volunteer=volunteer, joined_at=timezone.localdate()) for t in after - before]
        )
        _team_recount(before ^ after)
    stats.apply(stats.difference(counted_before, stats.contribution(volunteer)))
    return volunteer


@transaction.atomic
def volunteer_recompute_hours(*, volunteer: Volunteer) -> Volunteer:
    """Rebuild a volunteer's confirmed hours and star from their confirmed records (used by repairs and admin)."""
    from django.db.models import Max, Sum

    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)  # confirmations of theirs wait
    counted_before = stats.contribution(volunteer)
    totals = ServiceRecord.objects.filter(volunteer=volunteer, status=RecordStatus.CONFIRMED).aggregate(
        hours=Sum("hours"), last=Max("date")
    )
    volunteer.confirmed_hours = totals["hours"] or Decimal("0")
    volunteer.last_service_date = totals["last"]
    volunteer.star = star_for(volunteer.confirmed_hours)
    volunteer.save(update_fields=["confirmed_hours", "last_service_date", "star"])
    stats.apply(stats.difference(counted_before, stats.contribution(volunteer)))
    return volunteer


# --- projects, records, ratings ----------------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    actor,
    team: VolunteerTeam,
    title: str,
    start_date: date,
    end_date: date,
    place="",
    capacity=20,
    practice_site=None,
):
    if not may_lead(actor, team):
        raise NotAllowed("只有指挥部、本区县创城办或服务队队长可以发布项目。")
    if end_date < start_date:
        raise ValidationError({"end_date": ["结束日期不能早于开始日期。"]})
    if practice_site is None:
        practice_site = team.practice_site
    project = ServiceProject.objects.create(
        title=title,
        team=team,
        division_id=team.division_id,
        practice_site=practice_site,
        start_date=start_date,
        end_date=end_date,
        place=place,
        capacity=capacity,
    )
    stats.add(project)
    return project


@transaction.atomic
def project_update(
    *,
    actor,
    project: ServiceProject,
    title: str,
    start_date: date,
    end_date: date,
    place="",
    capacity=20,
    practice_site=None,
):
    """Change a project's title, dates, place, capacity and site; its records must still fall within its dates."""
    if not may_lead(actor, project.team):
        raise NotAllowed("只有指挥部、本区县创城办或服务队队长可以修改项目。")
    project = ServiceProject.objects.select_for_update().get(pk=project.pk)
    if end_date < start_date:
        raise ValidationError({"end_date": ["结束日期不能早于开始日期。"]})
    if practice_site is not None and practice_site.division_id != project.division_id:
        raise ValidationError({"practice_site": ["实践阵地不在该区县。"]})
    outside = ServiceRecord.objects.filter(project=project).exclude(date__range=(start_date, end_date))
    if outside.exists():
        raise ValidationError({"start_date": ["已有服务记录的日期不在新的起止日期内。"]})
    project.title, project.start_date, project.end_date = title, start_date, end_date
    project.place, project.capacity = place, capacity
    project.practice_site = practice_site or project.team.practice_site
    project.save(update_fields=["title", "start_date", "end_date", "place", "capacity", "practice_site"])
    return project


def service_hours(start: time, end: time) -> Decimal:
    minutes = (datetime.combine(date.min, end) - datetime.combine(date.min, start)).total_seconds() / 60
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@transaction.atomic
def record_create(
    *, actor, volunteer: Volunteer, project: ServiceProject, date: date, start_time: time, end_time: time
):
    """Register a stint (pending). Hours are end − start; a stint overlapping another of the volunteer is refused."""
    # The workflow says who organises the project; behind the API's scoped fields, a volunteer outside the actor's
    # scope does not exist for them (defence in depth for the pages and imports).
    SERVICE_RECORD_WORKFLOW.check_creation("register", actor=actor, obj=ServiceRecord(project=project))
    if not selectors.volunteers_visible_to(actor).filter(pk=volunteer.pk).exists():
        raise ValidationError({"volunteer": ["志愿者不存在。"]})
    if end_time <= start_time:
        raise ValidationError({"end_time": ["结束时间应晚于开始时间。"]})
    if date > timezone.localdate():
        raise ValidationError({"date": ["服务日期不能晚于今天。"]})
    if not (project.start_date <= date <= project.end_date):
        raise ValidationError({"date": ["服务日期不在项目起止日期内。"]})
    # Lock the volunteer so two overlapping stints registered at once cannot both pass the check.
    Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()
    clash = (
        ServiceRecord.objects.filter(volunteer=volunteer, date=date)
        .exclude(status=RecordStatus.REJECTED)
        .filter(start_time__lt=end_time, end_time__gt=start_time)
        .first()
    )
    if clash is not None:
        # Another district's record is not the actor's to read: say only that there is a clash.
        if selectors.records_visible_to(actor).filter(pk=clash.pk).exists():
            message = f"与该志愿者 {clash.date} {clash.start_time:%H:%M}-{clash.end_time:%H:%M} 的服务记录时间重叠。"
        else:
            message = "与该志愿者当天的另一条服务记录时间重叠。"
        raise ValidationError({"start_time": [message]})
    record = ServiceRecord.objects.create(
        volunteer=volunteer,
        project=project,
        division_id=project.division_id,
        date=date,
        start_time=start_time,
        end_time=end_time,
        hours=service_hours(start_time, end_time),
        status=RecordStatus.PENDING,
    )
    SERVICE_RECORD_WORKFLOW.record_creation(record, "register", actor=actor)
    return record


def _decide(actor, record: ServiceRecord | int, action: str, reason: str = "") -> ServiceRecord:
    # The engine locks the record only (of=self): confirmations in the same project must not queue behind each other.
    # The project and its team come in the same query, for the organiser rule, and so does the actor's scope: a record
    # the actor may not see raises NotVisible (a 404), with no query of its own.
    record = SERVICE_RECORD_WORKFLOW.lock(
        record, related=["project__team"], among=selectors.records_visible_to(actor, by_key=True)
    )
    record.decided_by = actor
    record.decided_at = timezone.now()
    record.reject_reason = reason
    SERVICE_RECORD_WORKFLOW.apply(
        record,
        action,
        actor=actor,
        note=reason,
        at=record.decided_at,
        update_fields=["decided_by", "decided_at", "reject_reason"],
    )
    return record


@transaction.atomic
def record_confirm(*, actor, record: ServiceRecord | int) -> ServiceRecord:
    """Confirm a stint (the record or its key): the volunteer's hours grow, the star follows, the dashboard's counter
    with it. A record outside the actor's scope raises ``NotVisible``.

    Locks only what it changes: the record, the volunteer, and — when the volunteer's first hours make them active —
    their division's counter row, for the instant of ``UPDATE … SET with_service_hours = with_service_hours + 1``."""
    record = _decide(actor, record, "confirm")
    volunteer = Volunteer.objects.select_for_update().get(pk=record.volunteer_id)
    counted_before = stats.contribution(volunteer)
    volunteer.confirmed_hours += record.hours
    volunteer.star = star_for(volunteer.confirmed_hours)
    if volunteer.last_service_date is None or record.date > volunteer.last_service_date:
        volunteer.last_service_date = record.date
    volunteer.save(update_fields=["confirmed_hours", "star", "last_service_date"])
    stats.apply(stats.difference(counted_before, stats.contribution(volunteer)))
    record.volunteer = volunteer
    return record


BULK_MAX_ROWS = 200


def record_confirm_many(*, actor, record_ids) -> list[dict]:
    """Confirm many stints at once, each through :func:`record_confirm` in its own transaction with its own checks:
    one refusal does not undo the others. Returns one line per asked id, in the order asked:
    ``{"id", "record" (None when not visible), "done", "message"}``."""
    ids = list(dict.fromkeys(int(i) for i in record_ids))
    if len(ids) > BULK_MAX_ROWS:
        raise ValidationError(f"一次最多确认 {BULK_MAX_ROWS} 条记录。")
    visible = selectors.records_visible_to(actor).in_bulk(ids)
    results = []
    for record_id in ids:
        record = visible.get(record_id)
        if record is None:
            results.append({"id": record_id, "record": None, "done": False, "message": "记录不存在或无权查看。"})
            continue
        try:
            record = record_confirm(actor=actor, record=record)
        except (NotAllowed, IllegalTransition, ValidationError) as error:
            results.append({"id": record_id, "record": record, "done": False, "message": error_text(error)})
        else:
            results.append(
                {"id": record_id, "record": record, "done": True, "message": f"已确认 {record.hours} 小时。"}
            )
    return results


@transaction.atomic
def record_reject(*, actor, record: ServiceRecord | int, reason: str = "") -> ServiceRecord:
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise ValidationError({"reason": ["驳回原因不超过200字。"]})
    return _decide(actor, record, "reject", reason)


def record_reject_many(*, actor, record_ids, reason: str) -> list[dict]:
    """Reject many stints with one reason, each through :func:`record_reject` in its own transaction with its own
    checks: one refusal does not undo the others. The reason is required for a batch (the volunteers each see it).
    Returns one line per asked id, in the order asked, as :func:`record_confirm_many` does."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["批量驳回须填写驳回原因。"]})
    if len(reason) > 200:
        raise ValidationError({"reason": ["驳回原因不超过200字。"]})
    ids = list(dict.fromkeys(int(i) for i in record_ids))
    if len(ids) > BULK_MAX_ROWS:
        raise ValidationError(f"一次最多驳回 {BULK_MAX_ROWS} 条记录。")
    visible = selectors.records_visible_to(actor).in_bulk(ids)
    results = []
    for record_id in ids:
        record = visible.get(record_id)
        if record is None:
            results.append({"id": record_id, "record": None, "done": False, "message": "记录不存在或无权查看。"})
            continue
        try:
            record = record_reject(actor=actor, record=record, reason=reason)
        except (NotAllowed, IllegalTransition, ValidationError) as error:
            results.append({"id": record_id, "record": record, "done": False, "message": error_text(error)})
        else:
            results.append({"id": record_id, "record": record, "done": True, "message": f"已驳回：{reason}"})
    return results


@transaction.atomic
def rating_add(
    *, project: ServiceProject, rater_kind: str, score: int, answer="", comment="", device="", rated_on=None
) -> Rating:
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationError({"score": ["评分应为1到5的整数。"]})
    rating = Rating.objects.create(
        project=project,
        division_id=project.division_id,
        rater_kind=rater_kind,
        score=score,
        satisfied=score >= 4,
        answer=answer,
        comment=comment,
        device=device,
        rated_on=rated_on,
    )
    stats.add(rating)
    return rating


class AlreadyRated(ValidationError):
    """This device has rated this project today already."""


def rating_from_resident(*, project: ServiceProject, answer: str, comment: str = "", device: str) -> Rating:
    """A served resident's answer through the public link: one per device per project per day (the unique key
    decides, so two taps at once still count once). ``device`` is a digest, never anything personal."""
    if answer not in ANSWER_SCORE:
        raise ValidationError({"answer": ["请选择满意、基本满意或不满意。"]})
    comment = (comment or "").replace("\x00", "").strip()
    if len(comment) > 200:
        raise ValidationError({"comment": ["意见建议不超过200字。"]})
    if not device:
        raise ValidationError("请从评价页面提交。")
    today = timezone.localdate()
    if Rating.objects.filter(project=project, device=device, rated_on=today).exists():
        raise AlreadyRated("您今天已经评价过这个项目，感谢您的参与！")
    try:
        with transaction.atomic():  # a savepoint: a twin from the same device meanwhile is the unique key's to refuse
            return rating_add(
                project=project,
                rater_kind=RaterKind.RESIDENT,
                score=ANSWER_SCORE[answer],
                answer=answer,
                comment=comment,
                device=device,
                rated_on=today,
            )
    except IntegrityError:
        raise AlreadyRated("您今天已经评价过这个项目，感谢您的参与！") from None


def satisfaction_rate(ratings: int, satisfied: int) -> float:
    return round(satisfied * 100 / ratings, 1) if ratings else 0.0


def activity_rate(registered: int, active: int) -> float:
    return round(active * 100 / registered, 1) if registered else 0.0
