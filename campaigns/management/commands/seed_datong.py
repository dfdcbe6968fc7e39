"""Load Datong's reference data (and, with --demo, the demo accounts and a living demo set)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from campaigns.apps import portal_modules
from campaigns.clock import ensure_schedules

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "datong.json"


def load_reference_data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def seed_modules():
    """Each portal app's seed.py (seed_reference, and optionally seed_demo and seed_scale), in dependency order."""
    return portal_modules("seed")


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

        modules = list(seed_modules())
        with transaction.atomic():
            for module in modules:
                module.seed_reference(data, log=log)
            if demo:
                for module in modules:
                    if hasattr(module, "seed_demo"):
                        module.seed_demo(data, log=log)
            ensure_schedules()
        if scale:
            for module in modules:
                if hasattr(module, "seed_scale"):
                    module.seed_scale(data, scale=scale, log=log)
        self.stdout.write(self.style.SUCCESS("基础数据载入完成。"))
