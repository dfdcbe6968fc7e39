"""The one way people are told things: an inbox row exactly once per key, and an email sent exactly once."""

import pytest
from django.core import mail
from django.utils import timezone

from campaigns.models import Notification
from campaigns.notifications import notify
from campaigns.tasks import email_claim_lease, send_notification_email, send_pending_emails


def test_a_keyed_notice_reaches_each_person_once(hq, officer_pingcheng):
    first = notify(recipients=[hq, officer_pingcheng], kind="test", title="周一总结提醒", key="reminder:2022-W34")
    again = notify(recipients=[hq, officer_pingcheng, hq], kind="test", title="周一总结提醒", key="reminder:2022-W34")
    assert len(first) == 2 and again == []
    assert Notification.objects.filter(key="reminder:2022-W34").count() == 2


def test_notices_without_a_key_are_not_deduplicated(hq):
    notify(recipients=[hq], kind="test", title="已退回")
    notify(recipients=[hq], kind="test", title="已退回")
    assert Notification.objects.filter(recipient=hq, title="已退回").count() == 2


def test_inactive_people_are_not_told(hq, officer_yungang):
    officer_yungang.is_active = False
    officer_yungang.save()
    assert [n.recipient for n in notify(recipients=[hq, officer_yungang], kind="test", title="x", key="k")] == [hq]


def _sent(notice):
    return [m for m in mail.outbox if m.extra_headers.get("Message-ID") == notice.message_id]


@pytest.fixture(autouse=True)
def _demo_notices_already_emailed(city):
    """The demo data's own notices are not what these tests look at."""
    Notification.objects.update(emailed_at=timezone.now())


def test_notify_writes_rows_only_and_wakes_the_outbox_after_commit(
    hq, officer_pingcheng, django_capture_on_commit_callbacks, monkeypatch
):
    hq.email = "hq@datong.example"
    hq.save()
    queued = []
    monkeypatch.setattr("campaigns.notifications._last_kick", 0.0)
    monkeypatch.setattr("campaigns.tasks.send_pending_emails.apply_async", lambda *a, **k: queued.append(k))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(recipients=[hq, officer_pingcheng], kind="test", title="督办卡即将到期", key="card:1")
        assert queued == [], "nothing reaches the broker before the commit"
    # One wake-up for the whole batch (the other callbacks move the dashboard's figures on: campaigns/figures.py).
    assert [c.__name__ for c in callbacks].count("_kick_outbox") == 1 and len(queued) == 1
    assert mail.outbox == []


def test_a_broker_outage_does_not_undo_the_notice(hq, django_capture_on_commit_callbacks, monkeypatch):
    hq.email = "hq@datong.example"
    hq.save()

    def broker_down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("campaigns.notifications._last_kick", 0.0)
    monkeypatch.setattr("campaigns.tasks.send_pending_emails.apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = notify(recipients=[hq], kind="test", title="周一总结提醒", key="outage")
    notice.refresh_from_db()
    assert notice.emailed_at is None
    # The broker is back: the outbox's next run sends the row that was never queued.
    send_pending_emails()
    (message,) = mail.outbox
    assert message.to == ["hq@datong.example"] and message.subject == "【大同创城】周一总结提醒"


def test_the_outbox_sends_each_row_once_with_its_idempotency_key(hq, officer_pingcheng):
    hq.email = "hq@datong.example"
    hq.save()
    (notice, _no_email) = notify(
        recipients=[hq, officer_pingcheng], kind="test", title="督办卡即将到期", body="请尽快办理。", url="/x/", key="c"
    )
    send_pending_emails()
    (message,) = mail.outbox
    assert message.to == ["hq@datong.example"] and message.subject == "【大同创城】督办卡即将到期"
    assert "请尽快办理。" in message.body and message.body.rstrip().endswith("/x/")
    assert message.extra_headers["Message-ID"] == message.extra_headers["X-Idempotency-Key"] == notice.message_id
    # A second run, a redelivery of the task, a second beat: nothing more.
    send_pending_emails()
    assert send_notification_email(notice.pk) is False
    assert len(mail.outbox) == 1
    notice.refresh_from_db()
    assert notice.emailed_at is not None


def test_a_send_cut_off_before_its_commit_is_retried_only_after_the_lease(hq):
    hq.email = "hq@datong.example"
    hq.save()
    (notice,) = notify(recipients=[hq], kind="test", title="逾期提醒", key="lease")
    # A sender claimed the row and died (SIGKILL) before marking it sent: hands off while its lease runs.
    Notification.objects.filter(pk=notice.pk).update(email_claimed_at=timezone.now())
    send_pending_emails()
    assert mail.outbox == []
    Notification.objects.filter(pk=notice.pk).update(email_claimed_at=timezone.now() - email_claim_lease())
    send_pending_emails()
    (message,) = mail.outbox
    assert message.extra_headers["Message-ID"] == notice.message_id  # the same key: the mail server can drop a repeat


def test_a_failed_send_is_released_and_retried(hq, monkeypatch):
    hq.email = "hq@datong.example"
    hq.save()
    (notice,) = notify(recipients=[hq], kind="test", title="日报", key="smtp-down")

    def smtp_down(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP server unreachable")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMessage.send", smtp_down)
        assert send_pending_emails() == "sent 0, failed 1"
    notice.refresh_from_db()
    assert notice.email_claimed_at is None and notice.emailed_at is None
    assert send_pending_emails() == "sent 1, failed 0"
    assert len(mail.outbox) == 1


def test_inbox_shows_the_unread_count_and_marks_read(client_as, hq, officer_pingcheng):
    Notification.objects.filter(recipient=officer_pingcheng).delete()  # start from an empty inbox
    notify(recipients=[officer_pingcheng], kind="test", title="请报送周一总结", url="/reports/", key="a")
    notify(recipients=[officer_pingcheng], kind="test", title="督办卡已下发", key="b")
    client = client_as(officer_pingcheng)
    html = client.get("/").content.decode()
    assert 'id="unread-count">2<' in html
    inbox = client.get("/notifications/").content.decode()
    assert "请报送周一总结" in inbox and "督办卡已下发" in inbox
    one = Notification.objects.get(key="a")
    response = client.post("/notifications/read/", {"id": one.pk, "next": "/reports/"})
    assert response.status_code == 302 and response["Location"] == "/reports/"
    assert 'id="unread-count">1<' in client.get("/").content.decode()
    client.post("/notifications/read/", {})
    assert 'id="unread-count"' not in client.get("/").content.decode()


def test_nobody_reads_or_marks_another_persons_notices(client_as, hq, officer_pingcheng):
    (notice,) = notify(recipients=[officer_pingcheng], kind="test", title="平城区专用", key="p")
    client = client_as(hq)
    assert "平城区专用" not in client.get("/notifications/").content.decode()
    client.post("/notifications/read/", {"id": notice.pk})
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_read_refuses_to_redirect_off_site(client_as, officer_pingcheng):
    (notice,) = notify(recipients=[officer_pingcheng], kind="test", title="x", key="r")
    response = client_as(officer_pingcheng).post("/notifications/read/", {"id": notice.pk, "next": "//evil.example/"})
    assert response["Location"] == "/notifications/"


# --- marking many read at once, row by row (campaigns.bulk) -----------------------------------------------------------


def _mixed_inbox(hq, officer_pingcheng):
    mine = [
        notify(recipients=[officer_pingcheng], kind="test", title=f"督办卡已下发 {n}", key=f"m{n}")[0] for n in (1, 2)
    ]
    (read_before,) = notify(recipients=[officer_pingcheng], kind="test", title="已读的提示卡", key="old")
    first_read = timezone.now() - timezone.timedelta(days=1)
    Notification.objects.filter(pk=read_before.pk).update(read_at=first_read)
    (foreign,) = notify(recipients=[hq], kind="test", title="指挥部专用", key="hq")
    return mine, read_before, first_read, foreign


def test_bulk_mark_read_answers_row_by_row_and_refuses_anothers_notice(api_as, hq, officer_pingcheng):
    mine, read_before, first_read, foreign = _mixed_inbox(hq, officer_pingcheng)
    ids = [mine[0].pk, foreign.pk, read_before.pk, mine[1].pk, 2**31 - 1]
    response = api_as(officer_pingcheng).post("/api/v1/notifications/mark-read/", {"ids": ids}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["done"]] == [mine[0].pk, read_before.pk, mine[1].pk]
    assert [row["id"] for row in body["refused"]] == [foreign.pk, 2**31 - 1]
    assert all("不存在" in row["detail"] for row in body["refused"])
    assert "指挥部专用" not in str(body)  # another person's notice is not even named
    assert Notification.objects.get(pk=foreign.pk).read_at is None
    assert Notification.objects.get(pk=read_before.pk).read_at == first_read
    assert not Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).exists()


