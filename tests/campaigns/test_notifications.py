"""The one way people are told things: an inbox row exactly once per key, and an email sent exactly once."""

from django.core import mail

from campaigns.models import Notification
from campaigns.notifications import notify
from campaigns.tasks import send_notification_email


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


def test_email_is_queued_after_commit_and_sent_once(hq, officer_pingcheng, django_capture_on_commit_callbacks):
    hq.email = "hq@datong.example"
    hq.save()
    with django_capture_on_commit_callbacks() as queued:
        (notice, _no_email) = notify(
            recipients=[hq, officer_pingcheng],
            kind="test",
            title="督办卡即将到期",
            body="请尽快办理。",
            url="/x/",
            key="card:1",
        )
    assert len(queued) == 1, "only the person with an address gets an email, and only after the commit"
    assert mail.outbox == []
    # What the worker runs for the queued task (mail delivery is Django's in-memory backend in tests):
    assert send_notification_email(notice.pk) is True
    (message,) = mail.outbox
    assert message.to == ["hq@datong.example"] and message.subject == "【大同创城】督办卡即将到期"
    assert "请尽快办理。" in message.body and message.body.rstrip().endswith("/x/")
    # A second delivery of the same task (a retry, a redelivery after a worker restart) sends nothing more.
    assert send_notification_email(notice.pk) is False
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
