"""Load Datong's reference data (and, with --demo, the demo accounts and a living demo set)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from campaigns import registry
from campaigns.clock import ensure_schedules

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "datong.json"


def load_reference_data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def seed_city(data: dict, *, demo: bool = False, history: bool = False, log=print) -> None:
    """Each app's seed steps, ground floor first, as the apps contributed them (campaigns/registry.py).

    ``history`` (the command's ``--demo``) adds the lived-in year behind the demo: a year of reports, cards, visits,
    problems and a few thousand volunteers. The tests' ``city`` fixture leaves it out so that their figures stay
    small and exact; ``tests/campaigns/test_demo_history.py`` seeds it whole.
    """
    apps = registry.contributions()
    for app in apps:
        if app.seed_reference:
            app.seed_reference(data, log=log)
    if demo:
        for app in apps:
            if app.seed_demo:
                app.seed_demo(data, log=log)
    if demo and history:
        for app in apps:
            if app.seed_history:
                app.seed_history(data, log=log)


def seed_city_scale(data: dict, *, scale: str, log=print) -> None:
    for app in registry.contributions():
        if app.seed_scale:
            app.seed_scale(data, scale=scale, log=log)


class Command(BaseCommand):
    help = "载入大同市创城基础数据；--demo 同时创建演示账号和演示数据。可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="创建演示账号（密码取自 DEMO_PASSWORD）和演示数据")
        parser.add_argument(
            "--scale", choices=["small", "full"], help="按城市规模生成志愿服务数据（full：全市实际规模）"
        )

    def handle(self, *args, demo=False, scale=None, **options):
        data = load_reference_data()

        def log(message):
            self.stdout.write(message)

        with transaction.atomic():
            seed_city(data, demo=demo, history=demo, log=log)
            ensure_schedules()
        if scale:
            seed_city_scale(data, scale=scale, log=log)
        self.stdout.write(self.style.SUCCESS("基础数据载入完成。"))
