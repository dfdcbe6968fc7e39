"""Backups that restore: a consistent database dump, the uploaded files, and a manifest with their checksums.

A backup is a folder ``<BACKUP_DIR>/<YYYYmmdd-HHMMSS>/`` holding

* ``database.dump`` — ``pg_dump --format=custom``, one snapshot of the whole database (PostgreSQL), or
  ``database.sqlite3`` — SQLite's online backup (``make run``);
* ``media.tar.gz`` — every file under ``MEDIA_ROOT`` (photos, report attachments, imports); empty when the uploads
  live in an S3 bucket (``S3_BUCKET``), which keeps them itself (turn on versioning);
* ``manifest.json`` — when, which engine, the row count of every table, and the SHA-256 of the dump, the archive
  and each uploaded file.

The dump is taken before the files, so every file a dumped row names is already on disk when the archive is made.
The folder is written under a ``.partial`` name and renamed when complete; only complete backups count towards
``keep``. Restoring checks every checksum before it touches anything, and again after unpacking the files.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA_ARCHIVE = "media.tar.gz"
FORMAT = 1


class BackupError(Exception):
    """A backup could not be made or does not restore (a tool failed, a checksum differs)."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_checksums(root: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every file under ``root``."""
    root = Path(root)
    if not root.is_dir():
        return {}
    return {path.relative_to(root).as_posix(): sha256(path) for path in sorted(root.rglob("*")) if path.is_file()}


def _engine(db: dict) -> str:
    engine = db["ENGINE"]
    if "postgresql" in engine or "postgis" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise ImproperlyConfigured(f"backups support PostgreSQL and SQLite, not {engine}")


def _pg_tool(name: str) -> str:
    """``pg_dump`` / ``pg_restore`` from ``PG_BIN_DIR`` if set, else from PATH; they must match the server."""
    return str(Path(settings.PG_BIN_DIR) / name) if settings.PG_BIN_DIR else name


def _pg_env(db: dict) -> dict[str, str]:
    """libpq's variables for a DATABASES entry: the password never appears on a command line."""
    env = {**os.environ, "PGDATABASE": str(db["NAME"])}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[variable] = str(db[key])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


def table_row_counts(alias: str = "default") -> dict[str, int]:
    """Rows per table of the database behind ``alias``, as a restore should find them again."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _backup_folders(directory: Path) -> list[Path]:
    """Complete backups in ``directory``, oldest first."""
    if not directory.is_dir():
        return []
    return sorted(path for path in directory.iterdir() if path.is_dir() and (path / MANIFEST).is_file())


def backup_latest(directory: Path) -> Path:
    folders = _backup_folders(Path(directory))
    if not folders:
        raise BackupError(f"no backup in {directory}")
    return folders[-1]


def backup_create(
    *, directory: Path, keep: int = 7, alias: str = "default", media_root: Path | None = None, now=None
) -> Path:
    """Write one backup into ``directory`` and delete all but the newest ``keep``. Returns the new folder."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    directory = Path(directory)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    db = connections[alias].settings_dict
    engine = _engine(db)
    now = now or datetime.datetime.now(datetime.UTC)
    name = now.strftime("%Y%m%d-%H%M%S")
    final = directory / name
    if final.exists():
        raise BackupError(f"{final} already exists")
    partial = directory / f".{name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        counts = table_row_counts(alias)
        if engine == "postgresql":
            database_file = partial / PG_DUMP
            _run(
                [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(database_file)],
                _pg_env(db),
            )
        else:
            database_file = partial / SQLITE_COPY
            source = sqlite3.connect(db["NAME"])
            target = sqlite3.connect(database_file)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
        # Uploads in an S3 bucket are the bucket's to keep (versioning, replication): the backup says so.
        in_object_store = not isinstance(storages["default"], FileSystemStorage)
        files = {} if in_object_store else media_checksums(media_root)
        with tarfile.open(partial / MEDIA_ARCHIVE, "w:gz") as archive:
            for relative in files:
                archive.add(media_root / relative, arcname=relative, recursive=False)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "engine": engine,
            "database_file": database_file.name,
            "database_sha256": sha256(database_file),
            "media_archive": MEDIA_ARCHIVE,
            "media_archive_sha256": sha256(partial / MEDIA_ARCHIVE),
            "media_files": files,
            "media_in_object_store": in_object_store,
            "table_rows": counts,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    for old in _backup_folders(directory)[:-keep]:
        shutil.rmtree(old)
    return final


def backup_verify(folder: Path) -> dict:
    """The manifest of ``folder``, once the dump's and the archive's checksums are found to match it."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{folder} holds no {MANIFEST}: not a complete backup") from None
    for file_key, sum_key in (("database_file", "database_sha256"), ("media_archive", "media_archive_sha256")):
        path = folder / manifest[file_key]
        if not path.is_file() or sha256(path) != manifest[sum_key]:
            raise BackupError(f"{path.name} is missing or damaged (checksum differs from the manifest)")
    return manifest


def _safe_members(archive: tarfile.TarFile, expected: set[str]):
    for member in archive.getmembers():
        if not member.isfile() or member.name not in expected:
            raise BackupError(f"unexpected entry {member.name!r} in the media archive")
        yield member


def backup_restore(*, folder: Path, database: dict, media_root: Path) -> dict:
    """Bring ``folder`` back into ``database`` (a DATABASES entry, created beforehand) and ``media_root``.

    PostgreSQL: ``pg_restore --clean --if-exists`` in one transaction, so a failed restore leaves the target as it
    was. SQLite: the copy replaces the target file. Files are unpacked over ``media_root`` and checked one by one.
    Returns the manifest.
    """
    manifest = backup_verify(folder)
    folder = Path(folder)
    engine = _engine(database)
    if engine != manifest["engine"]:
        raise BackupError(f"this backup is of a {manifest['engine']} database, the target is {engine}")
    if engine == "postgresql":
        _run(
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                str(database["NAME"]),
                str(folder / manifest["database_file"]),
            ],
            _pg_env(database),
        )
    else:
        target = Path(database["NAME"])
        target.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(folder / manifest["database_file"], target)
    media_root = Path(media_root)
    media_root.mkdir(parents=True, exist_ok=True)
    expected = manifest["media_files"]
    with tarfile.open(folder / manifest["media_archive"], "r:gz") as archive:
        archive.extractall(media_root, members=_safe_members(archive, set(expected)), filter="data")
    for relative, checksum in expected.items():
        if sha256(media_root / relative) != checksum:
            raise BackupError(f"{relative} differs from the manifest after unpacking")
    return manifest
