from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from campaigns import registry, selectors, services
from campaigns.choices import UnitKind
from campaigns.exports import export_filtered, wants_export
from campaigns.filtersets import TaskFilterSet, UnitFilterSet
from campaigns.forms import TaskForm, TaskProgressForm, ThrottledLoginForm
from campaigns.history import history_rows
from campaigns.models import Division, Unit
from campaigns.pages import error_text, filtered, service_errors
from campaigns.scoping import may_change
from campaigns.workflows import TASK_WORKFLOW


class LoginView(auth_views.LoginView):
    form_class = ThrottledLoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


@login_required
def plan_detail(request):
    tasks = selectors.tasks_visible_to(request.user)
    actions = selectors.actions_with_progress(tasks)
    plan = selectors.current_plan()
    return render(
        request,
        "campaigns/plan_detail.html",
        {
            "plan": plan,
            "actions": actions,
            "activities": selectors.activities_with_progress(tasks),
            "plan_progress": selectors.plan_progress(actions),
            "current_year": timezone.localdate().year,
        },
    )


@login_required
def division_list(request):
    divisions = Division.objects.all()
    return render(request, "campaigns/division_list.html", {"divisions": divisions})


@login_required
def division_detail(request, pk):
    division = get_object_or_404(Division, pk=pk)
    units = Unit.objects.filter(division=division).select_related("parent")
    tasks = selectors.tasks_visible_to(request.user).filter(lead_unit__division=division)
    return render(
        request,
        "campaigns/division_detail.html",
        {"division": division, "units": units, "totals": selectors.task_totals(tasks)},
    )


@login_required
def unit_list(request):
    filterset = UnitFilterSet(request.GET, queryset=selectors.units_visible_to(request.user))
    units, status = filtered(request, filterset)
    page = Paginator(units, 100).get_page(request.GET.get("page"))
    kind = filterset.form.cleaned_data.get("kind") if filterset.is_valid() else ""
    return render(
        request,
        "campaigns/unit_list.html",
        {
            "filter": filterset,
            "page": page,
            "kind": kind,
            "query": f"kind={kind}" if kind else "",
            "unit_kinds": UnitKind.choices,
            "history": history_rows(Unit, limit=20) if request.user.is_headquarters else None,
        },
        status=status,
    )


@login_required
def task_list(request):
    filterset = TaskFilterSet(request.GET, queryset=selectors.tasks_for_export(request.user), request=request)
    if wants_export(request):
        response = export_filtered(request, filterset, "tasks")
        if response is not None:
            return response
    tasks, status = filtered(request, filterset)
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    template = "campaigns/_task_table.html" if request.headers.get("HX-Request") else "campaigns/task_list.html"
    return render(request, template, {"filter": filterset, "page": page, "query": query.urlencode()}, status=status)


def _visible_task(request, pk):
    return get_object_or_404(selectors.tasks_visible_to(request.user).prefetch_related("co_units"), pk=pk)


@login_required
def task_detail(request, pk):
    task = _visible_task(request, pk)
    can_change = may_change(request.user, task.lead_unit.division_id, task.lead_unit_id)
    buttons = [move for move in TASK_WORKFLOW.allowed_actions(request.user, task) if move.button]
    transitions = task.transitions.select_related("actor")
    history = history_rows(task) if request.user.is_headquarters else None
    return render(
        request,
        "campaigns/task_detail.html",
        {"task": task, "can_change": can_change, "buttons": buttons, "transitions": transitions, "history": history},
    )


TASK_MOVES = {"close": (services.task_close, "任务已办结。"), "reopen": (services.task_reopen, "任务已重新打开。")}


@login_required
@require_POST
def task_move(request, pk, action):
    """Headquarters' buttons on the task page: close (办结) or reopen."""
    task = _visible_task(request, pk)
    perform, success = TASK_MOVES[action]
    with service_errors(request):
        perform(actor=request.user, task=task, note=request.POST.get("note", ""))
        messages.success(request, success)
    return redirect("task-detail", pk=task.pk)


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request, pk):
    task = _visible_task(request, pk)
    if not may_change(request.user, task.lead_unit.division_id, task.lead_unit_id):
        raise Http404
    headquarters = request.user.is_headquarters
    if headquarters:
        form = TaskForm(request.POST or None, instance=task)
    else:
        initial = {"done": task.done, "description": task.description}
        form = TaskProgressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not headquarters and data.get("done") is None:
            data["done"] = task.done
        with service_errors(request, form):
            # The service re-reads the stored row under a lock; the form only validated the input.
            task = services.task_update(actor=request.user, task=task, **data)
            messages.success(request, "任务已更新。")
            return redirect("task-detail", pk=task.pk)
    return render(request, "campaigns/task_form.html", {"form": form, "task": task})


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request):
    if not request.user.is_headquarters:
        raise Http404
    form = TaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        with service_errors(request, form):
            task = services.task_create(actor=request.user, **data)
            messages.success(request, "任务已创建。")
            return redirect("task-detail", pk=task.pk)
    return render(request, "campaigns/task_form.html", {"form": form, "task": None})


INBOX_SHOWN_PER_KIND = 100  # the most urgent of each kind; each kind's own inbox pages through all of them


@login_required
def inbox(request):
    """我的待办: what awaits the signed-in person in every app — supervision cards and problems side by side, overdue
    first, then by deadline — read through the registry, so this floor names no app above it."""
    return render(request, "campaigns/inbox.html", {"inbox": registry.inbox(request.user, INBOX_SHOWN_PER_KIND)})


def _notification_page(request, status=200):
    from campaigns.models import Notification

    notifications = Notification.objects.filter(recipient=request.user)
    if request.GET.get("unread"):
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "campaigns/notification_list.html", {"page": page}, status=status)


@login_required
def notification_list(request):
    return _notification_page(request)


@login_required
@require_http_methods(["POST"])
def notification_read(request):
    """Mark read: with no ``id``, every unread notice (全部标为已读); with ids, each chosen one, answered row by row
    (campaigns.bulk) — an id not the user's own is refused as 不存在. One id with a ``next`` opens its page (查看)."""
    from campaigns.bulk import parse_ids
    from campaigns.notifications import notification_mark_read, notifications_mark_read_many

    if "id" not in request.POST:
        notification_mark_read(user=request.user)
        messages.success(request, "全部通知已标为已读。")
        return redirect("notification-list")
    try:
        ids = parse_ids(request.POST.getlist("id"))
    except ValidationError as error:
        messages.error(request, error_text(error))
        return _notification_page(request, status=400)
    result = notifications_mark_read_many(user=request.user, notification_ids=ids)
    target = request.POST.get("next") or ""
    if len(ids) == 1 and result.done and target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    (messages.warning if result.refused else messages.success)(request, result.summary("标为已读"))
    return redirect("notification-list")


# --- large exports ---------------------------------------------------------------------------------------------------


def _own_export(request, pk):
    from campaigns.models import ExportJob

    return get_object_or_404(ExportJob, pk=pk, created_by=request.user)


@login_required
def export_job(request, pk):
    """A large export being built by the worker: its progress bar (polled by htmx) and, once done, the download."""
    job = _own_export(request, pk)
    template = "campaigns/_export_job.html" if request.headers.get("HX-Request") else "campaigns/export_job.html"
    return render(request, template, {"job": job})


@login_required
def export_job_download(request, pk):
    job = _own_export(request, pk)
    if job.status != job.Status.DONE or not job.file:
        raise Http404("导出文件尚未生成。")
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
