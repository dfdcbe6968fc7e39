from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaigns.errors import IllegalTransition, NotAllowed, NotVisible
from tests.volunteers.conftest import reload
from volunteers import services
from volunteers.choices import RecordStatus
from volunteers.dashboard import summary_parts
from volunteers.models import ServiceRecord, StarThreshold

pytestmark = pytest.mark.django_db


def _record(actor, volunteer, project, start, end, days_ago=1):
    return services.record_create(
        actor=actor,
        volunteer=volunteer,
        project=project,
        date=timezone.localdate() - timedelta(days=days_ago),
        start_time=start,
        end_time=end,
    )


def test_hours_are_end_minus_start(hq, nanguan_project, nanguan_team, make_volunteer):
    volunteer = make_volunteer(nanguan_team.division)
    record = _record(hq, volunteer, nanguan_project, time(8, 15), time(10, 45))
    assert record.hours == Decimal("2.5")
    assert record.status == RecordStatus.PENDING


def test_overlapping_record_of_the_same_volunteer_is_refused(hq, nanguan_project, nanguan_team, make_volunteer):
    volunteer = make_volunteer(nanguan_team.division)
    _record(hq, volunteer, nanguan_project, time(9, 0), time(11, 0))
    with pytest.raises(ValidationError, match="重叠"):
        _record(hq, volunteer, nanguan_project, time(10, 30), time(12, 0))
    # Touching ends do not overlap; another day does not either.
    _record(hq, volunteer, nanguan_project, time(11, 0), time(12, 0))
    _record(hq, volunteer, nanguan_project, time(9, 0), time(11, 0), days_ago=2)
    assert ServiceRecord.objects.filter(volunteer=volunteer).count() == 3


def test_a_rejected_record_no_longer_blocks_its_time(hq, nanguan_project, nanguan_team, make_volunteer):
    volunteer = make_volunteer(nanguan_team.division)
    first = _record(hq, volunteer, nanguan_project, time(9, 0), time(11, 0))
    services.record_reject(actor=hq, record=first, reason="未到岗")
    _record(hq, volunteer, nanguan_project, time(9, 0), time(11, 0))


@pytest.mark.parametrize(
    ("hours", "star"),
    [
        (0, 0),
        (99.9, 0),
        (100, 1),
        (299.9, 1),
        (300, 2),
        (599.9, 2),
        (600, 3),
        (999.9, 3),
        (1000, 4),
        (1499.9, 4),
        (1500, 5),
        (9999, 5),
    ],
)
def test_star_thresholds_at_their_edges(city, hours, star):
    assert services.star_for(Decimal(str(hours))) == star


def test_star_thresholds_are_editable_by_headquarters_and_rerate_everyone(hq, officer_pingcheng, pending_record):
    services.record_confirm(actor=hq, record=pending_record)  # 2.5 h
    with pytest.raises(NotAllowed):
        services.star_thresholds_set(actor=officer_pingcheng, thresholds={1: 2, 2: 3, 3: 4, 4: 5, 5: 6})
    services.star_thresholds_set(actor=hq, thresholds={1: 2, 2: 3, 3: 4, 4: 5, 5: 6})
    assert StarThreshold.objects.get(star=1).min_hours == 2
    assert reload(pending_record.volunteer).star == 1
    with pytest.raises(ValidationError):
        services.star_thresholds_set(actor=hq, thresholds={1: 5, 2: 3, 3: 4, 4: 5, 5: 6})


def test_confirming_adds_hours_and_star_and_counts_the_volunteer_active(hq, pending_record, pingcheng):
    before = summary_parts(pingcheng)["volunteers"]
    StarThreshold.objects.filter(star=1).update(min_hours=2)
    record = services.record_confirm(actor=hq, record=pending_record)
    volunteer = reload(record.volunteer)
    assert volunteer.confirmed_hours == Decimal("2.5")
    assert volunteer.star == 1
    after = summary_parts(pingcheng)["volunteers"]
    assert after["with_service_hours"] == before["with_service_hours"] + 1
    assert after["registered"] == before["registered"]


def test_a_decided_record_cannot_be_decided_again(hq, pending_record):
    services.record_confirm(actor=hq, record=pending_record)
    with pytest.raises(IllegalTransition):
        services.record_confirm(actor=hq, record=pending_record)
    with pytest.raises(IllegalTransition):
        services.record_reject(actor=hq, record=pending_record)
    assert reload(pending_record.volunteer).confirmed_hours == Decimal("2.5")


def test_only_the_organiser_side_confirms(pending_record, officer_yungang, supervisor, team_leader):
    with pytest.raises(NotAllowed):  # reads the whole city, decides nothing
        services.record_confirm(actor=supervisor, record=pending_record)
    with pytest.raises(NotVisible):  # another division's: to them it does not exist
        services.record_confirm(actor=officer_yungang, record=pending_record)
    services.record_confirm(actor=team_leader, record=pending_record)


def test_activity_and_satisfaction_arithmetic_on_a_hand_built_case(
    hq, city, nanguan_project, nanguan_team, make_volunteer
):
    division = nanguan_team.division
    base = summary_parts(division)["volunteers"]
    # Four new volunteers, one of whom gets confirmed hours; four ratings, three satisfied.
    people = [make_volunteer(division) for _ in range(4)]
    services.record_confirm(actor=hq, record=_record(hq, people[0], nanguan_project, time(9, 0), time(10, 0)))
    for score in (5, 4, 4, 2):
        services.rating_add(project=nanguan_project, rater_kind="resident", score=score)
    figures = summary_parts(division)["volunteers"]
    registered = base["registered"] + 4
    active = base["with_service_hours"] + 1
    assert figures["registered"] == registered
    assert figures["with_service_hours"] == active
    assert figures["activity_rate"] == round(active * 100 / registered, 1)
    from volunteers.models import Rating

    ratings = Rating.objects.filter(division=division)
    satisfied = ratings.filter(satisfied=True).count()
    assert figures["satisfaction_rate"] == round(satisfied * 100 / ratings.count(), 1)
    assert services.activity_rate(3906, 1965) == 50.3
    assert services.satisfaction_rate(500, 468) == 93.6
    assert services.activity_rate(0, 0) == 0.0


def test_rating_score_outside_one_to_five_is_refused(nanguan_project):
    with pytest.raises(ValidationError):
        services.rating_add(project=nanguan_project, rater_kind="resident", score=6)
