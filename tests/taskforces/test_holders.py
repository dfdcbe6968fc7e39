from campaigns.management.commands.seed_datong import seed_city
from campaigns.models import Task
from campaigns.notifications import Notification
from taskforces import clock, services
from taskforces.choices import ReportKind, ReportStatus
from taskforces.clock import SCHEDULE
from taskforces.models import ReminderCard, Report
from tests.taskforces.conftest import at


def test_a_leader_holds_a_card_in_person_and_submits_their_own_report(api_as, hq, leader, officer_pingcheng):
    card = services.reminder_card_issue(
        actor=hq, title="停车秩序领衔督办", recipient_leader=leader, now=at("2022-08-10 10:00")
    )
    report = Report.objects.get(leader=leader, kind=ReportKind.WEEKLY, period="2022-W32")
    assert report.unit_id == leader.unit_id  # every report has a unit, as reports/ promises
    assert Notification.objects.filter(recipient=leader, key=f"reminder-card:{card.pk}:issued").exists()
    response = api_as(leader).post(f"/api/v1/reports/{report.pk}/submit/", {"summary": "泊位施划过半"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    # An officer, even of the leader's own unit, neither sees nor answers for a leader's report.
    assert api_as(officer_pingcheng).get(f"/api/v1/reports/{report.pk}/").status_code == 404


def test_card_to_a_unit_and_a_leader_gives_two_holders(hq, leader, pingcheng, government):
    services.reminder_card_issue(
        actor=hq,
        title="双持卡",
        recipient_unit=government(pingcheng),
        recipient_leader=leader,
        now=at("2022-08-10 10:00"),
    )
    weekly = Report.objects.filter(kind=ReportKind.WEEKLY, period="2022-W32")
    assert sorted((r.unit_id, r.leader_id) for r in weekly) == sorted(
        [(government(pingcheng).pk, None), (leader.unit_id, leader.pk)]
    )


def test_two_cards_to_the_same_unit_owe_one_report_per_period(hq, pingcheng, government, card_pingcheng):
    services.reminder_card_issue(
        actor=hq, title="第二张", recipient_unit=government(pingcheng), now=at("2022-08-11 10:00")
    )
    clock.open_report_slots(at("2022-08-15 00:05"))
    assert Report.objects.filter(unit=government(pingcheng), period="2022-W32").count() == 1


def test_figures_are_recorded_against_the_holders_tasks(client_as, officer_pingcheng, hq, pingcheng, government):
    task = Task.objects.filter(lead_unit=government(pingcheng)).first()
    services.reminder_card_issue(
        actor=hq, title="指标卡", recipient_unit=government(pingcheng), tasks=[task], now=at("2022-08-10 10:00")
    )
    report = Report.objects.get(unit=government(pingcheng), kind=ReportKind.WEEKLY, period="2022-W32")
    client = client_as(officer_pingcheng)
    assert task.title in client.get(f"/reports/{report.pk}/").content.decode()
    client.post(f"/reports/{report.pk}/edit/", {"summary": "完成", f"task_{task.pk}": "12", "save": "1"})
    report.refresh_from_db()
    assert report.status == ReportStatus.EXPECTED
    assert report.figures == [{"task": task.pk, "value": 12.0, "note": ""}]


def test_seeding_twice_adds_no_cards_or_reports(city, reference_data):
    cards, reports = ReminderCard.objects.count(), Report.objects.count()
    assert cards == 3 and reports > 0
    seed_city(reference_data, demo=True, log=lambda message: None)
    assert (ReminderCard.objects.count(), Report.objects.count()) == (cards, reports)


def test_every_sweep_has_a_shanghai_beat_schedule(db):
    from django_celery_beat.models import PeriodicTask

    from campaigns.clock import ensure_schedules

    ensure_schedules()
    scheduled = {
        task.args: task.crontab.timezone.key if hasattr(task.crontab.timezone, "key") else str(task.crontab.timezone)
        for task in PeriodicTask.objects.filter(task="campaigns.tasks.run_sweep")
    }
    for name in clock.SWEEPS:
        assert f'["{name}"]' in scheduled
    assert set(scheduled.values()) == {"Asia/Shanghai"}
    assert len([row for row in SCHEDULE if row[0] == "reports_open"]) == 2