@pytest.mark.parametrize("ids", [[], ["abc"], [0], [1.5], list(range(1, 202)), "1,2"])
def test_bulk_mark_read_bad_ids_are_a_chinese_400_and_nothing_changes(api_as, hq, officer_pingcheng, ids):
    _mixed_inbox(hq, officer_pingcheng)
    unread = Notification.objects.filter(recipient=officer_pingcheng, read_at__isnull=True).count()
    response = api_as(officer_pingcheng).post("/api/v1/notifications/mark-read/", {"ids": ids}, format="json")
    assert response.status_code == 400
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.content.decode())
    assert Notification.objects.filter(recipient=officer_pingcheng, read_at__isnull=True).count() == unread


def test_a_stranger_cannot_mark_read_through_the_api(anonymous_api, officer_pingcheng):
    (notice,) = notify(recipients=[officer_pingcheng], kind="test", title="x", key="s")
    response = anonymous_api.post("/api/v1/notifications/mark-read/", {"ids": [notice.pk]}, format="json")
    assert response.status_code == 401
    assert Notification.objects.get(pk=notice.pk).read_at is None


def test_the_inbox_marks_the_chosen_notices_and_says_what_it_refused(client_as, hq, officer_pingcheng):
    mine, read_before, first_read, foreign = _mixed_inbox(hq, officer_pingcheng)
    client = client_as(officer_pingcheng)
    assert 'form="notification-bulk"' in client.get("/notifications/").content.decode()
    response = client.post("/notifications/read/", {"id": [mine[0].pk, foreign.pk]}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "标为已读 1 条，未能标为已读 1 条" in page and "记录不存在或无权查看。" in page
    assert "指挥部专用" not in page
    assert Notification.objects.get(pk=mine[0].pk).read_at is not None
    assert Notification.objects.get(pk=mine[1].pk).read_at is None
    assert Notification.objects.get(pk=foreign.pk).read_at is None


@pytest.mark.parametrize("ids", [["abc"], ["²"], [""], ["1" * 20]])
def test_the_inbox_refuses_bad_ids_with_a_400_and_marks_nothing(client_as, hq, officer_pingcheng, ids):
    _mixed_inbox(hq, officer_pingcheng)
    unread = Notification.objects.filter(recipient=officer_pingcheng, read_at__isnull=True).count()
    response = client_as(officer_pingcheng).post("/notifications/read/", {"id": ids})
    assert response.status_code == 400 and "请选择有效的记录。" in response.content.decode()
    assert Notification.objects.filter(recipient=officer_pingcheng, read_at__isnull=True).count() == unread
