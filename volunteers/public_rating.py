"""The public rating link: a served resident rates a service project on a phone, without signing in, without a CAPTCHA.

Nothing personal is asked or kept. What holds a script back, together:

- **A signed per-project token** in the link (``django.core.signing``, its own salt, timestamped): an altered or
  guessed project id is refused (404), and so is a link older than ``RATING_LINK_MAX_AGE_DAYS`` (410). The card
  printed for a project carries the link; a new card is printed for a new season.
- **A device cookie**: a random id in a signed cookie, given when the page is opened. A rating posted without it is
  refused, so every rating costs a page load and a cookie round trip; a forged cookie is a missing one.
- **Rate limits** per address (``campaigns.throttle.client_address``: X-Forwarded-For only from a trusted proxy) and per
  device, counted by django-ratelimit in the shared cache. The address limit is generous — a community's residents
  share one address behind a carrier's NAT — the device limit is not.
- **Duplicate suppression**: one rating per device per project per day, held by a unique key
  (``rating_once_per_device_per_day``), so two taps at once still count once.

A script that keeps its cookie is one device (the daily duplicate rule); one that drops it is held by the address
limit. The device id is stored only as a SHA-256 digest.
"""

import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django_ratelimit.core import is_ratelimited

from campaigns.throttle import client_address

TOKEN_SALT = "volunteers.public-rating"
DEVICE_COOKIE = "dt_rating_device"
DEVICE_SALT = "volunteers.public-rating.device"
DEVICE_COOKIE_AGE = 400 * 24 * 3600


class LinkInvalid(Exception):
    """The token was not signed by us (forged, altered or truncated)."""


class LinkExpired(Exception):
    """The token is ours but older than RATING_LINK_MAX_AGE_DAYS."""


def token_for(project) -> str:
    return signing.dumps(project.pk, salt=TOKEN_SALT)


def project_id_from(token: str) -> int:
    max_age = settings.RATING_LINK_MAX_AGE_DAYS * 24 * 3600
    try:
        value = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    if not isinstance(value, int) or isinstance(value, bool):
        raise LinkInvalid
    return value


def public_url(project) -> str:
    """The absolute link a printed card carries (the portal's public address, not the printing request's host)."""
    from django.urls import reverse

    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("volunteer-rating-public", args=[token_for(project)])


def device_id(request) -> str | None:
    """The device's id from its signed cookie, or None when it has none (or a forged one)."""
    value = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)
    if not value or len(value) != 32 or not value.isalnum():
        return None
    return value


def new_device_id() -> str:
    return secrets.token_hex(16)


def set_device_cookie(response, value: str) -> None:
    response.set_signed_cookie(
        DEVICE_COOKIE,
        value,
        salt=DEVICE_SALT,
        max_age=DEVICE_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def device_digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _by_address(group, request):
    return client_address(request)


def _by_device(group, request):
    return device_id(request)


def is_limited(request) -> bool:
    """Count this rating attempt against the address and (when it has one) the device; True when either is over."""
    over_address = is_ratelimited(
        request, group="rating-address", key=_by_address, rate=settings.RATING_RATE_PER_ADDRESS, increment=True
    )
    if device_id(request) is None:  # refused anyway for want of the cookie; no shared "no device" bucket to fill
        return over_address
    over_device = is_ratelimited(
        request, group="rating-device", key=_by_device, rate=settings.RATING_RATE_PER_DEVICE, increment=True
    )
    return over_address or over_device
