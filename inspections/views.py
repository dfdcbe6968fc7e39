"""Thin pages over the same services and selectors the API uses."""

import uuid
from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_http_methods, require_POST

from campaigns.errors import IllegalTransition, NotAllowed
from campaigns.exports import export_filtered, wants_export
from campaigns.pages import filtered
from inspections import imports, selectors, services
from inspections.choices import Aspect, Outcome, ProblemAction
from inspections.filtersets import PointFilterSet, ProblemFilterSet
from inspections.forms import (
    DispatchForm,
    PointForm,
    PointImportForm,
    RaiseCardForm,
    RecheckForm,
    RectifyForm,
    RoundForm,
    StandardForm,
)
from inspections.models import PointCategory, Standard
from inspections.workflows import PROBLEM_WORKFLOW


def _error_text(error) -> str:
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return error.message


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, _error_text(error))


def _page(request, queryset, size=50):
    page = Paginator(queryset, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return page, query.urlencode()


# --- points -----------------------------------------------------------------------------------------------------


@login_required
def point_list(request):
    visible = selectors.points_with_open_problems(selectors.points_visible_to(request.user))
    filterset = PointFilterSet(request.GET, queryset=visible, request=request)
    points, status = filtered(request, filterset)
    page, query = _page(request, points)
    template = "inspections/_point_table.html" if request.headers.get("HX-Request") else "inspections/point_list.html"
    return render(
        request,
        template,
        {"filter": filterset, "page": page, "query": query, "may_edit": services.may_edit_points(request.user)},
        status=status,
    )


@login_required
def point_export(request):
    filterset = PointFilterSet(request.GET, queryset=selectors.points_visible_to(request.user), request=request)
    if not filterset.is_valid():
        return HttpResponseBadRequest("筛选条件有误，无法导出。", content_type="text/plain; charset=utf-8")
    points = filterset.qs
    response = HttpResponse(
        imports.export_points(points),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"点位{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(name)}"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def point_import(request):
    if not services.may_edit_points(request.user):
        raise PermissionDenied("只有指挥部或区县创城办可以导入点位。")
    form = PointImportForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            outcome = imports.import_points(
                actor=request.user, content=upload.read(imports.MAX_BYTES + 1), partial=form.cleaned_data["partial"]
            )
        except imports.PointFileError as error:
            form.add_error("file", error.message)
        else:
            if outcome["errors"] and not form.cleaned_data["partial"]:
                messages.error(request, f"发现 {len(outcome['errors'])} 处错误，未导入任何点位。请修改后重新上传。")
            else:
                messages.success(request, f"导入完成：新增 {outcome['created']} 个，更新 {outcome['updated']} 个。")
    return render(
        request, "inspections/point_import.html", {"form": form, "outcome": outcome, "columns": imports.COLUMNS}
    )


@login_required
def point_detail(request, pk):
    point = get_object_or_404(selectors.points_visible_to(request.user), pk=pk)
    return render(
        request,
        "inspections/point_detail.html",
        {
            "point": point,
            "visits": list(selectors.inspections_visible_to(request.user).filter(point=point)[:10]),
            "problems": list(
                selectors.overdue_first(selectors.problems_visible_to(request.user).filter(point=point))[:20]
            ),
            "may_edit": services.may_edit_points(request.user, point.division_id),
            "may_inspect": services.may_inspect(request.user),
        },
    )


def _point_form_page(request, point=None):
    initial = None
    if point is not None:
        initial = {name: getattr(point, name) for name in PointForm.base_fields}
    form = PointForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if point is None:
                point = services.point_create(actor=request.user, **form.cleaned_data)
            else:
                point = services.point_update(actor=request.user, point=point, **form.cleaned_data)
        except NotAllowed as error:
            raise PermissionDenied(error.message) from error
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"点位“{point.name}”已保存。")
            return redirect("inspections-point-detail", pk=point.pk)
    return render(request, "inspections/point_form.html", {"form": form, "point": point})


@login_required
@require_http_methods(["GET", "POST"])
def point_create(request):
    if not services.may_edit_points(request.user):
        raise PermissionDenied("只有指挥部或区县创城办可以新增点位。")
    return _point_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def point_edit(request, pk):
    point = get_object_or_404(selectors.points_visible_to(request.user), pk=pk)
    if not services.may_edit_points(request.user, point.division_id):
        raise PermissionDenied("只有指挥部或本区县创城办可以修改点位。")
    return _point_form_page(request, point)


# --- checklists -------------------------------------------------------------------------------------------------


@login_required
def checklist_list(request):
    return render(request, "inspections/checklist_list.html", {"categories": selectors.checklists()})


def _grouped(standards):
    labels = dict(Aspect.choices)
    groups = OrderedDict((label, []) for label in labels.values())
    for standard in standards:
        groups[labels.get(standard.aspect, standard.aspect)].append(standard)
    return [(label, rows) for label, rows in groups.items() if rows]


@login_required
@require_http_methods(["GET", "POST"])
def checklist_detail(request, pk):
    category = get_object_or_404(PointCategory, pk=pk)
    may_edit = services.may_edit_checklists(request.user)
    form = StandardForm(request.POST or None)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("只有指挥部可以修改测评标准。")
        if form.is_valid():
            try:
                services.standard_create(actor=request.user, category=category, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, "测评标准已添加。")
                return redirect("inspections-checklist-detail", pk=category.pk)
    standards = category.standards.all() if may_edit else category.standards.filter(is_active=True)
    return render(
        request,
        "inspections/checklist_detail.html",
        {"category": category, "groups": _grouped(standards), "form": form, "may_edit": may_edit},
    )


@login_required
@require_http_methods(["GET", "POST"])
def standard_edit(request, pk):
    if not services.may_edit_checklists(request.user):
        raise PermissionDenied("只有指挥部可以修改测评标准。")
    standard = get_object_or_404(Standard.objects.select_related("category"), pk=pk)
    initial = {name: getattr(standard, name) for name in StandardForm.base_fields}
    form = StandardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.standard_update(actor=request.user, standard=standard, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "测评标准已修改；已完成的测评仍按当时的标准计分。")
            return redirect("inspections-checklist-detail", pk=standard.category_id)
    return render(request, "inspections/standard_form.html", {"form": form, "standard": standard})


# --- rounds -----------------------------------------------------------------------------------------------------


@login_required
def round_list(request):
    page, query = _page(request, selectors.rounds_visible_to(request.user))
    return render(
        request,
        "inspections/round_list.html",
        {"page": page, "query": query, "may_plan": services.may_plan_rounds(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    if not services.may_plan_rounds(request.user):
        raise PermissionDenied("只有指挥部可以安排测评轮次。")
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_plan(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"测评轮次“{round_.name}”已安排，共 {round_.points.count()} 个点位。")
            return redirect("inspections-round-detail", pk=round_.pk)
    return render(request, "inspections/round_form.html", {"form": form})


@login_required
def round_detail(request, pk):
    round_ = get_object_or_404(selectors.rounds_visible_to(request.user), pk=pk)
    points = selectors.points_visible_to(request.user).filter(rounds=round_)
    visited = set(
        selectors.inspections_visible_to(request.user).filter(round=round_).values_list("point_id", flat=True)
    )
    return render(
        request,
        "inspections/round_detail.html",
        {
            "round": round_,
            "results": selectors.round_results(round_, request.user),
            "points": points,
            "visited": visited,
            "may_inspect": services.may_inspect(request.user),
        },
    )


# --- visits -----------------------------------------------------------------------------------------------------


def _visit_rows(request, standards):
    """The form's rows back as the service's results: only the standards the supervisor marked."""
    values = {"passed": True, "failed": False, "na": None}
    rows = []
    for standard in standards:
        choice = request.POST.get(f"result_{standard.pk}", "")
        if choice not in values:
            continue
        rows.append(
            {
                "standard": standard.pk,
                "passed": values[choice],
                "note": request.POST.get(f"note_{standard.pk}", ""),
                "photos": request.FILES.getlist(f"photo_{standard.pk}"),
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def visit_form(request, pk):
    """The supervisor's phone form. static/js/inspection-visit.js keeps a draft on the device until it is sent."""
    if not services.may_inspect(request.user):
        raise PermissionDenied("只有指挥部和督导组可以录入测评结果。")
    point = get_object_or_404(selectors.points_visible_to(request.user).filter(is_active=True), pk=pk)
    round_id = request.GET.get("round") or request.POST.get("round") or ""
    round_ = None
    if round_id.isdigit():
        round_ = selectors.rounds_visible_to(request.user).filter(pk=int(round_id), points=point).first()
    standards = list(point.category.standards.filter(is_active=True).order_by("position", "id"))
    error = None
    if request.method == "POST":
        try:
            inspection = services.inspection_record(
                actor=request.user,
                point=point,
                round=round_,
                results=_visit_rows(request, standards),
                note=request.POST.get("note", ""),
                client_key=request.POST.get("client_key") or None,
            )
        except ValidationError as err:
            error = _error_text(err)
        else:
            messages.success(
                request, f"测评已提交，得分率 {inspection.score_rate if inspection.score_rate is not None else '—'}%。"
            )
            response = redirect("inspections-visit-detail", pk=inspection.pk)
            response["Location"] += f"?sent={point.pk}-{round_.pk if round_ else 0}"
            return response
    return render(
        request,
        "inspections/visit_form.html",
        {
            "point": point,
            "round": round_,
            "groups": _grouped(standards),
            "client_key": request.POST.get("client_key") or uuid.uuid4().hex,
            "draft_key": f"inspection-draft:{point.pk}-{round_.pk if round_ else 0}",
            "error": error,
            "posted": request.POST,
        },
    )


@login_required
def visit_detail(request, pk):
    inspection = get_object_or_404(
        selectors.inspections_with_results(selectors.inspections_visible_to(request.user)), pk=pk
    )
    results = list(inspection.results.all())
    sent = request.GET.get("sent", "")
    return render(
        request,
        "inspections/visit_detail.html",
        {
            "inspection": inspection,
            "results": results,
            "failed": [r for r in results if r.outcome == Outcome.FAILED],
            "clear_draft": f"inspection-draft:{sent}" if sent else "",
        },
    )


# --- problems ---------------------------------------------------------------------------------------------------


@login_required
def problem_list(request):
    filterset = ProblemFilterSet(request.GET, queryset=selectors.problems_visible_to(request.user), request=request)
    if wants_export(request):
        response = export_filtered(request, filterset, "problems")
        if response is not None:
            return response
    problems, status = filtered(request, filterset)
    page, query = _page(request, problems)
    template = (
        "inspections/_problem_table.html" if request.headers.get("HX-Request") else "inspections/problem_list.html"
    )
    return render(
        request,
        template,
        {"filter": filterset, "page": page, "query": query, "totals": selectors.problem_totals(filterset.queryset)},
        status=status,
    )


@login_required
def problem_inbox(request):
    page, query = _page(request, selectors.problem_inbox(request.user))
    return render(request, "inspections/problem_inbox.html", {"page": page, "query": query})


def _visible_problem(request, pk):
    return get_object_or_404(selectors.problems_with_history(selectors.problems_visible_to(request.user)), pk=pk)


@login_required
def problem_detail(request, pk):
    problem = _visible_problem(request, pk)
    actions = {move.action for move in PROBLEM_WORKFLOW.allowed_actions(request.user, problem)}
    transitions = list(problem.transitions.all())
    for move in transitions:
        move.label = PROBLEM_WORKFLOW.move(move.action).label
    return render(
        request,
        "inspections/problem_detail.html",
        {
            "problem": problem,
            "transitions": transitions,
            "findings": list(problem.findings.all()),
            "can_dispatch": ProblemAction.DISPATCH in actions,
            "can_rectify": ProblemAction.RECTIFY in actions,
            "can_recheck": ProblemAction.CLOSE in actions,
            "can_raise_card": services.may_raise_card(request.user)
            and not problem.supervision_card_id
            and problem.status != "closed",
            "dispatch_form": DispatchForm(initial={"responsible_unit": problem.responsible_unit_id}),
            "rectify_form": RectifyForm(),
            "recheck_form": RecheckForm(),
            "raise_card_form": RaiseCardForm(),
            "default_deadline": services.default_deadline(problem.severity),
        },
    )


def _act(request, pk, form_class, perform, success):
    """Run one move from the problem page; refusals come back as a message on the page."""
    problem = _visible_problem(request, pk)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, "；".join(errors) or "提交的内容无效。")
        return redirect("inspections-problem-detail", pk=problem.pk)
    try:
        perform(problem, form.cleaned_data)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error
    except (IllegalTransition, ValidationError) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, success)
    return redirect("inspections-problem-detail", pk=problem.pk)


@login_required
@require_POST
def problem_dispatch(request, pk):
    return _act(
        request,
        pk,
        DispatchForm,
        lambda problem, data: services.problem_dispatch(actor=request.user, problem=problem, **data),
        "问题已派发。",
    )


@login_required
@require_POST
def problem_rectify(request, pk):
    return _act(
        request,
        pk,
        RectifyForm,
        lambda problem, data: services.problem_rectify(
            actor=request.user, problem=problem, feedback=data["feedback"], photos=data["photos"]
        ),
        "整改情况已反馈，等待复核。",
    )


@login_required
@require_POST
def problem_recheck(request, pk):
    return _act(
        request,
        pk,
        RecheckForm,
        lambda problem, data: services.problem_recheck(
            actor=request.user, problem=problem, approved=data["decision"] == "close", comment=data["comment"]
        ),
        "复核意见已提交。",
    )


@login_required
@require_POST
def problem_raise_card(request, pk):
    return _act(
        request,
        pk,
        RaiseCardForm,
        lambda problem, data: services.problem_raise_card(actor=request.user, problem=problem, **data),
        "已升级为督办卡。",
    )


@login_required
def photo(request, pk):
    """Serve a photo only to someone who may see its point; everyone else gets 404."""
    item = get_object_or_404(selectors.photos_visible_to(request.user), pk=pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=item.content_type)
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{escape_uri_path(item.original_name or 'photo')}"
    response["Cache-Control"] = "private, max-age=3600"
    return response
