"""The calendar under faults: a real worker and two beats on a Redis of the test's own, the worker SIGKILLed mid-sweep
and restarted, the Redis stopped and started again — and still every notice exactly once per recipient and every
email delivered exactly once.

The subprocesses read the pytest-django test database, so the test is transactional (rows are committed). The mail
server, the one thing outside the machine, is ``tests.mailbox`` (it delivers each Message-ID once, as a mail service
honouring the idempotency key does, and counts repeats).
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from campaigns import workdays
from campaigns.models import Notification, Unit, User
from campaigns.selectors import headquarters_staff
from supervision.choices import CardSource, EscalationStep
from supervision.clock import _message
from supervision.services import supervision_card_issue
from taskforces import periods
from taskforces.choices import ReportKind
from taskforces.models import Report
from taskforces.services import report_people
from tests import mailbox

ROOT = Path(__file__).resolve().parents[2]
MONDAY_DEADLINE = datetime(2022, 8, 22, 23, 59, 59, tzinfo=periods.local_tz())  # 2022-W33's weekly summaries
REPORTS = 240
HQ_STAFF = 10
WORKER_POOL = 2  # the worker's pool processes


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Processes:
    """The Redis, worker and beats of one test, each in its own process group so a SIGKILL takes its children too."""

    def __init__(self, tmp_path, port):
        self.tmp_path, self.port, self.running, self.restarts = tmp_path, port, {}, []
        self.log = open(tmp_path / "chaos.log", "w")  # noqa: SIM115 - closed in stop_all
        redis_url = f"redis://127.0.0.1:{port}/0"
        self.env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": redis_url,
            "DJANGO_ENV": "test",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_VISIBILITY_TIMEOUT": "10",  # a killed worker's tasks come back in seconds (production: 10 min)
            "NOTIFICATION_EMAIL_LEASE_SECONDS": "5",
            "EMAIL_BACKEND": "tests.mailbox.MailboxBackend",
            "MAILBOX_DIR": str(tmp_path / "mail"),
        }

    def start(self, name, args):
        self.running[name] = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def start_redis(self):
        self.start(
            "redis",
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("redis-server did not start")

    def start_celery(self, name, *args):
        self.start(name, [sys.executable, "-m", "celery", "-A", "datong_portal", *args])

    def start_worker(self):
        self.start_celery(
            "worker", "worker", f"--concurrency={WORKER_POOL}", "--without-gossip", "--without-mingle", "--loglevel=INFO",
            "-n", f"chaos-{os.getpid()}@%h",
        )  # fmt: skip

    def start_beat(self, name):
        self.start_celery(name, "beat", "--loglevel=INFO", "-s", str(self.tmp_path / f"{name}-schedule"))

    def kill_a_pool_process(self):
        """SIGKILL one of the worker's pool processes (the worker itself lives on and replaces it)."""
        worker = self.running["worker"].pid
        children = [
            int(pid)
            for task in Path(f"/proc/{worker}/task").iterdir()
            for pid in (task / "children").read_text().split()
        ]
        os.kill(children[-1], signal.SIGKILL)

    def supervise(self):
        """Start again any worker or beat that exited by itself, as systemd's ``Restart=always`` does in production
        (deploy/). kombu 5.7's Redis transport can end a worker with "Unrecoverable error: AttributeError … hostname"
        when the broker drops while it restores unacknowledged messages; the supervisor, not the code, recovers that."""
        for name, process in list(self.running.items()):
            if name != "redis" and process.poll() is not None:
                self.restarts.append(name)
                del self.running[name]
                self.start_worker() if name == "worker" else self.start_beat(name)

    def kill(self, name):
        process = self.running.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)

    def stop_all(self):
        for name in list(self.running):
            process = self.running.pop(name)
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            except ProcessLookupError:
                pass
        self.log.close()

    def output(self) -> str:
        self.log.flush()
        return (self.tmp_path / "chaos.log").read_text(errors="replace")[-4000:]


