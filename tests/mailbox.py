"""A stand-in for the mail server (the one thing outside the machine): an email backend that delivers into a folder.

Like a mail service that honours an idempotency key, it delivers each ``Message-ID`` once: the first delivery creates
``<folder>/delivered/<id>.eml``; a repeat is recorded under ``<folder>/repeats/`` and not delivered. The folder is
``MAILBOX_DIR`` (an environment variable, so a Celery worker started by a test writes where the test reads).
"""

import os
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


def _safe(message_id: str) -> str:
    return "".join(c if c.isalnum() or c in "-_.@" else "_" for c in message_id)


class MailboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        root = Path(os.environ["MAILBOX_DIR"])
        (root / "delivered").mkdir(parents=True, exist_ok=True)
        (root / "repeats").mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            message_id = message.extra_headers.get("Message-ID") or uuid.uuid4().hex
            data = message.message().as_bytes()
            try:
                with open(root / "delivered" / f"{_safe(message_id)}.eml", "xb") as delivered:
                    delivered.write(data)
            except FileExistsError:
                (root / "repeats" / f"{_safe(message_id)}-{uuid.uuid4().hex}.eml").write_bytes(data)
        return len(email_messages)


def delivered_ids(root: Path) -> list[str]:
    return sorted(path.stem for path in (root / "delivered").glob("*.eml"))


def repeats(root: Path) -> int:
    return len(list((root / "repeats").glob("*.eml")))
