"""The dashboard's figures kept in the cache until a write changes what they count.

``dashboard/summary/``, the league table (``dashboard/districts/``, the league page, the circular) and the cockpit
aggregate tens of thousands of problems, visits, cards and reports on every read. Each is kept in the cache with
:func:`kept` (``datong_portal/dashboard/summary.py``, ``campaigns/league.py``, ``datong_portal/dashboard/cockpit.py``)
and read back in one round trip to Redis while nothing it counts has changed. The API's lists use the same
mechanism, one copy per reader and query (``campaigns/api/kept.py``).

How a kept figure stays right:

- **Writes.** While a figure is computed, the tables its SQL reads are noted; it is stored with each table's
  generation. Every statement other than a ``SELECT`` that names a table — ``save()``, ``QuerySet.update()`` with
  ``F()`` counters, ``bulk_create``, raw SQL, a test's ``TRUNCATE`` — moves that table's generation on when its
  transaction commits (a wrapper on each database connection, :func:`_watch_writes`); ``COPY`` goes around the
  cursor, so the bulk loader says what it wrote (:func:`written_around_the_cursor`). A figure whose tables moved on
  is computed again. The tables are observed rather than declared, so a figure that starts reading a new table needs
  no list kept up to date; and a table read only on some branch is safe, because the branch was chosen by data in a
  table that was read.
- **Races.** The generations are read before the figure is computed, so a write that commits meanwhile leaves it
  stored under a generation that is already old: it is computed again on the next read, never served stale.
- **Side effects.** A computation that writes (a list that logs a read of personal data) is never kept.
- **One's own uncommitted writes.** Inside a transaction that has written one of a figure's tables, the figure is
  computed afresh and not stored: no one else can see that data yet, and it may be rolled back.
- **Figures inside figures.** A kept figure may read others (the home page's rendered body reads the cockpit): an
  inner figure served from the cache reports its tables to the figures being computed around it, which are stored
  with them as if they had read the rows themselves.
- **The clock.** Some figures change with no write at all (a report turns missing at its deadline, a card overdue at
  midnight). The key holds the minute of the instant the figure is computed as of, so such a change shows within a
  minute; a write shows at once.
- **Where the cache is not shared** (``make run``'s embedded defaults keep it in files of one machine, with no atomic
  counters) nothing is kept: every read computes, as before. A cache server that cannot be reached is passed over.

Why not django-cachalot, which caches ORM queries with the same table-level invalidation: half of a summary's time
is Python building a dozen aggregate queries, which cachalot still does on every read (it keys on the SQL), and it
cannot know that a figure changes with the clock. The unit kept here is a whole figure, computed by its own function.
"""

import functools
import hashlib
import pickle
import time
from contextvars import ContextVar

import structlog
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.utils import timezone

logger = structlog.get_logger(__name__)

PREFIX = "figures"
KEEP_SECONDS = 120  # a minute's key, and a little longer for a request that straddles the minute


def enabled() -> bool:
    return settings.CACHES["default"]["BACKEND"].endswith("RedisCache") and settings.FIGURES_CACHE


@functools.cache
def _watched() -> frozenset[str]:
    """Every table of every installed model."""
    return frozenset(model._meta.db_table for model in apps.get_models(include_auto_created=True))


def tables_in(sql: str) -> set[str]:
    """The tables ``sql`` names (a name that contains another, ``…_problem`` in ``…_problemtransition``, names both:
    one generation too many moved on is harmless)."""
    return {table for table in _watched() if table in sql}


# --- generations: moved on by committed writes ----------------------------------------------------------------------


def _namespace(alias="default") -> str:
    # Parallel test workers (and a benchmark beside the tests) each have a database of their own behind one Redis.
    return f"{PREFIX}:{connections[alias].settings_dict['NAME']}"


def _generation_key(namespace: str, table: str) -> str:
    return f"{namespace}:gen:{table}"


def bump(tables, alias="default") -> None:
    """Move the generation of ``tables`` on: every part that reads one of them is computed again on its next read.

    One round trip for all the tables (a write commits several: a confirmation moves four), in a MULTI block: a
    generation that is missing (never set, evicted, the cache emptied) starts from the clock, never from 0, so it
    cannot come back to a value a stored part was computed under; then it is incremented. Django's cache API has no
    pipeline, so the backend's own redis-py client is asked for it (``RedisCache._cache.get_client``); the values are
    plain integers, which Django's Redis serializer stores as they are.

    A cache that cannot be reached is logged and passed over: the write has committed and must not fail now. Parts
    kept before the outage are keyed by their minute, so they are gone within two minutes at the most."""
    if not enabled() or not tables:
        return
    namespace = _namespace(alias)
    try:
        keys = [cache.make_and_validate_key(_generation_key(namespace, table)) for table in sorted(tables)]
        with cache._cache.get_client(write=True).pipeline(transaction=True) as pipe:
            for key in keys:
                pipe.set(key, time.time_ns(), nx=True)
                pipe.incr(key)
            pipe.execute()
    except Exception:  # noqa: BLE001 — any failure of the cache server
        logger.warning("figures.bump_failed", tables=sorted(tables))


def _generations_given(namespace: str, tables) -> dict:
    keys = {_generation_key(namespace, table): table for table in tables}
    for key in keys:
        cache.add(key, time.time_ns(), timeout=None)
    return {keys[key]: generation for key, generation in cache.get_many(list(keys)).items()}


