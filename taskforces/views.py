from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from campaigns.api.authentication import token_or_session_required
from campaigns.bulk import bulk_apply, parse_ids
from campaigns.exports import export_filtered, wants_export
from campaigns.history import history_rows, merged_history_rows
from campaigns.models import Task
from campaigns.pages import filtered, service_errors
from campaigns.pdf import pdf_response
from taskforces import periods, selectors, services
from taskforces.choices import REPORT_EDITABLE, ReportKind
from taskforces.filtersets import ReminderCardFilterSet, ReportFilterSet
from taskforces.forms import (
    AttachmentForm,
    ReminderCardEditForm,
    ReminderCardForm,
    ReportCalendarForm,
    ReportForm,
    ReturnForm,
    TaskForceForm,
    TaskForceGroupForm,
)
from taskforces.models import ReminderCard, ReportCalendar, ReportTransition, TaskForce, TaskForceGroup
from taskforces.workflows import REPORT_WORKFLOW, may_write_report


@login_required
def taskforce_list(request):
    task_forces = (
        TaskForce.objects.select_related("leader")
        .prefetch_related("liaison_divisions")
        .annotate(group_count=Count("groups", distinct=True), member_count=Count("members", distinct=True))
    )
    return render(request, "taskforces/taskforce_list.html", {"task_forces": task_forces})


@login_required
def taskforce_detail(request, pk):
    groups = TaskForceGroup.objects.select_related("leader__unit").prefetch_related("members__unit")
    task_force = get_object_or_404(
        TaskForce.objects.select_related("leader__unit").prefetch_related(
            "liaison_divisions", "members__unit", Prefetch("groups", queryset=groups)
        ),
        pk=pk,
    )
    return render(request, "taskforces/taskforce_detail.html", {"task_force": task_force})


# --- reminder cards ---------------------------------------------------------------------------------------------------


