"""The cockpit's pages: the home page (驾驶舱, with each app's home panel below it) and the command-room screen (大屏).

Both read ``datong_portal/dashboard/cockpit.py`` for the scope the user may see; the screen then refreshes itself from
``GET /api/v1/dashboard/cockpit/`` (``static/js/screen.js``) without reloading.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import render

from campaigns import registry
from datong_portal.dashboard.cockpit import cockpit, cockpit_scope

#: How often the command-room screen refreshes, in seconds; ``?refresh=`` overrides it within these bounds.
SCREEN_REFRESH_SECONDS = 30
SCREEN_REFRESH_BOUNDS = (1, 3600)


@login_required
def home(request):
    scope = cockpit_scope(request.user, request.GET.get("division"))
    panels, panel_context = registry.home_panels(request)
    return render(
        request,
        "dashboard/cockpit.html",
        {"cockpit": cockpit(scope), "scope": scope, "home_panels": panels, **panel_context},
    )


@login_required
def screen(request):
    scope = cockpit_scope(request.user, request.GET.get("division"))
    raw = request.GET.get("refresh", "")
    if raw == "":
        refresh = SCREEN_REFRESH_SECONDS
    elif raw.isdigit() and SCREEN_REFRESH_BOUNDS[0] <= int(raw) <= SCREEN_REFRESH_BOUNDS[1]:
        refresh = int(raw)
    else:
        return HttpResponseBadRequest(
            "刷新间隔应为 1 到 3600 之间的整数秒。".encode(), content_type="text/plain; charset=utf-8"
        )
    return render(request, "dashboard/screen.html", {"cockpit": cockpit(scope), "scope": scope, "refresh": refresh})
