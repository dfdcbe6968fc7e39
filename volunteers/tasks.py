from celery import shared_task


@shared_task(acks_late=True, soft_time_limit=8 * 60, time_limit=9 * 60)  # below the broker's visibility timeout
def run_import(job_id: int) -> None:
    """Run a stored roster import; idempotent (a finished job is left alone)."""
    from volunteers.imports import job_run

    job_run(job_id)
