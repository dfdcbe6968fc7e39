"""Headquarters sets up the campaign in the portal (not the admin): the unit tree, people and their roles, the plan's
phases and lead units, local working-day exceptions and the calendar's schedules.

Every page is headquarters' only (403 for anyone else signed in); each write goes through a service in
``campaigns.services`` and is answered by ``campaigns.pages.service_errors``. The records with django-simple-history
show their edit history under the form. The task forces and the report calendar are the ``taskforces`` app's set-up
pages; tasks are created and edited on the battle map's own pages.
"""

from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_celery_beat.models import PeriodicTask

from campaigns import services, workdays
from campaigns.choices import Role
from campaigns.forms import (
    LeadUnitForm,
    PersonForm,
    PersonInviteForm,
    PlanPhaseForm,
    ScheduleForm,
    UnitForm,
    WorkdayExceptionForm,
)
from campaigns.history import history_rows, merged_history_rows
from campaigns.models import (
    Division,
    ImprovementAction,
    PlanPhase,
    ThematicActivity,
    Unit,
    User,
    WorkdayException,
)
from campaigns.pages import service_errors


def headquarters_required(view):
    """Signed in (else the login page) and headquarters (else 403)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_headquarters:
            raise PermissionDenied("只有指挥部可以进行创城设置。")
        return view(request, *args, **kwargs)

    return wrapped


def _form_page(request, template, context, form):
    """Draw a form page; 400 when a posted form was refused, so a client sees that nothing was saved."""
    status = 400 if request.method == "POST" else 200
    return render(request, template, {**context, "form": form}, status=status)


@headquarters_required
def setup_home(request):
    return render(request, "campaigns/setup/home.html")


# --- units and the unit tree ----------------------------------------------------------------------------------------


def unit_tree(units) -> list[tuple[Unit, int]]:
    """Units in tree order (each followed by its children), with their depth."""
    units = list(units)
    ids = {unit.pk for unit in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id if unit.parent_id in ids else None, []).append(unit)
    rows, stack = [], [(unit, 0) for unit in reversed(children.get(None, []))]
    while stack:
        unit, depth = stack.pop()
        rows.append((unit, depth))
        stack += [(child, depth + 1) for child in reversed(children.get(unit.pk, []))]
    return rows


@headquarters_required
def unit_tree_page(request):
    units = Unit.objects.select_related("division").order_by("kind", "name")
    division = request.GET.get("division") or ""
    if division.isdigit():
        units = units.filter(Q(division_id=int(division)) | Q(division__isnull=True))
    return render(
        request,
        "campaigns/setup/unit_tree.html",
        {
            "rows": unit_tree(units),
            "divisions": Division.objects.all(),
            "division": division,
            "history": history_rows(Unit, limit=20),
        },
    )


@headquarters_required
@require_http_methods(["GET", "POST"])
def unit_create(request):
    form = UnitForm(request.POST or None, initial={"parent": request.GET.get("parent")})
    if request.method == "POST" and form.is_valid():
        with service_errors(request, form):
            unit = services.unit_create(actor=request.user, **form.cleaned_data)
            messages.success(request, f"已新建单位“{unit.name}”。")
            return redirect("setup-unit-edit", pk=unit.pk)
    return _form_page(request, "campaigns/setup/unit_form.html", {"unit": None}, form)


@headquarters_required
@require_http_methods(["GET", "POST"])
def unit_edit(request, pk):
    unit = get_object_or_404(Unit, pk=pk)
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        with service_errors(request, form):
            services.unit_update(actor=request.user, unit=unit, **form.cleaned_data)
            messages.success(request, "单位已保存。")
            return redirect("setup-unit-edit", pk=unit.pk)
        unit.refresh_from_db()  # the form wrote the refused values onto the instance
    context = {"unit": unit, "history": history_rows(unit), "people": unit.people.order_by("-is_active", "username")}
    return _form_page(request, "campaigns/setup/unit_form.html", context, form)


# --- people ---------------------------------------------------------------------------------------------------------


@headquarters_required
def person_list(request):
    people = User.objects.select_related("unit__division").order_by("-is_active", "unit__name", "username")
    query = (request.GET.get("q") or "").replace("\x00", "").strip()
    if query:
        people = people.filter(
            Q(username__icontains=query) | Q(display_name__icontains=query) | Q(unit__name__icontains=query)
        )
    role = request.GET.get("role") or ""
    if role in Role.values:
        people = people.filter(role=role)
    state = request.GET.get("state") or ""
    if state in ("active", "inactive"):
        people = people.filter(is_active=state == "active")
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "campaigns/setup/person_list.html",
        {
            "page": page,
            "q": query,
            "role": role,
            "state": state,
            "roles": Role.choices,
            "query": params.urlencode(),
            "history": history_rows(User, limit=20),
        },
    )


@headquarters_required
@require_http_methods(["GET", "POST"])
def person_invite(request):
    form = PersonInviteForm(request.POST or None, initial={"unit": request.GET.get("unit"), "role": Role.OFFICER})
    if request.method == "POST" and form.is_valid():
        with service_errors(request, form):
            person = services.person_invite(actor=request.user, **form.cleaned_data)
            messages.success(request, f"已开通账号 {person.username}，请将初始密码告知本人并提醒其登录后修改。")
            return redirect("setup-person-edit", pk=person.pk)
    return _form_page(request, "campaigns/setup/person_form.html", {"person": None}, form)


@headquarters_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = get_object_or_404(User.objects.select_related("unit"), pk=pk)
    initial = {name: getattr(person, name) for name in ("display_name", "role", "unit", "title", "phone", "email")}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_errors(request, form):
            services.person_update(actor=request.user, person=person, **form.cleaned_data)
            messages.success(request, "人员信息已保存。")
            return redirect("setup-person-edit", pk=person.pk)
    context = {"person": person, "history": history_rows(person)}
    return _form_page(request, "campaigns/setup/person_form.html", context, form)


@headquarters_required
@require_POST
def person_set_active(request, pk, active):
    person = get_object_or_404(User, pk=pk)
    with service_errors(request):
        services.person_set_active(actor=request.user, person=person, active=active)
        messages.success(request, f"账号 {person.username} 已{'启用' if active else '停用'}。")
    return redirect("setup-person-edit", pk=person.pk)


# --- the plan: phases, lead units -----------------------------------------------------------------------------------


@headquarters_required
def plan_setup(request):
    return render(
        request,
        "campaigns/setup/plan.html",
        {
            "phases": PlanPhase.objects.select_related("plan"),
            "actions": ImprovementAction.objects.select_related("lead_unit"),
            "activities": ThematicActivity.objects.select_related("lead_unit"),
            "units": Unit.objects.exclude(kind="community").order_by("kind", "name"),
            "history": merged_history_rows(PlanPhase, ImprovementAction, ThematicActivity),
        },
    )


@headquarters_required
@require_POST
def plan_phase_edit(request, pk):
    phase = get_object_or_404(PlanPhase, pk=pk)
    form = PlanPhaseForm(request.POST)
    if form.is_valid():
        with service_errors(request):
            services.plan_phase_update(actor=request.user, phase=phase, **form.cleaned_data)
            messages.success(request, f"{phase.year}年度阶段已保存。")
    else:
        messages.error(request, "请填写年度目标（100 字以内）和年度工作方案（200 字以内）。")
    return redirect("setup-plan")


LEAD_UNIT_MODELS = {"action": ImprovementAction, "activity": ThematicActivity}


@headquarters_required
@require_POST
def lead_unit_edit(request, kind, pk):
    record = get_object_or_404(LEAD_UNIT_MODELS[kind], pk=pk)
    form = LeadUnitForm(request.POST)
    if form.is_valid():
        with service_errors(request):
            services.lead_unit_set(actor=request.user, record=record, lead_unit=form.cleaned_data["lead_unit"])
            messages.success(request, f"“{record.name}”的牵头单位已保存。")
    else:
        messages.error(request, "所选单位不存在。")
    return redirect("setup-plan")


# --- working days ---------------------------------------------------------------------------------------------------


@headquarters_required
@require_http_methods(["GET", "POST"])
def workday_list(request):
    form = WorkdayExceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(request, form):
            exception = services.workday_exception_set(actor=request.user, **form.cleaned_data)
            messages.success(request, f"已设置：{exception}")
            return redirect("setup-workdays")
    today = timezone.localdate()
    exceptions = workdays.local_exceptions(today - timedelta(days=60), today + timedelta(days=120))
    upcoming = [today + timedelta(days=n) for n in range(21)]
    context = {
        "exceptions": WorkdayException.objects.all()[:200],
        "calendar": [(day, workdays.is_working_day(day, exceptions=exceptions), day in exceptions) for day in upcoming],
        "history": history_rows(WorkdayException, limit=20),
    }
    return _form_page(request, "campaigns/setup/workday_list.html", context, form)


@headquarters_required
@require_POST
def workday_remove(request, pk):
    exception = get_object_or_404(WorkdayException, pk=pk)
    with service_errors(request):
        services.workday_exception_remove(actor=request.user, exception=exception)
        messages.success(request, f"已删除调整：{exception}")
    return redirect("setup-workdays")


# --- the calendar's schedules (django-celery-beat) ------------------------------------------------------------------


def next_run(task, now):
    """When beat will next run ``task``: its schedule's estimate from its last run (or now); None when disabled."""
    if not task.enabled or task.crontab is None:
        return None
    remaining = task.crontab.schedule.remaining_estimate(task.last_run_at or now)
    return now + max(remaining, timedelta(0))


@headquarters_required
def schedule_list(request):
    now = timezone.now()
    tasks = PeriodicTask.objects.select_related("crontab").order_by("name")
    rows = [(task, next_run(task, now)) for task in tasks]
    return render(request, "campaigns/setup/schedule_list.html", {"rows": rows})


@headquarters_required
@require_http_methods(["GET", "POST"])
def schedule_edit(request, pk):
    task = get_object_or_404(PeriodicTask.objects.select_related("crontab"), pk=pk)
    crontab = task.crontab
    initial = {"enabled": task.enabled}
    if crontab is not None:
        initial.update(
            {
                name: getattr(crontab, name)
                for name in ("minute", "hour", "day_of_week", "day_of_month", "month_of_year")
            }
        )
    form = ScheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_errors(request, form):
            services.schedule_update(actor=request.user, task=task, **form.cleaned_data)
            messages.success(request, f"计划任务“{task.name}”已保存。")
            return redirect("setup-schedules")
    context = {"task": task, "next_run": next_run(task, timezone.now()), "history": history_rows(task)}
    return _form_page(request, "campaigns/setup/schedule_form.html", context, form)
