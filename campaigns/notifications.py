"""One way to tell people things: an inbox row per recipient, and an email after the transaction commits.

Reminders, deadline notices, escalations and digests all call :func:`notify`. Give it a ``key`` that names the
occasion — ``"report-reminder:weekly:2022-W34:before"`` — and the same occasion reaches each person once, however many
times a sweep runs, concurrently or not.
"""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.models import Notification, User


def notify(
    *, recipients: Iterable[User], kind: str, title: str, body: str = "", url: str = "", key: str | None = None
) -> list[Notification]:
    """Create a notification for each recipient not yet told about ``key``; return the ones created now."""
    created = []
    for recipient in {r.pk: r for r in recipients if r is not None and r.is_active}.values():
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=recipient, kind=kind, key=key, title=title, body=body, url=url
                )
        except IntegrityError:
            continue  # already told: exactly once per (recipient, key)
        created.append(notification)
        if recipient.email:
            from campaigns.tasks import send_notification_email

            transaction.on_commit(lambda pk=notification.pk: send_notification_email.delay(pk))
    return created


def notification_mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


def unread_count(request) -> dict:
    """Header figure (contributed in campaigns.apps): the unread count beside the bell."""
    return {"unread_notifications": Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()}
