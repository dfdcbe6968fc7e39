"""Login throttling with a cool-off, for the login page and ``auth/token/`` alike.

Failures are counted three ways, each cooling off after ``LOGIN_COOLOFF_SECONDS``:

- per (username, address), locked after ``LOGIN_FAILURE_LIMIT``: a stranger guessing at a colleague's password locks
  only that pair; the colleague, signing in from their own address, is not locked out;
- per username from anywhere, after ``LOGIN_USERNAME_FAILURE_LIMIT``: guessing at one account from many addresses;
- per address alone only at the much higher ``LOGIN_ADDRESS_FAILURE_LIMIT``: behind a reverse proxy or a city
  office's NAT one address is many people, and thirty failures with made-up usernames must not lock them all out.

The address is ``REMOTE_ADDR``; ``X-Forwarded-For`` is believed only when ``REMOTE_ADDR`` is one of
``TRUSTED_PROXIES``, and then the right-most address in it that is not itself a trusted proxy is the client.

Why not django-axes (8.x): its lockout parameters (``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"],
"username", "ip_address"]``) all share one ``AXES_FAILURE_LIMIT`` (a callable limit is told the request and the
credentials, not which parameter is being counted), so "per address only at a much higher bound" cannot be said;
adopting it would bring a backend, a middleware, a model and its migrations to express less than these forty lines.
"""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache


def _key(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f"login-fail:{digest}"


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    networks = [ipaddress.ip_network(value, strict=False) for value in settings.TRUSTED_PROXIES]
    if not networks or not _trusted(remote, networks):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # a proxy we trust passed on garbage: count the proxy, do not believe the header
    return remote


def _counters(username: str, address: str):
    """(cache key, limit) for each way failures are counted."""
    name = username.strip().lower()
    return [
        (_key("pair", name, address), settings.LOGIN_FAILURE_LIMIT),
        (_key("user", name), settings.LOGIN_USERNAME_FAILURE_LIMIT),
        (_key("addr", address), settings.LOGIN_ADDRESS_FAILURE_LIMIT),
    ]


def is_locked(username: str, address: str) -> bool:
    counters = _counters(username, address)
    counts = cache.get_many([key for key, _limit in counters])
    return any(counts.get(key, 0) >= limit for key, limit in counters)


def record_failure(username: str, address: str) -> None:
    for key, _limit in _counters(username, address):
        cache.add(key, 0, settings.LOGIN_COOLOFF_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_COOLOFF_SECONDS)


def clear(username: str, address: str) -> None:
    """A success clears the pair; the username's and the address's counts cool off on their own."""
    cache.delete(_counters(username, address)[0][0])
