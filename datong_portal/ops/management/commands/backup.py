from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from datong_portal.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "备份：数据库一致性快照（pg_dump 自定义格式 / SQLite 在线备份）+ 上传文件 + 校验清单，只保留最近 N 份。"

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, default=None, help="备份目录（默认 BACKUP_DIR）")
        parser.add_argument("--keep", type=int, default=None, help="保留份数（默认 BACKUP_KEEP，7）")
        parser.add_argument("--database", default="default", help="数据库别名")

    def handle(self, *args, directory=None, keep=None, database="default", **options):
        directory = directory or Path(settings.BACKUP_DIR)
        keep = settings.BACKUP_KEEP if keep is None else keep
        if keep < 1:
            raise CommandError("--keep must be at least 1")
        try:
            folder = backup_create(directory=directory, keep=keep, alias=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(folder))
