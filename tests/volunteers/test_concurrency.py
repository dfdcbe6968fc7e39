"""The dashboard's counters stay true when several organisers confirm service hours at the same instant."""

import time as time_module
from datetime import date, time, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tests.concurrency import run_together
from volunteers import services
from volunteers.models import DivisionVolunteerStats, Volunteer

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_confirmations_leave_the_counter_equal_to_the_rows(
    hq, nanguan_team, nanguan_project, make_volunteer
):
    division = nanguan_team.division
    records = []
    for index in range(8):
        volunteer = make_volunteer(division, name=f"并发志愿者{index}", teams=[nanguan_team])
        records.append(
            services.record_create(
                actor=hq,
                volunteer=volunteer,
                project=nanguan_project,
                date=timezone.localdate() - timedelta(days=1),
                start_time=time(9, 0),
                end_time=time(10, 0),
            )
        )

    def confirm_in_a_slow_request(record):
        # The organiser's request keeps its transaction open a moment after confirming (rendering, other writes):
        # another confirmation must not count the division before this one commits.
        with transaction.atomic():
            services.record_confirm(actor=hq, record=record)
            time_module.sleep(0.3)

    results = run_together([lambda record=record: confirm_in_a_slow_request(record) for record in records])

    assert all(kind == "ok" for kind, _ in results), results
    stats = DivisionVolunteerStats.objects.get(division=division)
    assert stats.with_service_hours == Volunteer.objects.filter(division=division, confirmed_hours__gt=0).count()
    assert stats.registered == Volunteer.objects.filter(division=division).count()


def test_concurrent_confirmations_and_registrations_in_one_division_add_exactly_their_increments(
    hq, nanguan_team, nanguan_project, make_volunteer
):
    """Twelve writers at once in one division: six volunteers' first stints, two volunteers with two stints each
    (only the first to commit makes them active), and registrations. The counter ends exactly at the hand count."""
    division = nanguan_team.division
    first_timers = [make_volunteer(division, name=f"首次{i}", teams=[nanguan_team]) for i in range(6)]
    doubles = [make_volunteer(division, name=f"两次{i}", teams=[nanguan_team]) for i in range(2)]
    yesterday = timezone.localdate() - timedelta(days=1)

    def stint(volunteer, start):
        return services.record_create(
            actor=hq,
            volunteer=volunteer,
            project=nanguan_project,
            date=yesterday,
            start_time=time(start, 0),
            end_time=time(start + 1, 0),
        )

    records = [stint(v, 9) for v in first_timers] + [stint(v, h) for v in doubles for h in (9, 14)]
    before = DivisionVolunteerStats.objects.get(division=division)

    def confirm(record):
        with transaction.atomic():
            services.record_confirm(actor=hq, record=record)
            time_module.sleep(0.1)  # the request's transaction stays open a moment

    def register(i):
        from volunteers import idcard

        return services.volunteer_register(
            actor=hq,
            name=f"并发注册{i}",
            id_number=idcard.make_id_number(division.code, date(1992, 3, i + 1), 900 + i),
            phone=f"1360000{i:04d}",
            division=division,
        )

    writers = [lambda r=r: confirm(r) for r in records] + [lambda i=i: register(i) for i in range(2)]
    results = run_together(writers)

    assert all(kind == "ok" for kind, _ in results), results
    after = DivisionVolunteerStats.objects.get(division=division)
    assert after.with_service_hours == before.with_service_hours + len(first_timers) + len(doubles)
    assert after.registered == before.registered + 2
    assert after.with_service_hours == Volunteer.objects.filter(division=division, confirmed_hours__gt=0).count()
    assert after.registered == Volunteer.objects.filter(division=division).count()
    for volunteer in doubles:
        volunteer.refresh_from_db()
        assert volunteer.confirmed_hours == 2
