"""``make bench``: the portal at the city's full scale under real load, side by side with a bare Django view.

The whole portal is measured, so the command lives with the running of it (datong_portal/ops), not in one app.

1. Seeds the current database to full scale when it is not there yet, else reuses it: the demo first
   (``seed_datong --demo``: the accounts the calls sign in as, and a lived-in year), then the city at its full scale
   on top of it (``seed_datong --scale full``), each timed and the times kept in ``var/``. The target of 40 s is the
   second's: the full seed of the city's scale.
2. Starts gunicorn with 2 workers on a free local port, as production runs it (deploy/gunicorn.conf.py, its
   Prometheus folder, ``DJANGO_ENV=production``, DEBUG off, sessions in the cache, WhiteNoise over freshly collected
   static files), with ``BENCH=1`` so that the bare view
   ``JsonResponse({"ok": True})`` is mounted on the same server (datong_portal/ops/bench.py).
3. For each call, after a warm-up, runs locust headless (datong_portal/ops/locustfile.py) with 4 concurrent clients
   for ``--seconds`` and reads requests per second and p95; lists are asked for at page size 20. Right before each
   call the bare view is measured again (a third of the time), and the call's share is taken against that. The write side:
   confirming pending service records of the largest division, with 1 client (p95) and with 4 (per second).
4. Times the monthly briefing as the worker builds it (``briefing_build``, the task's body) for last month of the
   full-scale city, with the month made busy enough for 20 pages or more (closed and overdue supervision cards added
   inside a transaction that is rolled back afterwards, with the PDF it stored).
5. Prints one table with each call's share of the bare view's requests per second, writes it to docs/bench.md and
   puts it into README.md between the ``bench:start`` / ``bench:end`` marks.

The machine is shared and noisy: what one run says is the ratio to the bare view measured in the same run. Run it
against a database of its own (the Makefile uses ``datong_bench``). It confirms a few thousand pending records of
平城区 each run; the seed leaves tens of thousands.
"""

import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from importlib import import_module
from pathlib import Path

import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from rest_framework.authtoken.models import Token

from campaigns.middleware import SESSION_SEEN, SESSION_STARTED
from campaigns.models import Division, Unit, User
from volunteers.choices import RecordStatus
from volunteers.models import ServiceRecord, Volunteer
from volunteers.seed import SCALES

SEED_RECORD = "benchmark-seed.json"
BARE = "/ops/bench/bare/"
LOCUSTFILE = Path(__file__).resolve().parents[2] / "locustfile.py"
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


