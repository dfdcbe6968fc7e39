"""Two beats send each tick twice: the second copy of a running sweep returns at once; a finished one frees the lock."""

from campaigns.tasks import _SweepLock, run_sweep


def test_a_second_copy_of_a_running_sweep_does_nothing(db):
    running = _SweepLock("reports_mark_missing", None)
    assert running.acquire()
    assert run_sweep.apply(args=["reports_mark_missing"]).get() == "reports_mark_missing: already running"
    running.release()
    assert run_sweep.apply(args=["reports_mark_missing"]).get().startswith("标记 0 份缺报")
    # The lock went with the run: the next tick runs again.
    assert run_sweep.apply(args=["reports_mark_missing"]).get().startswith("标记")


def test_the_lock_lapses_before_the_broker_would_redeliver(settings):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 120}
    assert _SweepLock("reports_remind", None).ttl == 120
