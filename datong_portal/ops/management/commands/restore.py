from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from datong_portal.env import database_from_url
from datong_portal.ops.backup import BackupError, backup_latest, backup_restore


class Command(BaseCommand):
    help = (
        "从备份恢复数据库和上传文件。默认恢复到 --database-url 指定的库；不给则覆盖当前配置的库（需确认）。"
        "先核对全部校验和，数据库恢复在一个事务内完成。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "backup", nargs="?", default="latest", help="备份文件夹，或 latest（BACKUP_DIR 中最新一份）"
        )
        parser.add_argument("--database-url", help="恢复到这个库（postgres://… 或 sqlite:///…）；PostgreSQL 库需已存在")
        parser.add_argument("--create-database", action="store_true", help="PostgreSQL：目标库不存在时先创建")
        parser.add_argument("--media-root", type=Path, default=None, help="上传文件恢复到这里（默认 MEDIA_ROOT）")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, backup="latest", database_url=None, create_database=False, media_root=None, **options):
        try:
            folder = backup_latest(Path(settings.BACKUP_DIR)) if backup == "latest" else Path(backup)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if database_url:
            database = database_from_url(database_url, settings.BASE_DIR)
        else:
            database = connections["default"].settings_dict
            if options["interactive"]:
                answer = input(f"这将覆盖当前数据库 {database['NAME']} 和 {settings.MEDIA_ROOT}。输入 yes 继续：")
                if answer.strip().lower() != "yes":
                    raise CommandError("已取消。")
        if create_database and database["ENGINE"].endswith("postgresql"):
            create_postgres_database(database)
        try:
            manifest = backup_restore(
                folder=folder, database=database, media_root=media_root or Path(settings.MEDIA_ROOT)
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"restored {folder.name}: {len(manifest['table_rows'])} tables, {len(manifest['media_files'])} files"
        )


def create_postgres_database(database: dict) -> None:
    """``CREATE DATABASE`` through the server's ``postgres`` database, if it is not there yet."""
    import psycopg2
    from psycopg2 import sql

    params = {
        key: database[field]
        for key, field in (("host", "HOST"), ("port", "PORT"), ("user", "USER"), ("password", "PASSWORD"))
        if database.get(field)
    }
    connection = psycopg2.connect(dbname="postgres", **params)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database["NAME"])))
    finally:
        connection.close()