class Command(BaseCommand):
    help = "全市规模性能测试：gunicorn 2 进程、4 个并发客户端，各接口每秒请求数与 p95，并与空视图对比。"

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=10, help="每项压测时长（秒，默认 10）")
        parser.add_argument("--clients", type=int, default=4, help="并发客户端数（默认 4）")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn 进程数（默认 2）")
        parser.add_argument("--output", default=str(settings.BASE_DIR / "docs" / "bench.md"), help="结果表写入的文件")
        parser.add_argument("--no-readme", action="store_true", help="不更新 README.md 中的结果表")

    def handle(self, *args, seconds, clients, workers, output, no_readme, **options):
        seed_seconds, seeded_now = self._seed()
        hq = User.objects.get(username="hq")
        officer = User.objects.get(username="officer-pingcheng")
        pingcheng = Division.objects.get(name="平城区")
        calls = [
            ("空视图（基准）", BARE),
            ("me/", "/api/v1/me/"),
            ("dashboard/summary/", "/api/v1/dashboard/summary/"),
            ("volunteers/?division=&star=", f"/api/v1/volunteers/?division={pingcheng.pk}&star=1&page_size=20"),
            ("reports/", "/api/v1/reports/?page_size=20"),
            ("supervision-cards/", "/api/v1/supervision-cards/?page_size=20"),
            ("service-records/", "/api/v1/service-records/?page_size=20"),
            ("volunteers/?search=张&page=3", "/api/v1/volunteers/?search=张&page=3&page_size=20"),
            ("problems/", "/api/v1/problems/?page_size=20"),
            ("dashboard/districts/（红黑榜）", "/api/v1/dashboard/districts/"),
            ("驾驶舱 /（指挥部首页）", "/"),
        ]
        pending = list(
            ServiceRecord.objects.filter(division=pingcheng, status=RecordStatus.PENDING)
            .order_by("id")
            .values_list("id", flat=True)[:20_000]
        )
        if len(pending) < 200:
            raise CommandError("平城区待确认服务记录不足 200 条：请用 make bench FRESH=1 重新生成数据。")

        env, session_cookie = self._server_environment(hq)
        token, _ = Token.objects.get_or_create(user=officer)
        if timezone.now() - token.created > timedelta(days=settings.API_TOKEN_TTL_DAYS - 1):
            token.delete()
            token = Token.objects.create(user=officer)
        browser = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_cookie}"}
        api_client = {"Authorization": f"Token {token.key}"}

        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        work = Path(tempfile.mkdtemp(prefix="datong-bench-"))
        self.stdout.write(f"收集静态文件并启动 gunicorn（{workers} 个进程，端口 {port}）…")
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
        )
        # The production unit's gunicorn settings (deploy/gunicorn.conf.py), its metrics folder included.
        (work / "prometheus").mkdir()
        env.update(
            GUNICORN_BIND=f"127.0.0.1:{port}",
            GUNICORN_WORKERS=str(workers),
            PROMETHEUS_MULTIPROC_DIR=str(work / "prometheus"),
        )
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "datong_portal.wsgi", "-c", "deploy/gunicorn.conf.py"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(work / "gunicorn.log", "w"),  # noqa: SIM115 (closed with the process)
            start_new_session=True,
        )
        rows = []
        try:
            _wait_until_up(base + BARE, server, work / "gunicorn.log")
            self.stdout.write(f"每项 {clients} 个并发客户端、{seconds} 秒（先预热）：")
            # The machine is shared: before each call the bare view is measured again for a few seconds, and the
            # call's share is taken against that neighbour rather than against a figure from minutes earlier.
            bare_seconds = max(3, seconds // 3)

            def measure(label, clients_now, call_env, headers):
                if rows:
                    neighbour = self._locust(work, base, clients, bare_seconds, {"BENCH_PATH": BARE}, browser)["rps"]
                figures = self._locust(work, base, clients_now, seconds, call_env, headers)
                figures["bare"] = neighbour if rows else figures["rps"]
                rows.append((label, figures))
                self.stdout.write(
                    f"  {label:<34}{figures['rps']:>9.0f} 次/秒  p95 {figures['p95']:>5.0f} ms"
                    f"  （空视图 {figures['bare']:.0f} 次/秒）"
                )

            for label, path in calls:
                _warm_up(base + path, browser)
                measure(label, clients, {"BENCH_PATH": path}, browser)
            half = len(pending) // 2
            measure("确认服务记录（1 个客户端）", 1, {"BENCH_CONFIRM_IDS": _ids(work, pending[:half])}, api_client)
            measure(
                f"确认服务记录（{clients} 个客户端，同一区县）",
                clients,
                {"BENCH_CONFIRM_IDS": _ids(work, pending[half:])},
                api_client,
            )
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)  # kept when a call failed: gunicorn.log and locust's CSV tell why

        self.stdout.write("编制月度工作简报（worker 的同一函数）…")
        briefing = _briefing_build_time(hq)
        table = _table(
            rows, clients=clients, workers=workers, seconds=seconds, seed=(seed_seconds, seeded_now), briefing=briefing
        )
        self.stdout.write("")
        self.stdout.write(table)
        Path(output).write_text(_document(table), encoding="utf-8")
        self.stdout.write(f"结果已写入 {output}")
        if not no_readme:
            _update_readme(settings.BASE_DIR / "README.md", table)

    def _seed(self):
        """((demo seconds, full-scale seconds), seeded now): both None for a database seeded without a record."""
        record = Path(settings.VAR_DIR) / SEED_RECORD
        if Volunteer.objects.count() >= SCALES["full"]["volunteers"]:
            if record.exists():
                kept = json.loads(record.read_text())
                return (kept.get("demo_seconds"), kept.get("scale_seconds")), False
            return (None, None), False
        started = time.perf_counter()
        call_command("seed_datong", demo=True, stdout=self.stdout)
        demo_seconds = time.perf_counter() - started
        started = time.perf_counter()
        call_command("seed_datong", scale="full", stdout=self.stdout)
        scale_seconds = time.perf_counter() - started
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(json.dumps({"demo_seconds": demo_seconds, "scale_seconds": scale_seconds}))
        return (demo_seconds, scale_seconds), True

    def _server_environment(self, user):
        """Production settings on this machine's loopback, and a signed-in session of ``user`` for the browser calls.

        The session is written here with the engine the server will use and signed with the key it will use, so the
        server takes it as its own (the same as a person who signed in on the login page).
        """
        engine = (
            "django.contrib.sessions.backends.cache" if settings.REDIS_URL else "django.contrib.sessions.backends.db"
        )
        env = {
            **os.environ,
            "DJANGO_ENV": "production",
            "BENCH": "1",
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_ENGINE": engine,
            "STATIC_ROOT": str(Path(settings.VAR_DIR) / "bench-static"),
            "LOG_LEVEL": "WARNING",
        }
        env.pop("DJANGO_DEBUG", None)
        session = import_module(engine).SessionStore()
        now = time.time()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[SESSION_STARTED] = now
        session[SESSION_SEEN] = now
        session.create()
        return env, session.session_key

    def _locust(self, work, base, clients, seconds, call_env, headers):
        prefix = work / f"run-{secrets.token_hex(4)}"
        env = {**os.environ, **call_env, "BENCH_HEADERS": json.dumps(headers)}
        command = [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--host",
            base,
            "-u",
            str(clients),
            "-r",
            str(clients),
            "--run-time",
            f"{seconds}s",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "ERROR",
            "--exit-code-on-error",
            "0",
        ]
        subprocess.run(command, env=env, cwd=work, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
            total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
        failures = int(total["Failure Count"])
        if failures or not int(total["Request Count"]):
            detail = Path(f"{prefix}_failures.csv").read_text(encoding="utf-8")[:500]
            raise CommandError(f"压测请求失败 {failures} 次：{call_env}\n{detail}")
        return {
            "rps": float(total["Requests/s"]),
            "p95": float(total["95%"]),
            "requests": int(total["Request Count"]),
        }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url, server, log, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandError(f"gunicorn 未能启动，见 {log}。")
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or a worker still booting
            pass
        time.sleep(0.3)
    raise CommandError(f"gunicorn 60 秒内未就绪，见 {log}。")


def _warm_up(url, headers, times=20):
    for _ in range(times):
        response = requests.get(url, headers=headers, timeout=30, allow_redirects=False)
        if response.status_code != 200:
            raise CommandError(f"{url} → {response.status_code}")


def _ids(work, ids) -> str:
    path = work / f"ids-{secrets.token_hex(4)}.txt"
    path.write_text("\n".join(str(i) for i in ids))
    return str(path)


BRIEFING_PAGES = 20
BUSY_MONTH_CARDS = 200  # closed, and as many overdue: with the full-scale month, over 20 pages


def _briefing_build_time(hq) -> dict:
    """{"pages", "seconds", "month"}: last month's briefing built by the worker's function on this database, the month
    padded with closed and overdue supervision cards until its issue runs to 20 pages or more. Everything it writes
    (the cards, the issue, its number) is rolled back and the PDF it stored is deleted."""
    from datong_portal.briefing.models import Briefing
    from datong_portal.briefing.services import briefing_build, briefing_request, month_to_build
    from supervision.choices import CardSource, CardStatus
    from supervision.models import SupervisionCard

    period = month_to_build(timezone.localdate())
    units = list(Unit.objects.exclude(division=None).order_by("pk"))
    start = timezone.make_aware(datetime.combine(period.first_day, datetime.min.time()))
    first = period.first_day
    with transaction.atomic():
        base = (SupervisionCard.objects.aggregate(top=Max("sequence"))["top"] or 0) + 1
        cards = []
        for n in range(2 * BUSY_MONTH_CARDS):
            unit = units[n % len(units)]
            closed = n < BUSY_MONTH_CARDS
            cards.append(
                SupervisionCard(
                    year=first.year,
                    sequence=base + n,
                    number=f"督办〔{first.year}〕第{base + n}号",
                    title=f"压测督办事项{n + 1}：{unit.name}背街小巷环境卫生整治不到位",
                    description="按要求整改",
                    source=CardSource.INSPECTION,
                    issued_by=hq,
                    issued_at=start + timedelta(hours=n % 48),
                    assignee_unit=unit,
                    division=unit.division,
                    deadline=first + timedelta(days=10 + n % 15),
                    original_deadline=first + timedelta(days=10 + n % 15),
                    status=CardStatus.CLOSED if closed else CardStatus.ISSUED,
                    closed_at=start + timedelta(days=5 + n % 20) if closed else None,
                )
            )
        SupervisionCard.objects.bulk_create(cards)
        briefing = briefing_request(period=period, actor=hq)  # queued after a commit that never comes
        briefing_build(briefing.pk)
        built = Briefing.objects.get(pk=briefing.pk)
        built.pdf.storage.delete(built.pdf.name)
        transaction.set_rollback(True)
    if built.pages < BRIEFING_PAGES:
        raise CommandError(f"压测简报只有 {built.pages} 页，不足 {BRIEFING_PAGES} 页：请增加 BUSY_MONTH_CARDS。")
    return {"pages": built.pages, "seconds": built.build_seconds, "month": period.display()}


def _table(rows, *, clients, workers, seconds, seed, briefing) -> str:
    lines = [
        "| 调用 | 每秒请求数 | p95 (ms) | 紧邻测得的空视图每秒请求数 | 占空视图的比例 |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, figures in rows:
        bare = figures.get("bare", rows[0][1]["rps"])
        lines.append(
            f"| {label} | {figures['rps']:,.0f} | {figures['p95']:.0f} | {bare:,.0f} | {figures['rps'] / bare * 100:.0f} % |"
        )
    (demo_seconds, scale_seconds), seeded_now = seed
    if scale_seconds is None:
        seed_line = "全市规模数据生成用时：未知（数据库已存在，且无生成记录）。"
    else:
        seed_line = (
            f"全市规模数据生成（seed_datong --scale full）用时：{scale_seconds:.1f} 秒；"
            f"此前演示数据（seed_datong --demo）{demo_seconds:.1f} 秒"
            f"（{'本次生成' if seeded_now else '上次生成时记录'}）。"
        )
    briefing_line = (
        f"月度工作简报（{briefing['month']}，补足为 {briefing['pages']} 页，worker 中的 briefing_build）："
        f"编制用时 {briefing['seconds']:.1f} 秒。"
    )
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    load = os.getloadavg()[1]  # the last five minutes: how much else the machine was doing meanwhile
    return (
        f"{stamp}，{os.cpu_count()} 核机器（5 分钟平均负载 {load:.1f}）；gunicorn {workers} 个进程，{clients} 个并发客户端"
        f"（locust），每项 {seconds} 秒；列表每页 20 条。\n\n"
        + "\n".join(lines)
        + f"\n\n{seed_line}\n\n{briefing_line}\n"
    )


def _document(table: str) -> str:
    return (
        "# 性能测试结果（`make bench`）\n\n"
        "由 `python manage.py benchmark` 生成（datong_portal/ops/management/commands/benchmark.py），请勿手工编辑。"
        '同一次运行中与空视图 `JsonResponse({"ok": True})` 对比；机器是共享的，看比例，不看绝对值。\n\n'
        "目标：各列表接口 ≥ 空视图的 35 %，dashboard/summary/ ≥ 50 %，驾驶舱 p95 ≤ 60 ms；"
        "确认服务记录 p95 ≤ 15 ms（1 个客户端），同一区县 4 个客户端 ≥ 150 次/秒；全市规模数据生成（--scale full）≤ 40 秒；20 页的月度简报在 worker 中 ≤ 5 秒。\n\n"
        + table
    )


def _update_readme(path: Path, table: str) -> None:
    text = path.read_text(encoding="utf-8")
    if README_START not in text or README_END not in text:
        return
    head, rest = text.split(README_START, 1)
    _old, tail = rest.split(README_END, 1)
    path.write_text(f"{head}{README_START}\n{table}{README_END}{tail}", encoding="utf-8")
