"""A real Celery worker against Redis builds the briefing that a request queued: the web side never renders the PDF.

The worker is a subprocess reading the pytest-django test database, so the test is transactional (rows committed), and
it writes the PDF under this test's MEDIA_ROOT."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings

from datong_portal.briefing import services
from datong_portal.briefing.choices import BriefingStatus
from datong_portal.briefing.models import Briefing
from tests.briefing.conftest import MARCH_2021
from tests.pdf import assert_cjk_font_embedded, pdf_text
from tests.taskforces.test_celery_beat import ROOT, _database_url, _start


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_queued_briefing(march, tmp_path):
    redis_url = os.environ.get("REDIS_URL") or settings.CELERY_BROKER_URL
    assert redis_url.startswith("redis://"), "this test needs Redis (REDIS_URL)"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "DJANGO_ENV": "test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    log_path = tmp_path / "celery.log"
    with open(log_path, "w") as log:
        subprocess.run(
            [sys.executable, "-m", "celery", "-A", "datong_portal", "purge", "-f"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        )
        # The request commits and queues the build (on commit); it returns at once with the issue queued.
        briefing = services.briefing_request(period=MARCH_2021, actor=march["hq"])
        assert briefing.status == BriefingStatus.QUEUED and not briefing.pdf
        worker = _start(["worker", "--pool=solo", "--without-gossip", "--without-mingle", "--loglevel=INFO"], env, log)
        seen_progress = set()
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and worker.poll() is None:
                briefing.refresh_from_db()
                seen_progress.add(briefing.progress)
                if briefing.status in (BriefingStatus.DONE, BriefingStatus.FAILED):
                    break
                time.sleep(0.2)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
    output = log_path.read_text()
    briefing = Briefing.objects.get(pk=briefing.pk)
    assert briefing.status == BriefingStatus.DONE, (briefing.error, output[-3000:])
    assert "datong_portal.briefing.tasks.build_briefing" in output
    assert briefing.progress == 100 and briefing.builds == 1 and briefing.pages >= 1
    pdf = briefing.pdf.open("rb").read()
    assert_cjk_font_embedded(pdf)
    text = pdf_text(pdf)
    assert "〔2021〕第1期" in text and "2021年3月" in text
