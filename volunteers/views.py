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
from django.views.decorators.http import require_POST

from campaigns.history import history_rows
from campaigns.pages import service_errors
from campaigns.pdf import pdf_response
from campaigns.scoping import divisions_visible_to
from volunteers import imports, privacy, selectors, services
from volunteers.choices import RecordStatus
from volunteers.filtersets import (
    PracticeSiteFilterSet,
    ServiceRecordFilterSet,
    VolunteerFilterSet,
    VolunteerTeamFilterSet,
)
from volunteers.forms import ImportForm, RejectForm, StarThresholdsForm
from volunteers.models import ImportJob, PersonalDataAccess, StarThreshold, TeamMembership
from volunteers.paging import Window
from volunteers.workflows import IMPORT_JOB_WORKFLOW


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return query.urlencode()


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


def _export_too_large(request, queryset):
    if queryset[imports.EXPORT_MAX_ROWS : imports.EXPORT_MAX_ROWS + 1].exists():
        messages.error(request, f"导出超过 {imports.EXPORT_MAX_ROWS} 条，请先缩小筛选范围。")
        return True
    return False


# --- volunteers ------------------------------------------------------------------------------------------------------


@login_required
def volunteer_list(request):
    filterset = VolunteerFilterSet(request.GET, queryset=selectors.volunteers_visible_to(request.user))
    volunteers = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    if request.GET.get("export") == "xlsx" and not _export_too_large(request, volunteers):
        return _xlsx_response(imports.export_xlsx(*filterset.export_table(request.user)), "志愿者名单.xlsx")
    page = Window(volunteers, request.GET.get("page"), 50)
    return render(
        request,
        "volunteers/volunteer_list.html",
        {"filter": filterset, "page": page, "query": _query_without_page(request)},
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
    volunteers = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    if _export_too_large(request, volunteers):
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
    sites = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    division = filterset.form.cleaned_data.get("division") if filterset.is_valid() else None
    return render(
        request,
        "volunteers/site_tree.html",
        {"centres": selectors.site_tree(sites), "divisions": divisions_visible_to(request.user), "division": division},
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
    teams = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    if request.GET.get("export") == "xlsx":
        return _xlsx_response(imports.export_xlsx(*filterset.export_table(request.user)), "志愿服务队.xlsx")
    page = Window(teams, request.GET.get("page"), 50)
    return render(
        request, "volunteers/team_list.html", {"filter": filterset, "page": page, "query": _query_without_page(request)}
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
        {"team": team, "page": page, "projects": projects, "pending": pending, "query": _query_without_page(request)},
    )


# --- service records -------------------------------------------------------------------------------------------------


@login_required
def record_list(request):
    data = request.GET.copy()
    data.setdefault("status", RecordStatus.PENDING)
    filterset = ServiceRecordFilterSet(data, queryset=selectors.records_visible_to(request.user))
    records = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    if request.GET.get("export") == "xlsx" and not _export_too_large(request, records):
        return _xlsx_response(imports.export_xlsx(*filterset.export_table(request.user)), "服务记录.xlsx")
    page = Window(records, request.GET.get("page"), 50)
    return render(
        request,
        "volunteers/record_list.html",
        {"filter": filterset, "page": page, "query": _query_without_page(request), "reject_form": RejectForm()},
    )


def _record_action(request, pk, action):
    record = get_object_or_404(selectors.records_visible_to(request.user), pk=pk)
    with service_errors(request):
        if action == "confirm":
            record = services.record_confirm(actor=request.user, record=record)
            messages.success(request, f"已确认 {record.volunteer.name} {record.date} 的 {record.hours} 小时服务。")
        else:
            form = RejectForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors["reason"])
            reason = form.cleaned_data["reason"]
            record = services.record_reject(actor=request.user, record=record, reason=reason)
            messages.info(request, f"已驳回 {record.volunteer.name} {record.date} 的服务记录。")
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect(reverse("volunteer-record-list"))


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
