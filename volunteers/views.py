"""Thin HTML views over the same selectors, services and FilterSets as the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from campaigns.errors import IllegalTransition, NotAllowed
from campaigns.history import history_rows
from campaigns.pages import add_form_error, error_text, filtered, service_errors
from campaigns.pdf import pdf_response
from campaigns.scoping import divisions_visible_to, may_change
from volunteers import imports, privacy, public_rating, selectors, services
from volunteers.choices import RecordStatus
from volunteers.filtersets import (
    PracticeSiteFilterSet,
    ServiceRecordFilterSet,
    VolunteerFilterSet,
    VolunteerTeamFilterSet,
)
from volunteers.forms import (
    ImportForm,
    ProjectForm,
    PublicRatingForm,
    RecordForm,
    RejectForm,
    SiteEditForm,
    SiteForm,
    StarThresholdsForm,
    TeamEditForm,
    TeamForm,
    VolunteerEditForm,
    VolunteerForm,
)
from volunteers.models import ImportJob, PersonalDataAccess, ServiceProject, StarThreshold, TeamMembership
from volunteers.paging import Window
from volunteers.workflows import IMPORT_JOB_WORKFLOW, may_lead, may_organise


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return query.urlencode()


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


def _export_refused(request, queryset, status):
    """Whether an export of ``queryset`` is refused, with the reason as the page's message: filters that do not
    validate (``status`` from :func:`campaigns.pages.filtered`), or more rows than one file holds."""
    if status != 200:
        messages.error(request, "筛选条件有误，无法导出。")
        return True
    if queryset[imports.EXPORT_MAX_ROWS : imports.EXPORT_MAX_ROWS + 1].exists():
        messages.error(request, f"导出超过 {imports.EXPORT_MAX_ROWS} 条，请先缩小筛选范围。")
        return True
    return False


# --- volunteers ------------------------------------------------------------------------------------------------------


@login_required
def volunteer_list(request):
    filterset = VolunteerFilterSet(request.GET, queryset=selectors.volunteers_visible_to(request.user))
    volunteers, status = filtered(request, filterset)
    if request.GET.get("export") == "xlsx" and not _export_refused(request, volunteers, status):
        return _xlsx_response(imports.export_xlsx(*filterset.export_table(request.user)), "志愿者名单.xlsx")
    page = Window(volunteers, request.GET.get("page"), 50)
    return render(
        request,
        "volunteers/volunteer_list.html",
        {"filter": filterset, "page": page, "query": _query_without_page(request)},
        status=status,
    )


@login_required
@require_POST
def volunteer_export_unmasked(request):
    """The unmasked export: a separate action with a stated purpose, logged; rows the user may not read in full
    stay masked."""
    if not (request.user.is_headquarters or request.user.is_officer):
        raise PermissionDenied("您无权导出完整的个人信息。")
    purpose = (request.POST.get("purpose") or "").replace("\x00", "").strip()
    if not purpose:
        messages.error(request, "不打码导出须说明用途。")
        return redirect(f"{reverse('volunteer-list')}?{_query_without_page(request)}")
    filterset = VolunteerFilterSet(request.GET, queryset=selectors.volunteers_visible_to(request.user))
    volunteers, status = filtered(request, filterset)
    if _export_refused(request, volunteers, status):
        return redirect(f"{reverse('volunteer-list')}?{_query_without_page(request)}")
    privacy.log_access(
        user=request.user,
        via=PersonalDataAccess.Via.EXPORT,
        purpose=purpose,
        rows=volunteers.count(),
        query=_query_without_page(request),
    )
    headers, rows = filterset.export_table(request.user, revealed=True)
    return _xlsx_response(imports.export_xlsx(headers, rows), "志愿者名单（不打码）.xlsx")


@login_required
def personal_data_access_log(request):
    """Headquarters reads who revealed or exported whose personal data, when, how and why."""
    if not request.user.is_headquarters:
        raise PermissionDenied("只有指挥部可以查看个人信息查看记录。")
    page = Window(privacy.access_log_visible_to(request.user), request.GET.get("page"), 50)
    return render(request, "volunteers/personal_data_access.html", {"page": page, "query": ""})


def _visible_volunteer(request, pk):
    return get_object_or_404(selectors.volunteers_visible_to(request.user), pk=pk)


@login_required
def volunteer_detail(request, pk):
    """Personal data masked; a person with the right reveals it by POST (the reveal button), and the read is logged."""
    volunteer = _visible_volunteer(request, pk)
    may_reveal = privacy.may_read_personal_data(request.user, volunteer)
    revealed = request.method == "POST" and request.POST.get("reveal") == "1"
    if revealed:
        if not may_reveal:
            raise PermissionDenied("您无权查看该志愿者的完整身份证号和手机号。")
        privacy.log_access(user=request.user, via=PersonalDataAccess.Via.PAGE, volunteer=volunteer)
    records = volunteer.service_records.select_related("project__team").order_by("-date", "-id")[:50]
    teams = [m.team for m in TeamMembership.objects.filter(volunteer=volunteer).select_related("team")]
    thresholds = services.star_thresholds()
    next_star = next(((s, h) for s, h in sorted(thresholds.items()) if volunteer.confirmed_hours < h), None)
    return render(
        request,
        "volunteers/volunteer_detail.html",
        {
            "volunteer": volunteer,
            "records": records,
            "teams": teams,
            "next_star": next_star,
            "id_number": privacy.shown_id_number(request.user, volunteer, revealed=revealed),
            "phone": privacy.shown_phone(request.user, volunteer, revealed=revealed),
            "may_reveal": may_reveal and not revealed,
            "may_edit": may_change(request.user, volunteer.division_id, None),
            "may_register_records": request.user.is_headquarters or request.user.is_officer,
        },
    )


@login_required
def volunteer_certificate(request, pk):
    volunteer = _visible_volunteer(request, pk)
    confirmed = volunteer.service_records.filter(status=RecordStatus.CONFIRMED)
    projects = (
        confirmed.values("project__title", "project__team__name")
        .annotate(hours=Sum("hours"), times=Count("id"))
        .order_by("-hours")[:20]
    )
    today = timezone.localdate()
    number = f"DTZYZ{today:%Y%m%d}{volunteer.pk:08d}"
    return pdf_response(
        "volunteers/certificate.html",
        {
            "volunteer": volunteer,
            "id_number": privacy.mask_id_number(volunteer.id_number),
            "projects": projects,
            "first": confirmed.order_by("date").values_list("date", flat=True).first(),
            "last": volunteer.last_service_date,
            "number": number,
            "issued_on": today,
            "issuer": f"{volunteer.division.name}新时代文明实践中心",
        },
        filename=f"志愿服务证明-{volunteer.volunteer_no}.pdf",
        request=request,
    )


# --- import ------------------------------------------------------------------------------------------------------------


def _require_importer(user):
    if not IMPORT_JOB_WORKFLOW.may_create("create", user):
        raise PermissionDenied(IMPORT_JOB_WORKFLOW.move("create").refusal)


@login_required
def volunteer_import(request):
    _require_importer(request.user)
    if request.GET.get("template") in ("roster", "hours"):
        kind = request.GET["template"]
        name = "志愿者花名册模板.xlsx" if kind == "roster" else "服务时长表模板.xlsx"
        return _xlsx_response(imports.template_xlsx(kind), name)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(request, form):
            try:
                job = imports.job_create(
                    actor=request.user,
                    upload=form.cleaned_data["file"],
                    partial=form.cleaned_data["partial"],
                    kind=form.cleaned_data["kind"],
                )
            except imports.RosterFileError as error:
                form.add_error("file", error.message)
            else:
                imports.job_start(job)
                return redirect("volunteer-import-job", pk=job.pk)
    jobs = ImportJob.objects.filter(created_by=request.user)[:10]
    return render(
        request,
        "volunteers/import_form.html",
        {
            "form": form,
            "jobs": jobs,
            "columns": imports.ROSTER_COLUMNS,
            "hours_columns": imports.HOURS_COLUMNS,
            "async_rows": imports.ASYNC_ROWS,
        },
    )


def _own_job(request, pk):
    _require_importer(request.user)
    return get_object_or_404(ImportJob, pk=pk, created_by=request.user)


@login_required
def import_job(request, pk):
    job = _own_job(request, pk)
    template = "volunteers/_import_job.html" if request.headers.get("HX-Request") else "volunteers/import_job.html"
    return render(request, template, {"job": job, "progress": imports.job_progress(job)})


# --- practice sites, teams -------------------------------------------------------------------------------------------


@login_required
def site_tree(request):
    filterset = PracticeSiteFilterSet(request.GET, queryset=selectors.sites_visible_to(request.user))
    sites, status = filtered(request, filterset)
    division = filterset.form.cleaned_data.get("division") if filterset.is_valid() else None
    return render(
        request,
        "volunteers/site_tree.html",
        {
            "filter": filterset,
            "centres": selectors.site_tree(sites),
            "divisions": divisions_visible_to(request.user),
            "division": division,
            "may_maintain": request.user.is_headquarters or request.user.is_officer,
        },
        status=status,
    )


@login_required
def dormant_stations(request):
    stations = selectors.stations_dormant(request.user).order_by("division__code", "name")
    page = Window(stations, request.GET.get("page"), 100)
    return render(
        request,
        "volunteers/dormant_stations.html",
        {"page": page, "days": selectors.DORMANT_DAYS, "query": _query_without_page(request)},
    )


@login_required
def team_list(request):
    filterset = VolunteerTeamFilterSet(request.GET, queryset=selectors.teams_visible_to(request.user))
    teams, status = filtered(request, filterset)
    if request.GET.get("export") == "xlsx" and not _export_refused(request, teams, status):
        return _xlsx_response(imports.export_xlsx(*filterset.export_table(request.user)), "志愿服务队.xlsx")
    page = Window(teams, request.GET.get("page"), 50)
    return render(
        request,
        "volunteers/team_list.html",
        {"filter": filterset, "page": page, "query": _query_without_page(request)},
        status=status,
    )


@login_required
def team_detail(request, pk):
    team = get_object_or_404(selectors.teams_visible_to(request.user), pk=pk)
    members = (
        selectors.volunteers_visible_to(request.user).filter(memberships__team=team).order_by("-confirmed_hours", "-id")
    )
    page = Window(members, request.GET.get("page"), 50)
    projects = team.projects.order_by("-start_date")[:20]
    pending = (
        selectors.records_visible_to(request.user)
        .filter(project__team=team, status=RecordStatus.PENDING)
        .order_by("-date", "-id")[:20]
    )
    return render(
        request,
        "volunteers/team_detail.html",
        {
            "team": team,
            "page": page,
            "projects": projects,
            "pending": pending,
            "query": _query_without_page(request),
            "may_lead": may_lead(request.user, team),
            "may_edit": may_change(request.user, team.division_id, None),
        },
    )


# --- service records -------------------------------------------------------------------------------------------------


@login_required
def record_list(request):
    data = request.GET.copy()
    data.setdefault("status", RecordStatus.PENDING)
    filterset = ServiceRecordFilterSet(data, queryset=selectors.records_visible_to(request.user))
    records, status = filtered(request, filterset)
    if request.GET.get("export") == "xlsx" and not _export_refused(request, records, status):
        return _xlsx_response(imports.export_xlsx(*filterset.export_table(request.user)), "服务记录.xlsx")
    page = Window(records, request.GET.get("page"), 50)
    return render(
        request,
        "volunteers/record_list.html",
        {"filter": filterset, "page": page, "query": _query_without_page(request), "reject_form": RejectForm()},
        status=status,
    )


def _record_action(request, pk, action):
    """Confirm or reject one record. Asked by htmx (one tap on a phone), the row is drawn again in place with what
    happened — a refusal too, as htmx swaps only 200s; otherwise the page rule of campaigns/pages.py applies."""
    record = get_object_or_404(selectors.records_visible_to(request.user), pk=pk)
    in_place = bool(request.headers.get("HX-Request"))
    try:
        if action == "confirm":
            record = services.record_confirm(actor=request.user, record=record)
            done = f"已确认 {record.volunteer.name} {record.date} 的 {record.hours} 小时服务。"
        else:
            form = RejectForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors["reason"])
            record = services.record_reject(actor=request.user, record=record, reason=form.cleaned_data["reason"])
            done = f"已驳回 {record.volunteer.name} {record.date} 的服务记录。"
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error
    except (IllegalTransition, ValidationError) as error:
        if not in_place:
            messages.error(request, error_text(error))
            return redirect(_safe_next(request))
        record.refresh_from_db()
        return _record_row(request, record, row_error=error_text(error))
    if in_place:
        return _record_row(request, record, row_message=done)
    messages.success(request, done)
    return redirect(_safe_next(request))


def _record_row(request, record, **context):
    return render(request, "volunteers/_record_row.html", {"r": record, "next_url": _safe_next(request), **context})


@login_required
@require_POST
def record_confirm(request, pk):
    return _record_action(request, pk, "confirm")


@login_required
@require_POST
def record_reject(request, pk):
    return _record_action(request, pk, "reject")


# --- statistics ------------------------------------------------------------------------------------------------------


@login_required
def statistics(request):
    return render(request, "volunteers/statistics.html", selectors.volunteer_statistics(request.user))


@login_required
def star_thresholds(request):
    """Headquarters sets the hours for each star; every volunteer is re-rated at once."""
    if not request.user.is_headquarters:
        raise PermissionDenied("只有指挥部可以修改星级标准。")
    current = services.star_thresholds()
    form = StarThresholdsForm(request.POST or None, initial={f"star_{s}": h for s, h in current.items()})
    if request.method == "POST" and form.is_valid():
        try:
            services.star_thresholds_set(actor=request.user, thresholds=form.thresholds())
        except ValidationError as error:
            form.add_error(None, "；".join(error.messages))
        else:
            messages.success(request, "星级标准已更新，全部志愿者已按新标准重新评星。")
            return redirect("volunteer-star-thresholds")
    return render(request, "volunteers/star_thresholds.html", {"form": form, "history": history_rows(StarThreshold)})


# --- forms: register and edit by hand -----------------------------------------------------------------------------


def _require_maintainer(user):
    """Registering volunteers, teams, sites and records is for headquarters and officers (team leaders among them);
    the service then checks the division."""
    if not (user.is_headquarters or user.is_officer):
        raise PermissionDenied("只有指挥部和区县创城办（含服务队队长）可以登记志愿服务数据。")


def _form_page(request, form, *, title, submit, call, cancel_url, intro=""):
    """Draw ``form``; on a valid POST run ``call(cleaned_data)`` (a service call returning a redirect) under the page
    rule of campaigns/pages.py. Bad input and refusals draw the form again with a 400 and save nothing."""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with service_errors(request, form):
                return call(form.cleaned_data)
        status = 400
    return render(
        request,
        "volunteers/form_page.html",
        {"form": form, "title": title, "submit": submit, "cancel_url": cancel_url, "intro": intro},
        status=status,
    )


@login_required
def volunteer_create(request):
    _require_maintainer(request.user)
    form = VolunteerForm(request.POST or None, user=request.user)

    def register(data):
        volunteer = services.volunteer_register(
            actor=request.user,
            name=data["name"],
            id_number=data["id_number"],
            phone=data["phone"],
            division=data["division"],
            registered_at=data["registered_at"],
            teams=list(data["teams"]),
        )
        messages.success(request, f"已登记志愿者 {volunteer.name}，编号 {volunteer.volunteer_no}。")
        return redirect("volunteer-detail", pk=volunteer.pk)

    return _form_page(
        request, form, title="登记志愿者", submit="登记", call=register, cancel_url=reverse("volunteer-list")
    )


@login_required
def volunteer_edit(request, pk):
    volunteer = _visible_volunteer(request, pk)
    if not may_change(request.user, volunteer.division_id, None):
        raise PermissionDenied("只有指挥部或本区县创城办可以修改本区县的志愿者。")
    initial = {"name": volunteer.name, "teams": list(volunteer.teams.all())}
    form = VolunteerEditForm(request.POST or None, initial=initial, user=request.user, volunteer=volunteer)

    def update(data):
        services.volunteer_update(actor=request.user, volunteer=volunteer, **form.changes())
        messages.success(request, f"已保存志愿者 {volunteer.volunteer_no} 的信息。")
        return redirect("volunteer-detail", pk=volunteer.pk)

    intro = (
        f"身份证号 {privacy.mask_id_number(volunteer.id_number)}，手机号 {privacy.mask_phone(volunteer.phone)}。"
        "累计时长和星级由确认的服务记录得出，不能手工修改。"
    )
    return _form_page(
        request,
        form,
        title=f"修改志愿者：{volunteer.name}",
        submit="保存",
        call=update,
        cancel_url=reverse("volunteer-detail", args=[volunteer.pk]),
        intro=intro,
    )


@login_required
def team_create(request):
    _require_maintainer(request.user)
    form = TeamForm(request.POST or None, user=request.user)

    def create(data):
        team = services.team_create(
            actor=request.user,
            name=data["name"].strip(),
            division=data["division"],
            level=data["level"],
            practice_site=data["practice_site"],
            leader_name=data["leader_name"],
            service_field=data["service_field"],
        )
        messages.success(request, f"已建立服务队 {team.name}。")
        return redirect("volunteer-team-detail", pk=team.pk)

    return _form_page(
        request, form, title="新建志愿服务队", submit="建立", call=create, cancel_url=reverse("volunteer-team-list")
    )


@login_required
def team_edit(request, pk):
    team = get_object_or_404(selectors.teams_visible_to(request.user), pk=pk)
    if not may_change(request.user, team.division_id, None):
        raise PermissionDenied("只有指挥部或本区县创城办可以修改本区县的服务队。")
    fields = ("name", "level", "practice_site", "leader_name", "service_field")
    form = TeamEditForm(
        request.POST or None, initial={f: getattr(team, f) for f in fields}, user=request.user, team=team
    )

    def update(data):
        services.team_update(actor=request.user, team=team, **{f: data[f] for f in fields})
        messages.success(request, "服务队信息已保存。")
        return redirect("volunteer-team-detail", pk=team.pk)

    return _form_page(
        request,
        form,
        title=f"修改服务队：{team.name}",
        submit="保存",
        call=update,
        cancel_url=reverse("volunteer-team-detail", args=[team.pk]),
    )


@login_required
def site_edit(request, pk):
    site = get_object_or_404(selectors.sites_visible_to(request.user), pk=pk)
    if not may_change(request.user, site.division_id, None):
        raise PermissionDenied("只有指挥部或本区县创城办可以修改本区县的实践阵地。")
    fields = ("name", "address", "responsible_person", "responsible_phone")
    form = SiteEditForm(request.POST or None, initial={f: getattr(site, f) for f in fields})

    def update(data):
        services.site_update(actor=request.user, site=site, **{f: data[f] for f in fields})
        messages.success(request, "实践阵地信息已保存。")
        return redirect(f"{reverse('volunteer-site-tree')}?division={site.division_id}")

    return _form_page(
        request,
        form,
        title=f"修改{site.get_level_display()}：{site.name}",
        submit="保存",
        call=update,
        cancel_url=f"{reverse('volunteer-site-tree')}?division={site.division_id}",
        intro="阵地的层级、区县和上级阵地不在此修改。",
    )


@login_required
def site_create(request):
    _require_maintainer(request.user)
    form = SiteForm(request.POST or None, user=request.user)

    def create(data):
        site = services.site_create(
            actor=request.user,
            name=data["name"].strip(),
            level=data["level"],
            division=data["division"],
            parent=data["parent"],
            address=data["address"],
            responsible_person=data["responsible_person"],
            responsible_phone=data["responsible_phone"],
        )
        messages.success(request, f"已新增{site.get_level_display()}：{site.name}。")
        return redirect(f"{reverse('volunteer-site-tree')}?division={site.division_id}")

    return _form_page(
        request, form, title="新增文明实践阵地", submit="新增", call=create, cancel_url=reverse("volunteer-site-tree")
    )


@login_required
def project_create(request, team_pk):
    team = get_object_or_404(selectors.teams_visible_to(request.user), pk=team_pk)
    if not may_lead(request.user, team):
        raise PermissionDenied("只有指挥部、本区县创城办或服务队队长可以发布项目。")
    form = ProjectForm(request.POST or None, team=team)

    def create(data):
        project = services.project_create(actor=request.user, team=team, **data)
        messages.success(request, f"已发布项目 {project.title}。")
        return redirect("volunteer-team-detail", pk=team.pk)

    return _form_page(
        request,
        form,
        title=f"发布服务项目：{team.name}",
        submit="发布",
        call=create,
        cancel_url=reverse("volunteer-team-detail", args=[team.pk]),
    )


@login_required
def project_edit(request, pk):
    project = get_object_or_404(selectors.projects_visible_to(request.user), pk=pk)
    if not may_organise(request.user, project):
        raise PermissionDenied("只有指挥部、本区县创城办或服务队队长可以修改项目。")
    fields = ("title", "start_date", "end_date", "place", "capacity", "practice_site")
    form = ProjectForm(request.POST or None, initial={f: getattr(project, f) for f in fields}, team=project.team)

    def update(data):
        services.project_update(actor=request.user, project=project, **data)
        messages.success(request, f"项目 {data['title']} 已保存。")
        return redirect("volunteer-team-detail", pk=project.team_id)

    return _form_page(
        request,
        form,
        title=f"修改服务项目：{project.title}",
        submit="保存",
        call=update,
        cancel_url=reverse("volunteer-team-detail", args=[project.team_id]),
    )


@login_required
def record_create(request):
    _require_maintainer(request.user)
    initial = {"volunteer_no": request.GET.get("volunteer", "")[:20], "date": timezone.localdate()}
    form = RecordForm(request.POST or None, initial=initial, user=request.user)

    def create(data):
        record = services.record_create(
            actor=request.user,
            volunteer=data["volunteer"],
            project=data["project"],
            date=data["date"],
            start_time=data["start_time"],
            end_time=data["end_time"],
        )
        messages.success(
            request, f"已登记 {record.volunteer.name} {record.date} 的 {record.hours} 小时服务，待项目组织方确认。"
        )
        return redirect("volunteer-detail", pk=record.volunteer_id)

    return _form_page(
        request,
        form,
        title="登记服务记录",
        submit="登记",
        call=create,
        cancel_url=reverse("volunteer-record-list"),
        intro="服务时长按开始、结束时间计算，不含路途时间；登记后由服务队队长或创城办确认。",
    )


@login_required
@require_POST
def record_bulk_confirm(request):
    """Confirm the ticked records at once: each through the same service and check as one tap; the page lists, row by
    row, what was confirmed and what was refused and why."""
    raw = request.POST.getlist("records")
    if not raw or not all(value.isascii() and value.isdigit() and len(value) < 12 for value in raw):
        messages.error(request, "请先勾选要确认的服务记录。")
        return redirect(_safe_next(request))
    with service_errors(request):
        results = services.record_confirm_many(actor=request.user, record_ids=raw)
        done = sum(1 for row in results if row["done"])
        return render(
            request,
            "volunteers/record_bulk_result.html",
            {"results": results, "done": done, "refused": len(results) - done, "back": _safe_next(request)},
        )
    return redirect(_safe_next(request))


@login_required
@require_POST
def record_bulk_reject(request):
    """Reject the ticked records at once with one reason: each through the same service and check as the single
    reject; the page lists, row by row, what was rejected and what was refused and why."""
    raw = request.POST.getlist("records")
    if not raw or not all(value.isascii() and value.isdigit() and len(value) < 12 for value in raw):
        messages.error(request, "请先勾选要驳回的服务记录。")
        return redirect(_safe_next(request))
    context = {"back": _safe_next(request), "verb": "驳回"}
    try:
        results = services.record_reject_many(actor=request.user, record_ids=raw, reason=request.POST.get("reason", ""))
    except ValidationError as error:  # the batch as a whole (no reason, too many rows): nothing was rejected
        return render(
            request, "volunteers/record_bulk_result.html", {**context, "error": error_text(error)}, status=400
        )
    done = sum(1 for row in results if row["done"])
    return render(
        request,
        "volunteers/record_bulk_result.html",
        {**context, "results": results, "done": done, "refused": len(results) - done},
    )


def _safe_next(request) -> str:
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return next_url
    return reverse("volunteer-record-list")


# --- the public rating link and its printable card ----------------------------------------------------------------


@login_required
def project_rating_card(request, pk):
    """The printable card: the project, the three answers, the QR code of its public rating link (SVG, drawn here)."""
    import segno

    project = get_object_or_404(selectors.projects_visible_to(request.user), pk=pk)
    if not may_organise(request.user, project):
        raise PermissionDenied("只有项目组织方（服务队队长、本区县创城办或指挥部）可以打印评价二维码。")
    url = public_rating.public_url(project)
    qr = segno.make(url, error="m")
    return render(
        request,
        "volunteers/rating_card.html",
        {
            "project": project,
            "url": url,
            "qr_svg": qr.svg_data_uri(scale=6, border=2),
            "ratings": project.ratings.count(),
            "satisfied": project.ratings.filter(satisfied=True).count(),
        },
    )


def _public_page(request, template, context, status=200, device=None):
    response = render(request, template, context, status=status)
    if device is not None:
        public_rating.set_device_cookie(response, device)
    return response


@never_cache
def public_rate(request, token):
    """A resident rates a project: no sign-in, nothing personal asked (volunteers/public_rating.py says what holds a
    script back)."""
    try:
        project_id = public_rating.project_id_from(token)
    except public_rating.LinkExpired:
        return _public_page(request, "volunteers/rating_refused.html", {"reason": "评价链接已过期。"}, 410)
    except public_rating.LinkInvalid:
        return _public_page(request, "volunteers/rating_refused.html", {"reason": "评价链接无效。"}, 404)
    project = ServiceProject.objects.select_related("team", "division").filter(pk=project_id).first()
    if project is None:
        return _public_page(request, "volunteers/rating_refused.html", {"reason": "该服务项目不存在。"}, 404)
    device = public_rating.device_id(request)
    fresh = None if device else public_rating.new_device_id()
    context = {"project": project}
    if request.method != "POST":
        context["form"] = PublicRatingForm()
        return _public_page(request, "volunteers/rating_public.html", context, device=fresh)
    if public_rating.is_limited(request):
        reason = "提交过于频繁，请稍后再试。"
        return _public_page(request, "volunteers/rating_refused.html", {"reason": reason}, 429, device=fresh)
    form = PublicRatingForm(request.POST)
    context["form"] = form
    if device is None:
        form.add_error(None, "请重新打开评价页面后提交（需要允许浏览器保存 Cookie）。")
        return _public_page(request, "volunteers/rating_public.html", context, 400, device=fresh)
    if not form.is_valid():
        return _public_page(request, "volunteers/rating_public.html", context, 400)
    try:
        services.rating_from_resident(
            project=project,
            answer=form.cleaned_data["answer"],
            comment=form.cleaned_data["comment"],
            device=public_rating.device_digest(device),
        )
    except services.AlreadyRated as error:
        return _public_page(request, "volunteers/rating_thanks.html", {**context, "repeat": error.message}, 409)
    except ValidationError as error:
        add_form_error(form, error)
        return _public_page(request, "volunteers/rating_public.html", context, 400)
    return _public_page(request, "volunteers/rating_thanks.html", context)
