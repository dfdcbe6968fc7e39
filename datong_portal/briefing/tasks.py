"""The briefing is built here, in the worker: a request only queues it (``services.briefing_request``)."""

from celery import shared_task


@shared_task(bind=True, acks_late=True, soft_time_limit=5 * 60, time_limit=6 * 60)
def build_briefing(self, briefing_id: int) -> str:
    """Build one briefing by id. A second delivery finds it claimed (or done) and does nothing."""
    from datong_portal.briefing.services import briefing_build

    return "built" if briefing_build(briefing_id) else "not queued: nothing to do"
