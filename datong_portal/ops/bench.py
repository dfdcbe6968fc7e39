"""The floor the benchmark measures the portal against: a bare Django view, ``JsonResponse({"ok": True})``.

It goes through the same middleware, server and workers as every page, but reads no database, session or template,
so ``manage.py benchmark`` can state each call's requests per second as a share of it. It exists only where
``BENCH=1`` is set in the environment (datong_portal/urls.py mounts it then, and only then): in production, unless
someone enables it on purpose, the path is an ordinary 404. It answers nothing but ``{"ok": true}``.
"""

from django.http import JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def bare_view(request):
    return JsonResponse({"ok": True})