def written_around_the_cursor(table: str, alias="default") -> None:
    """A write the cursor's wrapper cannot see (``COPY``): treated as if it had seen it."""
    if table in _watched():
        _after_commit(connections[alias], {table})


def _writes(sql: str) -> bool:
    """Anything but a plain read (``EXPLAIN`` is how the big lists estimate their counts)."""
    return not sql.lstrip()[:7].upper().startswith(("SELECT", "EXPLAIN"))


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and _writes(sql):
        written = tables_in(sql)
        if written:
            _after_commit(context["connection"], written)
    return result


def _after_commit(connection, written: set) -> None:
    if not connection.in_atomic_block:
        bump(written, connection.alias)
        return
    # One callback per savepoint scope, which grows with each table written in that scope: a savepoint rolled back
    # takes its callback (and so its tables) with it.
    scope = set(connection.savepoint_ids)
    for savepoints, callback, _robust in connection.run_on_commit:
        if hasattr(callback, "figures_tables") and savepoints == scope:
            callback.figures_tables.update(written)
            return
    tables, alias = set(written), connection.alias

    def bump_written_tables():
        bump(tables, alias)

    bump_written_tables.figures_tables = tables  # grows with each table written in this savepoint scope
    transaction.on_commit(bump_written_tables, using=alias)


def _written_so_far(connection) -> set:
    """The watched tables this connection's open transaction has written, savepoints rolled back left out.

    Read off the transaction's own commit callbacks, which Django drops with the transaction or the savepoint they
    belong to. (Not kept on the side keyed by the outermost ``atomic``: a function decorated with
    ``@transaction.atomic`` uses one ``Atomic`` object for every call, so every call would look like the same
    transaction.)"""
    written = set()
    for _savepoints, callback, _robust in connection.run_on_commit:
        written.update(getattr(callback, "figures_tables", ()))
    return written


@receiver(connection_created)
def _install(sender, connection, **kwargs):
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


# --- figures kept under their generations --------------------------------------------------------------------------

#: per figure name, the tables its computations have read in this process (a union: a superset is harmless)
_learned: dict[str, set[str]] = {}
# The table sets of the figures being computed right now, outermost first: a figure served from the cache inside
# their computation adds its tables to each.
_computing: ContextVar[tuple[set[str], ...]] = ContextVar("figures_computing", default=())
#: figures whose values cannot be pickled: computed on every read
_unkeepable: set[str] = set()


def kept(name: str, scope: tuple, instant, compute):
    """``compute()``, or what it gave before while nothing it read has changed (see above).

    ``name`` and ``scope`` (plain values: a division's id, a period's label …) make the key with the minute of
    ``instant``, the moment the figure is computed as of."""
    if not enabled() or name in _unkeepable:
        return compute()
    connection = connections["default"]
    dirty = _written_so_far(connection) if connection.in_atomic_block else set()
    namespace = _namespace()
    minute = timezone.localtime(instant).strftime("%Y%m%d%H%M")
    scoped = hashlib.blake2b("\x1f".join(str(part) for part in scope).encode(), digest_size=16).hexdigest()
    value_key = f"{namespace}:{name}:{minute}:{scoped}"
    learned = sorted(_learned.get(name, ()))
    try:
        found = cache.get_many([value_key, *(_generation_key(namespace, table) for table in learned)])
        generations = {table: found.get(_generation_key(namespace, table)) for table in learned}
        missing = [table for table, generation in generations.items() if generation is None]
        if missing:  # tables not written since the cache was emptied: given a generation before the rows are read
            generations.update(_generations_given(namespace, missing))
    except Exception:  # noqa: BLE001 — the cache server is away: compute, as without a cache
        return compute()
    stored = found.get(value_key)
    if stored is not None:
        tables, stored_generations, value = stored
        if not dirty.intersection(tables) and all(
            table in generations and generations[table] == generation
            for table, generation in zip(tables, stored_generations, strict=True)
        ):
            for around in _computing.get():
                around.update(tables)
            return value

    read, wrote = set(), []

    def observe(execute, sql, params, many, context):
        if isinstance(sql, str):
            named = tables_in(sql)
            read.update(named)
            if named and _writes(sql):
                wrote.append(sql)
        return execute(sql, params, many, context)

    token = _computing.set((*_computing.get(), read))
    try:
        with connection.execute_wrapper(observe):
            value = compute()
    finally:
        _computing.reset(token)
    _learned.setdefault(name, set()).update(read)
    tables = sorted(read)
    if wrote:  # a computation with side effects (a logged read) must run on every read
        return value
    if any(generations.get(table) is None for table in tables) or dirty.intersection(tables):
        # A table first read now: a generation fetched after the rows could be newer than them. Kept from the next
        # computation on, whose generations are read before its rows.
        return value
    try:
        cache.set(value_key, (tables, [generations[table] for table in tables], value), timeout=KEEP_SECONDS)
    except (pickle.PicklingError, TypeError, AttributeError):
        # A value that cannot be pickled (a home panel's context holding a local function, say) is computed on every
        # read, as before; said once per process.
        _unkeepable.add(name)
        logger.warning("figures.not_picklable", figure=name)
    except Exception:  # noqa: BLE001
        logger.warning("figures.store_failed", key=value_key)
    return value