def _beat_every_two_seconds(name, task, args):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every, _ = IntervalSchedule.objects.get_or_create(every=2, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(name=name, task=task, interval=every, args=json.dumps(args))


def _expected_notices(reports, cards, digest_day) -> set[tuple[int, str]]:
    hq = {user.pk for user in headquarters_staff()}
    expected = {(pk, f"report-digest:{digest_day.isoformat()}") for pk in hq}
    for report in reports:
        people = {user.pk for user in report_people(report) if user.is_active}
        expected |= {(pk, f"report-reminder:weekly:{report.period}:before:{report.pk}") for pk in people}
        expected |= {(pk, f"report-missing:weekly:{report.period}:deadline:{report.pk}") for pk in people | hq}
    for card in cards:
        for step, days in [
            (EscalationStep.REMINDER, -1),
            (EscalationStep.OVERDUE_1, 1),
            (EscalationStep.OVERDUE_3, 3),
            (EscalationStep.OVERDUE_7, 7),
        ]:
            recipients = _message(card, step, days)[0]
            expected |= {(user.pk, f"supervision:{card.pk}:{step}") for user in recipients if user.is_active}
    return expected


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_no_notice_or_email_is_lost_or_repeated_when_the_worker_is_killed_and_redis_restarts(
    city, supervisor, government, yungang, tmp_path
):
    # Headquarters has a dozen staff, and every active person has an address, so every notice is also an email.
    hq_user = city["hq"]
    for n in range(HQ_STAFF):
        User.objects.create(username=f"hq-staff-{n}", role=hq_user.role, unit=hq_user.unit, display_name=f"指挥部{n}")
    for user in User.objects.filter(is_active=True):
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@datong.example")
    # A heavy Monday: a few hundred weekly summaries, all due tonight, none submitted.
    units = list(Unit.objects.order_by("id"))
    rows, week = [], 1
    while len(rows) < REPORTS:
        period = f"2022-W{week:02d}"
        rows += [Report(unit=unit, kind=ReportKind.WEEKLY, period=period, due_at=MONDAY_DEADLINE) for unit in units]
        week += 1
    Report.objects.bulk_create(rows[:REPORTS])
    reports = list(Report.objects.filter(due_at=MONDAY_DEADLINE).select_related("unit", "leader"))
    # Supervision cards due the day after tomorrow: reminder, then overdue steps 1, 3 and 7.
    deadline = timezone.localdate() + timedelta(days=2)
    cards = [
        supervision_card_issue(
            actor=supervisor,
            title=f"背街小巷整治 {n}",
            description="垃圾堆放。",
            source=CardSource.INSPECTION,
            assignee_unit=government(yungang),
            deadline=deadline,
        )
        for n in range(5)
    ]
    Notification.objects.update(emailed_at=timezone.now())  # the demo data's own notices were emailed long ago
    started = timezone.now()

    def local(day, hour, minute=0):
        return datetime.combine(day, datetime.min.time()).replace(hour=hour, minute=minute, tzinfo=periods.local_tz())

    monday = MONDAY_DEADLINE.date()
    tuesday = monday + timedelta(days=1)
    ticks = [
        ("reports_remind", local(monday, 9, 0)),
        ("reports_mark_missing", local(tuesday, 0, 10)),
        ("reports_digest", local(tuesday, 8, 40)),
        # The ladder counts working days from the deadline (a rest day's deadline has moved to a working day).
        ("supervision-escalation", local(workdays.previous_working_day(cards[0].deadline), 8, 40)),
        ("supervision-escalation", local(workdays.add_working_days(cards[0].deadline, 1), 9)),
        ("supervision-escalation", local(workdays.add_working_days(cards[0].deadline, 3), 9)),
        ("supervision-escalation", local(workdays.add_working_days(cards[0].deadline, 7), 9)),
    ]
    for n, (sweep, now) in enumerate(ticks):
        _beat_every_two_seconds(f"测试：{sweep} {n}", "campaigns.tasks.run_sweep", [sweep, now.isoformat()])
    _beat_every_two_seconds("测试：邮件发件箱", "campaigns.tasks.send_pending_emails", [])
    expected = _expected_notices(reports, cards, tuesday)
    missing_keys = Notification.objects.filter(key__startswith="report-missing:")

    procs = Processes(tmp_path, _free_port())
    try:
        procs.start_redis()
        procs.start_worker()
        procs.start_beat("beat-a")
        procs.start_beat("beat-b")
        # SIGKILL the whole worker while the mark-missing sweep is half-way, then start it again.
        give_up = time.monotonic() + 60
        while missing_keys.count() < 300 and time.monotonic() < give_up:
            time.sleep(0.05)
        procs.kill("worker")
        half_way = missing_keys.count()
        procs.start_worker()
        # SIGKILL a pool process while the outbox is sending.
        give_up = time.monotonic() + 60
        while Notification.objects.filter(created_at__gte=started, emailed_at__isnull=False).count() < 200:
            assert time.monotonic() < give_up, procs.output()
            time.sleep(0.05)
        procs.kill_a_pool_process()
        # Stop the broker for ten seconds while the sweeps and the outbox are at work, then start it again, empty.
        time.sleep(4)
        procs.kill("redis")
        time.sleep(10)
        procs.start_redis()
        # Wait until every notice exists and the outbox has drained.
        give_up = time.monotonic() + 120
        while time.monotonic() < give_up:
            procs.supervise()
            told = set(Notification.objects.filter(key__isnull=False).values_list("recipient_id", "key"))
            if expected <= told and not Notification.objects.filter(emailed_at__isnull=True).exists():
                break
            time.sleep(1)
        time.sleep(3)  # a few more ticks from both beats: they must add nothing
    finally:
        output = procs.output()
        procs.stop_all()

    assert 0 < half_way < len([key for _pk, key in expected if key.startswith("report-missing:")]), (
        "the kill should land mid-sweep"
    )
    rows = list(Notification.objects.filter(key__isnull=False).values_list("recipient_id", "key"))
    assert len(rows) == len(set(rows)), "a notice was repeated"
    keys = {key for _pk, key in expected}
    ours = {row for row in rows if row[1] in keys}
    assert expected - ours == set(), f"notices lost: {sorted(expected - ours)[:5]}\n{output}"
    assert ours - expected == set(), f"unexpected notices: {sorted(ours - expected)[:5]}"
    assert Report.objects.filter(due_at=MONDAY_DEADLINE, missing_marked_at__isnull=True).count() == 0
    # Every email out exactly once: one delivery per notification, none left unsent.
    should_be_mailed = {
        mailbox._safe(n.message_id)
        for n in Notification.objects.filter(created_at__gte=started, recipient__is_active=True)
    }
    delivered = set(mailbox.delivered_ids(tmp_path / "mail"))
    assert not Notification.objects.filter(emailed_at__isnull=True).exists(), output
    assert delivered == should_be_mailed, f"{len(delivered)} delivered, {len(should_be_mailed)} due\n{output}"
    # A send cut off between the mail server's answer and the commit is offered again with the same Message-ID: at
    # most one per pool process per kill (the whole worker's WORKER_POOL processes, then one pool process); the
    # server's idempotency key keeps it to one delivery.
    # A worker that ended by itself in the outage (and was started again by the supervisor) counts as one more kill.
    assert mailbox.repeats(tmp_path / "mail") <= WORKER_POOL * (1 + procs.restarts.count("worker")) + 1
    assert "campaigns.tasks.run_sweep" in output
    print(  # the figures of this run, for the log (pytest -s)
        f"notices {len(expected)}, killed with {half_way} missing-notices written, emails {len(delivered)}, "
        f"repeats held back by the idempotency key {mailbox.repeats(tmp_path / 'mail')}, restarted by the supervisor: "
        f"{procs.restarts or 'none'}"
    )
