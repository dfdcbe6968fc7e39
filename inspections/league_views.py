"""The league table's and the circulars' pages (红黑榜): the table for a week or a month with ranks and movement, and what stands behind
one division's figures. Officers see their own division's row (with its rank in the city), like the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from campaigns import periods
from campaigns.errors import IllegalTransition, NotAllowed
from campaigns.league import district_rows
from campaigns.models import Division
from inspections import circulars as circulars_module
from inspections import league

PICKER_LENGTH = 12


def _period(request):
    """The ``?period=`` asked for (the running week by default) and an error message when it was malformed."""
    raw = request.GET.get("period", "")
    if raw:
        try:
            return periods.parse_period(raw), ""
        except ValidationError as error:
            return periods.current_period(periods.WEEK), "；".join(error.messages)
    return periods.current_period(periods.WEEK), ""


def _chart(rows) -> dict:
    labels = [row["division_name"] for row in rows]
    return {
        "labels": labels,
        "datasets": [
            {"label": "测评得分率 %", "data": [row["score_rate"] for row in rows], "backgroundColor": "#a4161a"},
            {
                "label": "按期销号率 %",
                "data": [row["on_time_closure_rate"] for row in rows],
                "backgroundColor": "#e5989b",
            },
            {
                "label": "报告按时率 %",
                "data": [row["report_punctuality"] for row in rows],
                "backgroundColor": "#386641",
            },
        ],
    }


def _links(row, period) -> dict:
    """Where each figure of a row leads: the records behind it, filtered to the division (and the period)."""
    division, label = row["division"], period.label
    return {
        "division": reverse("inspections-league-division", args=[division]) + "?" + urlencode({"period": label}),
        "visits": reverse("inspections-point-list") + "?" + urlencode({"division": division, "period": label}),
        "problems": reverse("inspections-problem-list") + "?" + urlencode({"division": division, "period": label}),
        "overdue": reverse("inspections-problem-list") + "?" + urlencode({"division": division, "overdue": "true"}),
        "cards": reverse("supervision-card-list") + "?" + urlencode({"division": division}),
        "reports": reverse("report-list") + "?" + urlencode({"division": division}),
        "volunteers": reverse("volunteer-statistics"),
    }


@login_required
def league_table(request):
    period, error = _period(request)
    user = request.user
    only = user.division_id if user.is_officer else None
    if user.is_officer and only is None:
        raise Http404
    rows = district_rows(list(Division.objects.all()), period, only=only)
    for row in rows:
        row["links"] = _links(row, period)
    return render(
        request,
        "inspections/league_table.html",
        {
            "period": period,
            "error": error,
            "rows": rows,
            "chart": _chart(rows),
            "weeks": periods.recent_periods(periods.WEEK, PICKER_LENGTH),
            "months": periods.recent_periods(periods.MONTH, PICKER_LENGTH),
        },
    )


@login_required
def league_division(request, pk):
    period, error = _period(request)
    divisions = Division.objects.all()
    if request.user.is_officer:
        divisions = divisions.filter(pk=request.user.division_id)
    division = get_object_or_404(divisions, pk=pk)
    return render(
        request,
        "inspections/league_division.html",
        {"division": division, "period": period, "error": error, **league.division_breakdown(division, period)},
    )


# --- circulars (通报) ------------------------------------------------------------------------------------------------


@login_required
def circular_list(request):
    circulars = circulars_module.circulars_visible_to(request.user)
    return render(request, "inspections/circular_list.html", {"circulars": circulars})


@login_required
def circular_detail(request, pk):
    circular = get_object_or_404(circulars_module.circulars_visible_to(request.user), pk=pk)
    return render(
        request,
        "inspections/circular_detail.html",
        {
            "circular": circular,
            "c": circular.content,
            "actions": circulars_module.CIRCULAR_WORKFLOW.allowed_actions(request.user, circular),
            "transitions": circular.transitions.select_related("actor"),
        },
    )


@login_required
@require_POST
def circular_publish(request, pk):
    circular = get_object_or_404(circulars_module.circulars_visible_to(request.user), pk=pk)
    if not request.user.is_headquarters:
        raise PermissionDenied("只有指挥部可以审核发布通报。")
    try:
        circulars_module.circular_publish(actor=request.user, circular=circular)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error
    except IllegalTransition as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"通报{circular.number}已发布，各单位已收到通知。")
    return redirect("inspections-circular-detail", pk=circular.pk)


@login_required
def circular_pdf(request, pk):
    """The compiled PDF, only to those who may see the circular (a draft: headquarters only)."""
    circular = get_object_or_404(circulars_module.circulars_visible_to(request.user), pk=pk)
    try:
        with circular.pdf.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, ValueError):  # no file stored (or lost): draw it again from the compiled content
        data = circulars_module.render_circular_pdf(circular)
    response = HttpResponse(data, content_type="application/pdf")
    name = f"创城工作通报{circular.number}.pdf"
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{escape_uri_path(name)}"
    response["Cache-Control"] = "private, no-store"
    return response
