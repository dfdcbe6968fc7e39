"""The hot lists build their rows without DRF's field machinery; each row must equal what the serializer gives."""

from types import SimpleNamespace

import pytest

from volunteers import services
from volunteers.api.serializers import ServiceRecordSerializer, VolunteerSerializer
from volunteers.choices import RecordStatus
from volunteers.models import ServiceRecord, Volunteer


def _as_serializer_gives(serializer_class, objects, user):
    context = {"request": SimpleNamespace(user=user)}
    return [dict(serializer_class(obj, context=context).data) for obj in objects]


@pytest.mark.parametrize("who", ["hq", "officer-pingcheng", "team-leader"])
def test_volunteer_list_rows_are_the_serializers(client, city, who):
    user = city[who]
    client.force_login(user)
    body = client.get("/api/v1/volunteers/?page_size=200").json()
    assert body["results"], "the demo city has volunteers in every scope tested here"
    ids = [row["id"] for row in body["results"]]
    volunteers = Volunteer.objects.select_related("division").prefetch_related("teams").in_bulk(ids)
    expected = _as_serializer_gives(VolunteerSerializer, [volunteers[i] for i in ids], user)
    assert body["results"] == expected
    assert all("*" in row["id_number"] for row in body["results"])  # lists mask, whoever asks


@pytest.mark.parametrize("who", ["hq", "officer-pingcheng", "team-leader"])
def test_service_record_list_rows_are_the_serializers(client, city, who):
    rejected = ServiceRecord.objects.filter(status=RecordStatus.PENDING).first()
    services.record_reject(actor=city["hq"], record=rejected, reason="时间与活动不符")
    statuses = set(ServiceRecord.objects.values_list("status", flat=True))
    assert statuses == {RecordStatus.PENDING, RecordStatus.CONFIRMED, RecordStatus.REJECTED}
    user = city[who]
    client.force_login(user)
    body = client.get("/api/v1/service-records/?page_size=200").json()
    assert body["results"]
    ids = [row["id"] for row in body["results"]]
    records = ServiceRecord.objects.select_related("volunteer", "project__team", "division").in_bulk(ids)
    expected = _as_serializer_gives(ServiceRecordSerializer, [records[i] for i in ids], user)
    assert body["results"] == expected
    assert any(row["allowed_actions"] for row in body["results"]) or who != "hq"
