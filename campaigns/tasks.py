"""Celery tasks of the ground floor: the email outbox and the calendar's sweeps.

Email is an *outbox*: :func:`campaigns.notifications.notify` only writes rows; :func:`send_pending_emails` (beat, every
minute, and kicked after each commit that wrote notices) sends every row not yet emailed. Each row is first *claimed*
(``email_claimed_at``, committed), then sent, then marked ``emailed_at``. A process that dies between the send and the
mark leaves a claimed row, which is retried only after the lease (``NOTIFICATION_EMAIL_LEASE_SECONDS``, ten minutes); the retry carries the same
``Message-ID`` / ``X-Idempotency-Key`` header, so a mail server that deduplicates on it delivers it once. Exactly-once
to the mail server is bounded by that header; exactly-once *attempts* are bounded by the lease.
"""

import logging
import uuid
from datetime import datetime, timedelta

from celery import shared_task
from celery.exceptions import Retry
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from campaigns.models import Notification

logger = logging.getLogger(__name__)

# Rows older than this are never emailed (a notice from last month is not worth an email today); they stay in the inbox.
EMAIL_MAX_AGE = timedelta(days=2)
OUTBOX_BATCH = 200


def email_claim_lease() -> timedelta:
    """A claimed row not marked sent within this time is tried again (its sender died between the send and the mark)."""
    return timedelta(seconds=settings.NOTIFICATION_EMAIL_LEASE_SECONDS)


def enqueue_quietly(task, *args, **options) -> bool:
    """Queue ``task``; if the broker is away, log it and go on (the outbox or the next beat tick picks it up)."""
    try:
        task.apply_async(args=args, **options)
    except Exception:  # kombu/redis raise many types; none of them may undo the caller's committed work
        logger.warning("broker unavailable: %s not queued, the next beat tick covers it", task.name, exc_info=True)
        return False
    return True


def _pending(now: datetime):
    return Notification.objects.filter(
        emailed_at__isnull=True, created_at__gte=now - EMAIL_MAX_AGE, recipient__is_active=True
    ).exclude(recipient__email="")


def _claim(notification_id: int, now: datetime) -> Notification | None:
    """Claim one row for sending, in its own committed transaction; ``None`` if sent, claimed by a live sender, or gone."""
    with transaction.atomic():
        notification = (
            _pending(now)
            .filter(pk=notification_id)
            .exclude(email_claimed_at__gt=now - email_claim_lease())
            .select_for_update(of=("self",), skip_locked=True)
            .select_related("recipient")
            .first()
        )
        if notification is None:
            return None
        notification.email_claimed_at = now
        notification.save(update_fields=["email_claimed_at"])
    return notification


def _send(notification: Notification) -> None:
    body = notification.body
    if notification.url:
        body = f"{body}\n\n{settings.PORTAL_BASE_URL.rstrip('/')}{notification.url}"
    EmailMessage(
        subject=f"【大同创城】{notification.title}",
        body=body,
        to=[notification.recipient.email],
        headers={"Message-ID": notification.message_id, "X-Idempotency-Key": notification.message_id},
    ).send()


def email_notification(notification_id: int, now: datetime | None = None) -> bool:
    """Claim, send and mark one notification; ``False`` if there was nothing to send (already sent or being sent)."""
    now = now or timezone.now()
    notification = _claim(notification_id, now)
    if notification is None:
        return False
    try:
        _send(notification)
    except Exception:
        # Not sent: release the claim so the next outbox run tries again at once.
        Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(email_claimed_at=None)
        raise
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


@shared_task(bind=True, acks_late=True, soft_time_limit=120, time_limit=150)
def send_pending_emails(self) -> str:
    """The outbox: send every notification not yet emailed. Safe to run twice at once (claims skip locked rows)."""
    sent = failed = 0
    now = timezone.now()
    ids = list(
        _pending(now)
        .exclude(email_claimed_at__gt=now - email_claim_lease())
        .order_by("id")
        .values_list("id", flat=True)[:OUTBOX_BATCH]
    )
    for notification_id in ids:
        try:
            # Each claim is stamped with its own moment, not the batch's start: a batch slower than the lease would
            # otherwise claim rows already "expired" and let a second sender take them while this one sends.
            sent += email_notification(notification_id)
        except OSError:
            failed += 1
            logger.warning("email of notification %s failed; the outbox retries it", notification_id, exc_info=True)
    if len(ids) == OUTBOX_BATCH and not failed:
        enqueue_quietly(send_pending_emails)  # more waiting: carry on without waiting for the next minute
    return f"sent {sent}, failed {failed}"


