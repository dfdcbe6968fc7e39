"""Shared fixtures: the seeded city, one user per role, API clients. Tests run on PostgreSQL and Redis (make test)."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from campaigns.management.commands.seed_datong import load_reference_data, seed_city
from campaigns.models import Division, Unit


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Uploads go to a temporary folder; the throttle counters start from zero."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reference_data():
    return load_reference_data()


@pytest.fixture
def city(db, reference_data):
    """The reference data and the demo set, as ``seed_datong --demo`` loads them; returns the demo users."""
    from campaigns.models import User

    seed_city(reference_data, demo=True, log=lambda message: None)
    return {user.username: user for user in User.objects.select_related("unit__division")}


@pytest.fixture
def hq(city):
    return city["hq"]


@pytest.fixture
def steward(city):
    """A data steward with the admin (``createsuperuser``): the demo's hq works in the portal and is no superuser."""
    from campaigns.choices import Role
    from campaigns.models import User

    office = city["hq"].unit
    return User.objects.create_superuser(
        "steward", password="Steward-2021-x", display_name="赵数据", role=Role.HEADQUARTERS, unit=office
    )


@pytest.fixture
def supervisor(city):
    return city["supervisor"]


@pytest.fixture
def leader(city):
    return city["leader"]


@pytest.fixture
def api_reader(city):
    return city["api-reader"]


@pytest.fixture
def officer_pingcheng(city):
    return city["officer-pingcheng"]


@pytest.fixture
def officer_yungang(city):
    return city["officer-yungang"]


@pytest.fixture
def pingcheng(city):
    return Division.objects.get(name="平城区")


@pytest.fixture
def yungang(city):
    return Division.objects.get(name="云冈区")


@pytest.fixture
def government(city):
    """The district/county government unit of a division: ``government(division)``."""

    def of(division):
        return Unit.objects.get(name=f"{division.name}人民政府")

    return of


@pytest.fixture
def anonymous_api():
    return APIClient()


@pytest.fixture
def api_as():
    """An API client signed in as the given user: ``api_as(user)``."""

    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def client_as(client):
    """The Django test client, signed in through the session: ``client_as(user)``."""

    def make(user):
        client.force_login(user)
        return client

    return make
