"""The cockpit's pages: the home page (驾驶舱, with each app's home panel below it) and the command-room screen (大屏).

Both read ``datong_portal/dashboard/cockpit.py`` for the scope the user may see; the screen then refreshes itself from
``GET /api/v1/dashboard/cockpit/`` (``static/js/screen.js``) without reloading.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from campaigns import figures, registry
from datong_portal.dashboard.cockpit import cockpit, cockpit_scope

#: How often the command-room screen refreshes, in seconds; ``?refresh=`` overrides it within these bounds.
SCREEN_REFRESH_SECONDS = 30
SCREEN_REFRESH_BOUNDS = (1, 3600)


@login_required
def home(request):
    scope = cockpit_scope(request.user, request.GET.get("division"))
    key = (request.user.pk, scope.division_id or "city", scope.leader_id or "", scope.weeks)
    body = figures.kept("home-page", key, scope.now, lambda: _home_body(request, scope))
    return render(request, "dashboard/cockpit.html", {"scope": scope, "body": mark_safe(body)})  # noqa: S308


def _home_body(request, scope) -> str:
    """The cockpit and the person's home panels, rendered: what is kept for the next reads of the page (the figures
    inside are kept too; rendering them was most of the page's time)."""
    panels, panel_context = registry.home_panels(request)
    return render_to_string(
        "dashboard/_cockpit_body.html",
        {"cockpit": cockpit(scope), "scope": scope, "home_panels": panels, **panel_context},
        request=request,
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
