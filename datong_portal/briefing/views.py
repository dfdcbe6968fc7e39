"""The briefing page: every issue for download, the progress of one being built, and headquarters' (re)build form.

Headquarters asks and reads; district and unit officers read (the briefing is sent down to them). Supervisors, city
leaders and API readers have no page here.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.encoding import escape_uri_path

from campaigns.pages import service_errors
from datong_portal.briefing import services
from datong_portal.briefing.forms import BriefingRequestForm
from datong_portal.briefing.models import Briefing


def _require_reader(user):
    if not services.may_read(user):
        raise PermissionDenied("月度工作简报仅供指挥部和区县、单位创城办查阅。")


@login_required
def briefing_list(request):
    _require_reader(request.user)
    form = BriefingRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not services.may_request(request.user):
            raise PermissionDenied("只有指挥部可以编制月度工作简报。")
        if form.is_valid():
            with service_errors(request, form):
                briefing = services.briefing_request(period=form.cleaned_data["month"], actor=request.user)
                messages.success(request, f"{briefing}已排队编制，完成后即可下载。")
                return redirect("briefing-list")
        status = 400
    briefings = list(Briefing.objects.select_related("requested_by"))
    return render(
        request,
        "briefing/briefing_list.html",
        {"briefings": briefings, "form": form},
        status=status,
    )


@login_required
def briefing_progress(request, pk):
    """One issue's row: the page polls it (htmx) while the issue builds."""
    _require_reader(request.user)
    briefing = get_object_or_404(Briefing, pk=pk)
    return render(request, "briefing/_briefing_row.html", {"b": briefing})


@login_required
def briefing_download(request, pk):
    _require_reader(request.user)
    briefing = get_object_or_404(Briefing, pk=pk)
    if not briefing.pdf:
        raise Http404("该期简报尚未编制完成。")
    filename = f"大同创城工作简报{briefing.number}（{briefing.month:%Y-%m}）.pdf"
    response = FileResponse(briefing.pdf.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{escape_uri_path(filename)}"
    return response
