import pytest

from volunteers.models import PracticeSite, ServiceRecord, Volunteer
from volunteers.seed import seed_scale

pytestmark = pytest.mark.django_db


def test_small_scale_seed_reproduces_the_articles_arithmetic_through_the_api(city, reference_data, api_as, hq):
    seed_scale(reference_data, scale="small", log=lambda message: None)
    body = api_as(hq).get("/api/v1/dashboard/summary/").json()
    assert body["volunteers"] == {
        "registered": 3906,
        "with_service_hours": 1965,
        "activity_rate": 50.3,
        "teams": 27,
        "projects": 19,
        "satisfaction_rate": 93.6,
    }
    assert body["practice_sites"] == {"centre": 10, "institute": 13, "station": 181}
    # The counters are the rows: the figures equal plain counts.
    assert Volunteer.objects.filter(service_records__status="confirmed").distinct().count() == 1965
    assert PracticeSite.objects.filter(level="station", parent__level="institute").count() == 181
    assert ServiceRecord.objects.count() > 15000
    # Every loaded volunteer's stored hours are the sum of their confirmed records.
    sample = Volunteer.objects.filter(confirmed_hours__gt=0).order_by("?")[:20]
    for volunteer in sample:
        confirmed = sum(r.hours for r in volunteer.service_records.filter(status="confirmed"))
        assert volunteer.confirmed_hours == confirmed

    # A second run adds nothing.
    seed_scale(reference_data, scale="small", log=lambda message: None)
    assert Volunteer.objects.count() == 3906

    # Change a row and the figure changes.
    from volunteers import services

    pending = ServiceRecord.objects.filter(status="pending", volunteer__confirmed_hours=0).first()
    services.record_confirm(actor=hq, record=pending)
    again = api_as(hq).get("/api/v1/dashboard/summary/").json()["volunteers"]
    assert again["with_service_hours"] == 1966
    districts = api_as(hq).get("/api/v1/dashboard/districts/").json()
    for row in districts:
        own = api_as(hq).get(f"/api/v1/dashboard/summary/?division={row['division']}").json()["volunteers"]
        expected = own["activity_rate"] if own["registered"] else None
        assert row["activity_rate"] == expected, row
