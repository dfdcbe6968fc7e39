import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def closed_port():
    """A local port that nothing listens on (bound, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(name: str | None = None) -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name or db['NAME']}"


@pytest.fixture
def celery_worker_process(tmp_path):
    """A real solo Celery worker on the test's Redis; yields the process and stops it after the test."""
    redis_url = os.environ.get("REDIS_URL") or settings.CELERY_BROKER_URL
    assert redis_url.startswith("redis://"), "this test needs Redis (REDIS_URL)"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "DJANGO_ENV": "test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "LOG_FORMAT": "json",
    }
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed below, after the worker
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "datong_portal", "worker", "--pool=solo", "--without-gossip",
         "--without-mingle", "--loglevel=INFO", "-n", f"healthz-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    worker.log_path = tmp_path / "worker.log"
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()
