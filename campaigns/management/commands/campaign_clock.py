"""Run the calendar's sweeps by hand for a given moment — to catch up after downtime, or to see what beat would do."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campaigns.clock import all_sweeps, run_sweeps


class Command(BaseCommand):
    help = "按指定时刻运行创城日历的定时任务（与 Celery beat 运行的代码相同，可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--now", help="时刻，ISO 8601 带时区，如 2022-08-22T09:00+08:00；默认为当前时间")
        parser.add_argument("--only", action="append", help="只运行指定的任务（可多次给出）")
        parser.add_argument("--list", action="store_true", help="列出所有任务")

    def handle(self, *args, now=None, only=None, list=False, **options):
        if list:
            for name, sweep in all_sweeps().items():
                self.stdout.write(f"{name}: {(sweep.__doc__ or '').strip().splitlines()[0] if sweep.__doc__ else ''}")
            return
        if now:
            try:
                moment = datetime.fromisoformat(now)
            except ValueError:
                raise CommandError(f"无法识别的时刻：{now}（示例：2022-08-22T09:00+08:00）") from None
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        else:
            moment = timezone.now()
        try:
            results = run_sweeps(moment, only=only)
        except KeyError as error:
            raise CommandError(f"未知的任务：{error}") from None
        for name, result in results.items():
            self.stdout.write(f"[{timezone.localtime(moment):%Y-%m-%d %H:%M}] {name}: {result}")
