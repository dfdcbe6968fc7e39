"""Bulk loading into PostgreSQL for the seeds at the city's scale: COPY, and a table's secondary indexes and foreign
keys dropped meanwhile.

Building an index once over two million rows is far cheaper than updating eight indexes and checking four foreign
keys row by row; the constraints are re-added (and so re-validated) before the transaction commits.

``copy_dicts`` loads rows given as ``{column: value}`` and fills the columns left out with the model's defaults, as
the ORM would: tens of thousands of rows without a model instance each, which is where ``bulk_create``'s time goes.
"""

import contextlib
import io
from datetime import date, datetime, time
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from campaigns import figures


@contextlib.contextmanager
def indexes_suspended(table: str):
    with connection.cursor() as cursor:
        # Run the deferred foreign-key checks of earlier inserts now: ALTER TABLE refuses pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            """
            SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid = %s::regclass AND contype IN ('f', 'u')
            """,
            [table],
        )
        constraints = cursor.fetchall()
        for name, _definition in constraints:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename = %s AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.conrelid = %s::regclass)
            """,
            [table, table],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
            for name, definition in constraints:
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')


class ChunkStream:
    """A file to ``COPY … FROM STDIN`` out of an iterator of text chunks that is still being made.

    psycopg2 reads the file a block at a time and sends each block on: the server parses one while Python makes the
    next, so making the rows and loading them overlap instead of following each other through a temporary file.
    """

    def __init__(self, chunks):
        self._chunks = iter(chunks)
        self._buffer = ""

    def read(self, size: int = -1) -> str:
        parts, length = [self._buffer], len(self._buffer)
        while size < 0 or length < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            parts.append(chunk)
            length += len(chunk)
        text = "".join(parts)
        if size < 0:
            self._buffer = ""
            return text
        self._buffer = text[size:]
        return text[:size]


def copy_rows(table: str, columns: list[str], lines) -> int:
    """COPY tab-separated lines (an iterable of str without newline, or a file object) into ``table``."""
    if hasattr(lines, "read"):
        buffer = lines
        count = None
    else:
        buffer = io.StringIO()
        count = 0
        for line in lines:
            buffer.write(line)
            buffer.write("\n")
            count += 1
        buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN', buffer, size=256 * 1024)
    figures.written_around_the_cursor(table)
    return count or 0


def set_sequence(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), COALESCE((SELECT MAX(id) FROM \"{table}\"), 1))"
        )


def next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"')
        return cursor.fetchone()[0]


NULL = "\\N"  # COPY text format
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return NULL
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, (int, Decimal, float)):
        return str(value)
    return str(value).translate(_ESCAPES)


def copy_dicts(model, rows) -> int:
    """COPY ``rows`` (dicts keyed by column attname: ``point_id``, not ``point``; every row with the same keys) into
    ``model``'s table. A column left out takes the field's default as the ORM would (``auto_now``/``auto_now_add``: now;
    text: ""; nullable: NULL); the primary key, left out, comes from the table's identity. Model validation and ``save()`` do not run."""
    rows = list(rows)
    if not rows:
        return 0
    given = list(rows[0])
    known = {f.attname: f for f in model._meta.concrete_fields}
    unknown = set(given) - set(known)
    if unknown:
        raise ValueError(f"{model.__name__} has no column {sorted(unknown)}")
    filled = {}
    now = timezone.now()
    for attname, field in known.items():
        if attname in given or field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            filled[attname] = now
        else:  # the field's default, as the ORM would take it: "" for text without one, None for nullable columns
            filled[attname] = field.get_default()
    tail = [copy_text(v) for v in filled.values()]
    lines = ("\t".join([copy_text(row[c]) for c in given] + tail) for row in rows)
    columns = [known[c].column for c in given] + [known[c].column for c in filled]
    return copy_rows(model._meta.db_table, [f'"{c}"' for c in columns], lines)
