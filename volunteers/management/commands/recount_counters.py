"""Recount the volunteer dashboard's counters from the rows, by hand — the same code as the nightly sweep."""

from django.core.management.base import BaseCommand

from volunteers import stats
from volunteers.clock import drift_lines


class Command(BaseCommand):
    help = "按明细重新计数志愿服务统计数，报告偏差并修正（与每晚的定时任务相同）；--check 只报告不修正。"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只报告偏差，不修正；有偏差时以状态码 1 退出")

    def handle(self, *args, check=False, **options):
        drift = stats.recount(repair=not check, report=True)
        for line in drift_lines(drift):
            self.stdout.write(line)
        if not drift:
            self.stdout.write("志愿服务统计数与明细一致，无偏差。")
        elif check:
            raise SystemExit(1)
        else:
            self.stdout.write(f"已修正 {len(drift)} 项偏差。")
