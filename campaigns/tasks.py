from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from campaigns.models import Notification


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def send_notification_email(self, notification_id: int) -> bool:
    """Email one notification; a second delivery of the same task sends nothing (``emailed_at`` decides)."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at or not notification.recipient.email:
            return False
        body = notification.body
        if notification.url:
            body = f"{body}\n\n{settings.PORTAL_BASE_URL.rstrip('/')}{notification.url}"
        send_mail(f"【大同创城】{notification.title}", body, None, [notification.recipient.email])
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


@shared_task(bind=True, acks_late=True, max_retries=3, soft_time_limit=600, time_limit=660)
def run_sweep(self, name: str, now_iso: str | None = None) -> str:
    """Run one calendar sweep as of now (or ``now_iso``). Idempotent, so a retry or a second delivery is harmless."""
    from datetime import datetime

    from campaigns.clock import run_sweeps

    now = datetime.fromisoformat(now_iso) if now_iso else timezone.now()
    try:
        return run_sweeps(now, only=[name])[name]
    except Exception as error:  # a database hiccup: try again later, the sweep picks up where it left off
        raise self.retry(exc=error, countdown=60 * (self.request.retries + 1)) from error
