"""Login throttling with a cool-off.

Failures are counted per (username, address) and per address alone. A stranger guessing at a colleague's password
from their own address locks only that pair, and only for ``LOGIN_COOLOFF_SECONDS``: the colleague, signing in from
their own address, is not locked out. An address that fails across many usernames is slowed as a whole.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f"login-fail:{digest}"


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _keys(username: str, address: str):
    return _key("pair", username.strip().lower(), address), _key("addr", address)


def is_locked(username: str, address: str) -> bool:
    pair, addr = _keys(username, address)
    return (cache.get(pair, 0) >= settings.LOGIN_FAILURE_LIMIT) or (
        cache.get(addr, 0) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT
    )


def record_failure(username: str, address: str) -> None:
    for key in _keys(username, address):
        cache.add(key, 0, settings.LOGIN_COOLOFF_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_COOLOFF_SECONDS)


def clear(username: str, address: str) -> None:
    pair, _addr = _keys(username, address)
    cache.delete(pair)
