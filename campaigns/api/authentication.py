"""API tokens that expire, like browser sessions do, and end with a password change or on request.

:func:`token_or_session_required` lets a token client fetch the files a page view serves (card photos, report
attachments) under exactly the scoping the view applies to a signed-in browser.
"""

import json
from datetime import timedelta
from functools import partial, wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from campaigns import figures


def token_expired(token) -> bool:
    return token.created < timezone.now() - timedelta(days=settings.API_TOKEN_TTL_DAYS)


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token …`` for ``API_TOKEN_TTL_DAYS`` after the token was issued; then ask for a new one.

    Who holds a token (the user with their unit, and when it was issued) is kept like a figure
    (``campaigns/figures.py``): read back from Redis in one round trip until a write to the tokens, the accounts or
    the units commits — a revoked token, a deactivated account, a new role or unit counts at once. Every API call
    starts here, so this is most of what a small call costs. The key is a digest of the token, never the token."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        holder = figures.kept("api-token", (key,), timezone.now(), partial(_token_holder, model, key))
        if holder is None:  # DRF's own (translated) messages
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        user, created = holder
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        token = model(key=key, user=user, created=created)
        if token_expired(token):
            raise exceptions.AuthenticationFailed("令牌已过期，请重新获取。")
        return user, token


def _token_holder(model, key):
    """(user with unit, issued at) of the token ``key``, or None."""
    token = model.objects.select_related("user__unit").filter(key=key).first()
    return (token.user, token.created) if token is not None else None


def revoke_tokens(user) -> None:
    """End every API token of ``user`` (on request, and whenever the password changes)."""
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()


def token_or_session_required(view):
    """Like ``login_required``, but an ``Authorization: Token …`` header signs the request in too.

    A browser without a session is sent to the login page as before; a request with a bad or expired token gets a
    401 in Chinese, not a redirect a client cannot follow. The view's own scoping then applies unchanged.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            try:
                found = ExpiringTokenAuthentication().authenticate(request)
            except exceptions.AuthenticationFailed as error:
                body = json.dumps({"detail": str(error.detail)}, ensure_ascii=False)
                response = HttpResponse(body, status=401, content_type="application/json")
                response["WWW-Authenticate"] = "Token"
                return response
            if found is None:
                return redirect_to_login(request.get_full_path())
            request.user = found[0]
        return view(request, *args, **kwargs)

    return wrapped
