import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse

SESSION_STARTED = "_portal_started"
SESSION_SEEN = "_portal_seen"


class SecurityHeadersMiddleware:
    """Content-Security-Policy and the headers Django's SecurityMiddleware does not set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(self), microphone=()")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body exceeds ``REQUEST_MAX_BYTES`` with a 413, before anything reads it.

    Sits before CSRF and sessions: CsrfViewMiddleware reads a POST's form, which would spool the whole body to disk.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.REQUEST_MAX_BYTES
        if length > limit:
            message = f"请求内容过大（超过 {limit // (1024 * 1024)} MB）。"
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413, json_dumps_params={"ensure_ascii": False})
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def with_inline_styles(view):
    """Let one view's page use inline styles (Swagger UI sets style attributes); scripts stay 'self' only."""

    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.headers["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY.replace(
            "style-src 'self'", "style-src 'self' 'unsafe-inline'"
        )
        return response

    return wrapped


# The last-seen stamp is renewed at most once a minute: writing the session back on every request cost a cache (or
# database) write per call — a fifth of a small API call's time — to move a 30-minute idle limit by under a second.
SESSION_SEEN_RESOLUTION = 60


class SessionTimeoutMiddleware:
    """End a browser session after ``SESSION_IDLE_SECONDS`` idle and ``SESSION_ABSOLUTE_SECONDS`` in all.

    Idle time is measured from the last stamp, which is renewed once ``SESSION_SEEN_RESOLUTION`` seconds have passed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            # A session signed in before the stamp existed gets one now rather than no limit at all.
            started = request.session.setdefault(SESSION_STARTED, now)
            seen = request.session.get(SESSION_SEEN, now)
            if now - seen > settings.SESSION_IDLE_SECONDS or now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                messages.info(request, "登录已超时，请重新登录。")
                return redirect_to_login(request.get_full_path())
            if now - seen >= SESSION_SEEN_RESOLUTION:
                request.session[SESSION_SEEN] = now
        return self.get_response(request)


def mark_session_start(sender=None, request=None, **kwargs):
    """Stamp a new session with its start; connected to ``user_logged_in`` so that every way in — the portal's login
    page, ``/admin/login/``, anything calling ``login()`` — gets the same idle and absolute limits."""
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now
