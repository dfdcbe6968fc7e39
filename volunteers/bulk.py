"""Bulk loading into PostgreSQL: COPY with the table's secondary indexes and foreign keys dropped meanwhile.

Building an index once over two million rows is far cheaper than updating eight indexes and checking four foreign
keys row by row; the constraints are re-added (and so re-validated) before the transaction commits.
"""

import contextlib
import io

from django.db import connection

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
