"""Measure the portal at the city's full scale — the volunteer network, the league table and the problem list: p50/p95
of the calls people make, and the seed's duration.

Seeds the current database to full scale when it is not there yet (``seed_datong --demo --scale full``), else reuses
it. Requests go through Django's test client (the whole stack: middleware, auth, views, templates, serializers) as
headquarters and as an officer. Run it against a database of its own, e.g.
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/datong_bench python manage.py benchmark``.
"""

import json
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test import Client
from django.test.utils import override_settings

from campaigns import periods
from campaigns.models import Division, User
from volunteers.models import Volunteer, VolunteerTeam
from volunteers.seed import SCALES

RESULT_FILE = "volunteers-benchmark-seed.json"


class Command(BaseCommand):
    help = "志愿服务全市规模性能测试：打印各接口和页面的 p50/p95 以及规模数据生成用时。"

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=40, help="每项请求次数（默认 40）")

    def handle(self, *args, repeat=40, **options):
        seed_seconds, seeded_now = self._seed()
        hq = User.objects.get(username="hq")
        officer = User.objects.get(username="officer-pingcheng")
        pingcheng = Division.objects.get(name="平城区")
        volunteer = (
            Volunteer.objects.filter(division=pingcheng, confirmed_hours__gt=0).order_by("-confirmed_hours").first()
        )
        team = VolunteerTeam.objects.filter(division=pingcheng).order_by("-members_count").first()
        surname = volunteer.name[:1]
        week = periods.current_period(periods.WEEK).label
        month = periods.current_period(periods.MONTH).previous().label
        calls = [
            ("summary API（全市）", hq, "/api/v1/dashboard/summary/"),
            ("summary API（?division=）", hq, f"/api/v1/dashboard/summary/?division={pingcheng.pk}"),
            ("志愿者列表 API", hq, "/api/v1/volunteers/"),
            ("志愿者列表 API 筛选（区县+星级）", hq, f"/api/v1/volunteers/?division={pingcheng.pk}&star_min=1"),
            ("志愿者搜索 API（姓名）", hq, f"/api/v1/volunteers/?search={volunteer.name}"),
            ("志愿者搜索 API（编号）", hq, f"/api/v1/volunteers/?search={volunteer.volunteer_no}"),
            ("志愿者列表 API（区县干部）", officer, f"/api/v1/volunteers/?search={surname}"),
            ("志愿者列表页面 筛选", hq, f"/volunteers/?division={pingcheng.pk}&active=true"),
            ("志愿者列表页面 搜索", hq, f"/volunteers/?search={volunteer.name}"),
            ("志愿者 API 详情", hq, f"/api/v1/volunteers/{volunteer.pk}/"),
            ("志愿者页面", hq, f"/volunteers/{volunteer.pk}/"),
            ("服务队 API 详情", hq, f"/api/v1/volunteer-teams/{team.pk}/"),
            ("服务队页面", hq, f"/volunteers/teams/{team.pk}/"),
            ("服务记录 API（待确认）", officer, "/api/v1/service-records/?status=pending"),
            ("红黑榜 API（本周）", hq, f"/api/v1/dashboard/districts/?period={week}"),
            ("红黑榜 API（上月）", hq, f"/api/v1/dashboard/districts/?period={month}"),
            ("红黑榜 API（区县干部）", officer, f"/api/v1/dashboard/districts/?period={week}"),
            ("红黑榜页面", hq, f"/league/?period={week}"),
            ("问题列表 API", hq, "/api/v1/problems/"),
            ("问题列表 API 筛选（区县+逾期）", hq, f"/api/v1/problems/?division={pingcheng.pk}&overdue=true"),
            ("问题列表 API（区县+周期）", hq, f"/api/v1/problems/?division={pingcheng.pk}&period={month}"),
            ("问题列表 API（区县干部）", officer, "/api/v1/problems/"),
            ("问题台账页面", hq, f"/inspections/problems/?division={pingcheng.pk}"),
        ]
        clients = {}
        # The inspections' figures come through the API: this app does not import another one (test_architecture).
        counter = Client()
        counter.force_login(hq)
        with override_settings(ALLOWED_HOSTS=["testserver", *settings.ALLOWED_HOSTS]):
            points = counter.get("/api/v1/points/?page_size=1").json()["count"]
            problems = counter.get("/api/v1/problems/?page_size=1").json()["count"]
        self.stdout.write(
            f"全市规模：{Volunteer.objects.count()} 名志愿者，{points} 个点位，{problems} 个问题；"
            f"每项 {repeat} 次（先预热 3 次）。"
        )
        self.stdout.write(f"{'请求':<34}{'p50 ms':>10}{'p95 ms':>10}")
        with override_settings(ALLOWED_HOSTS=["testserver", *settings.ALLOWED_HOSTS], DEBUG=False):
            for label, user, url in calls:
                client = clients.get(user.pk)
                if client is None:
                    client = clients[user.pk] = Client()
                    client.force_login(user)
                timings = []
                for i in range(repeat + 3):
                    started = time.perf_counter()
                    response = client.get(url)
                    elapsed = (time.perf_counter() - started) * 1000
                    if response.status_code != 200:
                        raise RuntimeError(f"{url} → {response.status_code}")
                    if i >= 3:
                        timings.append(elapsed)
                timings.sort()
                p50 = statistics.median(timings)
                p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
                self.stdout.write(f"{label:<34}{p50:>10.1f}{p95:>10.1f}")
        origin = "本次生成" if seeded_now else "沿用已有数据库（上次生成记录）"
        if seed_seconds is not None:
            self.stdout.write(f"规模数据生成用时：{seed_seconds:.1f} 秒（{origin}）")
        else:
            self.stdout.write("规模数据生成用时：未知（数据库已存在，且无生成记录）")

    def _seed(self):
        record = Path(settings.VAR_DIR) / RESULT_FILE
        if Volunteer.objects.count() >= SCALES["full"]["volunteers"]:
            if record.exists():
                return json.loads(record.read_text())["seconds"], False
            return None, False
        started = time.perf_counter()
        call_command("seed_datong", demo=True, scale="full", stdout=self.stdout)
        seconds = time.perf_counter() - started
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(json.dumps({"seconds": seconds}))
        return seconds, True