@login_required
def remindercard_list(request):
    filterset = ReminderCardFilterSet(
        request.GET, queryset=selectors.reminder_cards_visible_to(request.user), request=request
    )
    if wants_export(request):
        response = export_filtered(request, filterset, "reminder-cards")
        if response is not None:
            return response
    cards, status = filtered(request, filterset)
    page = Paginator(cards, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(
        request,
        "taskforces/remindercard_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def remindercard_create(request):
    if not request.user.is_headquarters:
        raise PermissionDenied("只有指挥部可以签发提示卡。")
    form = ReminderCardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(request, form):
            card = services.reminder_card_issue(actor=request.user, **form.cleaned_data)
            messages.success(request, f"已签发{card.number}。")
            return redirect("remindercard-detail", pk=card.pk)
    return render(request, "taskforces/remindercard_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def remindercard_edit(request, pk):
    if not request.user.is_headquarters:
        raise PermissionDenied("只有指挥部可以修改提示卡。")
    card = _visible_card(request, pk)
    form = ReminderCardEditForm(request.POST or None, instance=card)
    if request.method == "POST" and form.is_valid():
        with service_errors(request, form):
            card = services.reminder_card_update(actor=request.user, card=card, **form.cleaned_data)
            messages.success(request, f"已修改{card.number}。")
            return redirect("remindercard-detail", pk=card.pk)
    return render(request, "taskforces/remindercard_form.html", {"form": form, "card": card})


def _visible_card(request, pk):
    return get_object_or_404(
        selectors.reminder_cards_visible_to(request.user).prefetch_related("tasks__action", "tasks__lead_unit"), pk=pk
    )


@login_required
def remindercard_detail(request, pk):
    card = _visible_card(request, pk)
    holders = services.reminder_card_holders([card])
    reports = selectors.reports_visible_to(request.user).filter(
        Q(unit_id__in=[u for u, leader in holders if leader is None], leader__isnull=True)
        | Q(leader_id__in=[leader for _u, leader in holders if leader])
    )[:12]
    history = history_rows(card) if request.user.is_headquarters else None
    return render(
        request, "taskforces/remindercard_detail.html", {"card": card, "reports": reports, "history": history}
    )


@login_required
def remindercard_pdf(request, pk):
    card = _visible_card(request, pk)
    return pdf_response(
        "taskforces/remindercard_pdf.html", {"card": card}, filename=f"{card.number}.pdf", request=request
    )


# --- reports ----------------------------------------------------------------------------------------------------------


@login_required
def report_list(request):
    filterset = ReportFilterSet(request.GET, queryset=selectors.reports_visible_to(request.user), request=request)
    if wants_export(request):
        response = export_filtered(request, filterset, "reports")
        if response is not None:
            return response
    reports, status = filtered(request, filterset)
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(
        request,
        "taskforces/report_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "may_review": REPORT_WORKFLOW.move("accept").allowed(request.user, None),
        },
        status=status,
    )


@login_required
@require_http_methods(["POST"])
def report_bulk(request):
    """批量通过：the selected reports, each through ``report_accept`` and its checks; row by row, what was done."""
    back = request.POST.get("next", "")
    back = reverse("report-list") + (f"?{back}" if back else "")
    if request.POST.get("action") != "accept":
        messages.error(request, "不支持的批量操作。")
        return redirect(back)
    try:
        ids = parse_ids(request.POST.getlist("ids"))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect(back)
    result = bulk_apply(
        ids,
        queryset=selectors.reports_visible_to(request.user),
        action=lambda report: services.report_accept(actor=request.user, report=report),
        label=selectors.report_label,
    )
    (messages.warning if result.refused else messages.success)(request, result.summary("通过"))
    return redirect(back)


def _visible_report(request, pk):
    return get_object_or_404(
        selectors.reports_visible_to(request.user).prefetch_related(
            Prefetch("transitions", queryset=ReportTransition.objects.select_related("actor")), "attachments"
        ),
        pk=pk,
    )


def _holder_tasks(report):
    cards = ReminderCard.objects.filter(active=True)
    cards = (
        cards.filter(recipient_leader_id=report.leader_id)
        if report.leader_id
        else cards.filter(recipient_unit_id=report.unit_id)
    )
    return Task.objects.filter(reminder_cards__in=cards).distinct().order_by("action__no", "id")


def _report_page(request, report, *, form=None, return_form=None, status=200):
    can_write = may_write_report(request.user, report) and report.status in REPORT_EDITABLE
    actions = {move.action for move in REPORT_WORKFLOW.allowed_actions(request.user, report)}
    tasks = list(_holder_tasks(report))
    if form is None and can_write:
        form = ReportForm(
            initial={"summary": report.summary, "problems": report.problems, "next_plan": report.next_plan},
            tasks=tasks,
            figures=report.figures,
        )
    titles = {task.pk: task for task in tasks}
    figures = [{"task": titles.get(row.get("task")), **row} for row in report.figures or []]
    context = {
        "report": report,
        "form": form,
        "can_write": can_write,
        "can_review": "accept" in actions or "return" in actions,
        "return_form": return_form or ReturnForm(),
        "attachment_form": AttachmentForm(),
        "figures": figures,
        "period_display": periods.period_display(report.kind, report.period),
    }
    return render(request, "taskforces/report_detail.html", context, status=status)


@login_required
def report_detail(request, pk):
    return _report_page(request, _visible_report(request, pk))


@login_required
@require_http_methods(["POST"])
def report_edit(request, pk):
    report = _visible_report(request, pk)
    if not may_write_report(request.user, report):
        raise PermissionDenied("只有持卡单位或持卡领导本人可以填写报告。")
    form = ReportForm(request.POST, tasks=list(_holder_tasks(report)))
    if form.is_valid():
        with service_errors(request, form):
            if "submit" in request.POST:
                report = services.report_submit(actor=request.user, report=report, **form.report_fields())
                messages.success(request, "报告已报送。" + ("（迟报）" if report.is_late else ""))
            else:
                services.report_update(actor=request.user, report=report, **form.report_fields())
                messages.success(request, "草稿已保存。")
            return redirect("report-detail", pk=report.pk)
    return _report_page(request, _visible_report(request, pk), form=form, status=400)


@login_required
@require_http_methods(["POST"])
def report_review(request, pk):
    report = _visible_report(request, pk)
    if not request.user.is_headquarters:
        raise PermissionDenied("只有指挥部可以审核报告。")
    with service_errors(request):
        if request.POST.get("decision") == "accept":
            services.report_accept(actor=request.user, report=report, note=request.POST.get("note", ""))
            messages.success(request, "报告已通过。")
        else:
            return_form = ReturnForm(request.POST)
            if not return_form.is_valid():
                return _report_page(request, report, return_form=return_form, status=400)
            services.report_return(actor=request.user, report=report, reason=return_form.cleaned_data["reason"])
            messages.success(request, "报告已退回。")
    return redirect("report-detail", pk=report.pk)


@login_required
@require_http_methods(["POST"])
def report_attach(request, pk):
    report = _visible_report(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(form.errors.get("file", ["请选择要上传的文件。"])))
        return redirect("report-detail", pk=report.pk)
    with service_errors(request):
        services.report_attach(actor=request.user, report=report, upload=form.cleaned_data["file"])
        messages.success(request, "附件已上传。")
    return redirect("report-detail", pk=report.pk)


@token_or_session_required
def report_attachment(request, pk, attachment_pk):
    report = _visible_report(request, pk)
    attachment = get_object_or_404(report.attachments.all(), pk=attachment_pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


BOARD_COLUMNS = 6


@login_required
def report_board(request):
    """Headquarters' submission board: holders × the latest periods (on time, late, missing, returned)."""
    if not request.user.is_headquarters:
        raise PermissionDenied("只有指挥部可以查看报送看板。")
    kind = request.GET.get("kind") if request.GET.get("kind") in ReportKind.values else ReportKind.WEEKLY
    try:
        offset = max(0, min(int(request.GET.get("offset", "0")), 520))
    except ValueError:
        offset = 0
    labels = selectors.board_periods(kind, offset, columns=BOARD_COLUMNS, now=timezone.now())
    rows, labels = selectors.board_matrix(kind, labels, request.user)
    counts = selectors.board_counts(rows, labels)
    return render(
        request,
        "taskforces/report_board.html",
        {"kind": kind, "kinds": ReportKind.choices, "rows": rows, "counts": counts, "offset": offset},
    )


# --- 创城设置: task forces, their groups, the report calendar (headquarters only) -----------------------------------


def _headquarters_only(request):
    if not request.user.is_headquarters:
        raise PermissionDenied("只有指挥部可以进行创城设置。")


@login_required
def taskforce_setup(request):
    _headquarters_only(request)
    task_forces = TaskForce.objects.select_related("leader").prefetch_related("liaison_divisions", "groups")
    return render(request, "taskforces/setup/taskforce_list.html", {"task_forces": task_forces})


@login_required
@require_http_methods(["GET", "POST"])
def taskforce_edit(request, pk):
    _headquarters_only(request)
    task_force = get_object_or_404(TaskForce, pk=pk)
    initial = {
        "field": task_force.field,
        "leader": task_force.leader_id,
        "members": list(task_force.members.values_list("pk", flat=True)),
        "liaison_divisions": list(task_force.liaison_divisions.values_list("pk", flat=True)),
    }
    form = TaskForceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_errors(request, form):
            services.task_force_update(actor=request.user, task_force=task_force, **form.cleaned_data)
            messages.success(request, f"{task_force.name}已保存。")
            return redirect("taskforce-edit", pk=task_force.pk)
    groups = list(task_force.groups.select_related("leader").prefetch_related("members"))
    status = 400 if request.method == "POST" else 200
    history = merged_history_rows(task_force, *groups)  # the task force's edits and its groups'
    return render(
        request,
        "taskforces/setup/taskforce_form.html",
        {"task_force": task_force, "form": form, "groups": groups, "history": history},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def taskforce_group_edit(request, pk, group_pk=None):
    _headquarters_only(request)
    task_force = get_object_or_404(TaskForce, pk=pk)
    group = get_object_or_404(TaskForceGroup, pk=group_pk, task_force=task_force) if group_pk else None
    initial = {}
    if group is not None:
        initial = {
            "name": group.name,
            "responsibility": group.responsibility,
            "leader": group.leader_id,
            "members": list(group.members.values_list("pk", flat=True)),
        }
    form = TaskForceGroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_errors(request, form):
            services.task_force_group_save(actor=request.user, task_force=task_force, group=group, **form.cleaned_data)
            messages.success(request, "小组已保存。")
            return redirect("taskforce-edit", pk=task_force.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "taskforces/setup/group_form.html",
        {"task_force": task_force, "group": group, "form": form, "history": history_rows(group) if group else None},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_calendar_edit(request):
    _headquarters_only(request)
    calendar = ReportCalendar.current()
    form = ReportCalendarForm(request.POST or None, instance=calendar)
    if request.method == "POST" and form.is_valid():
        with service_errors(request, form):
            services.report_calendar_update(actor=request.user, **form.cleaned_data)
            messages.success(request, "报送日历已保存，此后开立的报告按新设置计算截止时间。")
            return redirect("report-calendar-edit")
        calendar.refresh_from_db()
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "taskforces/setup/report_calendar.html",
        {"form": form, "history": history_rows(calendar)},
        status=status,
    )