@shared_task(bind=True, acks_late=True, soft_time_limit=60, time_limit=90)
def send_notification_email(self, notification_id: int) -> bool:
    """Email one notification (kept for messages already queued by older code); the outbox does the same work."""
    return email_notification(notification_id)


RUN_SWEEP_TIME_LIMIT = 9 * 60


class _SweepLock:
    """At most one run of a sweep (for one ``now``) at a time, in the shared cache (Redis in production).

    ``SET NX`` with an expiry no longer than the broker's visibility timeout and the task's time limit: a killed
    worker's lock lapses by the time Redis redelivers its task. If the cache is unreachable the sweep runs unlocked;
    it is idempotent, so the lock only saves doubled work. (Not a PostgreSQL session lock: behind PgBouncer's
    transaction pooling a session lock could be taken on one server connection and never released.)
    """

    def __init__(self, name: str, now_iso: str | None):
        self.key = f"campaign-sweep-lock:{name}:{now_iso or 'now'}"
        self.token = uuid.uuid4().hex
        visibility = (settings.CELERY_BROKER_TRANSPORT_OPTIONS or {}).get("visibility_timeout", RUN_SWEEP_TIME_LIMIT)
        self.ttl = min(visibility, RUN_SWEEP_TIME_LIMIT)

    def acquire(self) -> bool:
        try:
            return cache.add(self.key, self.token, self.ttl)
        except Exception:
            logger.warning("sweep lock unavailable (cache down); running unlocked", exc_info=True)
            return True

    def release(self) -> None:
        try:
            if cache.get(self.key) == self.token:
                cache.delete(self.key)
        except Exception:  # it lapses by itself
            logger.warning("sweep lock not released (cache down); it expires in %s s", self.ttl)


@shared_task(
    bind=True, acks_late=True, max_retries=3, soft_time_limit=RUN_SWEEP_TIME_LIMIT - 60, time_limit=RUN_SWEEP_TIME_LIMIT
)
def run_sweep(self, name: str, now_iso: str | None = None) -> str:
    """Run one calendar sweep as of now (or ``now_iso``). Idempotent, so a retry or a second delivery is harmless.

    Two beats (or a beat and a redelivery) may send the same tick twice: a lock per (sweep, tick) lets one run at a time
    and the other return at once. A failed run retries if the broker takes the retry; if not, the run fails and the
    next tick catches up, because every sweep looks at what is due, not at what is due "today".
    """
    from campaigns.clock import run_sweeps

    now = datetime.fromisoformat(now_iso) if now_iso else timezone.now()
    lock = _SweepLock(name, now_iso)
    if not lock.acquire():
        logger.info("sweep %s is already running elsewhere; this delivery does nothing", name)
        return f"{name}: already running"
    try:
        return run_sweeps(now, only=[name])[name]
    except Exception as error:  # a database hiccup: try again later, the sweep picks up where it left off
        try:
            raise self.retry(exc=error, countdown=60 * (self.request.retries + 1)) from error
        except Retry:
            raise
        except Exception:
            # The broker is away too: fail this run (the metrics count it) and leave it to the next tick.
            logger.warning("sweep %s failed and its retry could not be queued; the next tick catches up", name)
            raise error from None
    finally:
        lock.release()


@shared_task(acks_late=True, soft_time_limit=8 * 60, time_limit=9 * 60)  # below the broker's visibility timeout
def build_export(job_id: int) -> None:
    """Build a large list export (campaigns.exports); a second delivery finds the job claimed and does nothing."""
    from campaigns.exports import export_job_run

    export_job_run(job_id)
