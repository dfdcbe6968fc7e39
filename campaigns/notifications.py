"""One way to tell people things: an inbox row per recipient, and an email sent from that row by the outbox.

Reminders, deadline notices, escalations and digests all call :func:`notify`. Give it a ``key`` that names the
occasion — ``"report-reminder:weekly:2022-W34:before"`` — and the same occasion reaches each person once, however many
times a sweep runs, concurrently or not.

``notify`` never talks to the broker: it writes rows inside the caller's transaction, so the notices commit (or roll
back) with the change they announce. Emails go out from those rows (``campaigns.tasks.send_pending_emails``, run by
beat every minute and kicked after the commit); if the broker is away the kick is skipped and the next run sends them.
"""

import time
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.bulk import BulkResult, bulk_apply
from campaigns.models import Notification, User


def notify(
    *, recipients: Iterable[User], kind: str, title: str, body: str = "", url: str = "", key: str | None = None
) -> list[Notification]:
    """Create a notification for each recipient not yet told about ``key``; return the ones created now."""
    created = []
    emails = False
    for recipient in {r.pk: r for r in recipients if r is not None and r.is_active}.values():
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=recipient, kind=kind, key=key, title=title, body=body, url=url
                )
        except IntegrityError:
            continue  # already told: exactly once per (recipient, key)
        created.append(notification)
        emails = emails or bool(recipient.email)
    if emails:
        transaction.on_commit(_kick_outbox)
    return created


_last_kick = 0.0


def _kick_outbox() -> None:
    """Wake the outbox after a commit; at most once a second per process, so a sweep of thousands queues a handful."""
    global _last_kick
    from campaigns.tasks import enqueue_quietly, send_pending_emails

    if time.monotonic() - _last_kick < 1.0:
        return  # a kick a moment ago, or the beat's next minute, sends these rows too
    _last_kick = time.monotonic()
    enqueue_quietly(send_pending_emails, countdown=1)


def notification_mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


def notifications_mark_read_many(*, user: User, notification_ids: Iterable[int]) -> BulkResult:
    """Mark the chosen notices read, answered row by row through :func:`campaigns.bulk.bulk_apply`: an id that is not
    one of the user's own notices is refused as not found (never told apart from one that does not exist); a notice
    read already counts as done and keeps its first reading time."""
    now = timezone.now()
    return bulk_apply(
        notification_ids,
        queryset=Notification.objects.filter(recipient=user),
        action=lambda notice: Notification.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=now),
        label=lambda notice: notice.title,
    )


def unread_count(request) -> dict:
    """Header figure (contributed in campaigns.apps): the unread count beside the bell."""
    return {"unread_notifications": Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()}
