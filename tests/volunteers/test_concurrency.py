"""The dashboard's counters stay true when several organisers confirm service hours at the same instant."""

import time as time_module
from datetime import time, timedelta

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
