"""The public rating link: a resident rates without signing in; a forged or expired link, a burst from one address, a
busy device and a second rating the same day are refused; a real rating is counted once in the satisfaction rate."""

import re
import time as clock

import pytest
from django.core import signing
from django.test import Client

from volunteers import public_rating
from volunteers.models import DivisionVolunteerStats, Rating, ServiceProject

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(city):
    return ServiceProject.objects.select_related("team").filter(team__name="南关社区志愿服务队").first()


def _path(project):
    return f"/volunteers/rate/{public_rating.token_for(project)}/"


def _device(address="203.0.113.7"):
    """A fresh phone: its own cookies, one address."""
    return Client(REMOTE_ADDR=address)


def _rate(client, project, answer="satisfied", comment="", opened=True):
    if opened:
        assert client.get(_path(project)).status_code == 200
    return client.post(_path(project), {"answer": answer, "comment": comment})


def _stats(division_id):
    row = DivisionVolunteerStats.objects.filter(division_id=division_id).first()
    return (row.ratings, row.satisfied_ratings) if row else (0, 0)


def test_resident_opens_the_link_without_signing_in_and_is_asked_nothing_personal(project):
    response = _device().get(_path(project))
    page = response.content.decode()
    assert response.status_code == 200 and project.title in page
    assert "满意" in page and "基本满意" in page and "不满意" in page
    assert public_rating.DEVICE_COOKIE in response.cookies  # the device gets its id
    names = {name for name in ("name", "phone", "id_number", "mobile") if f'name="{name}"' in page}
    assert names == set()


@pytest.mark.parametrize(("answer", "satisfied"), [("satisfied", 1), ("fairly", 1), ("dissatisfied", 0)])
def test_a_real_rating_is_counted_once_in_the_satisfaction_rate(project, answer, satisfied):
    ratings, satisfied_before = _stats(project.division_id)
    phone = _device()
    response = _rate(phone, project, answer, comment="队员很耐心")
    assert response.status_code == 200 and "感谢您的评价" in response.content.decode()
    rating = Rating.objects.exclude(device="").get(project=project)
    assert (rating.answer, rating.comment, rating.satisfied) == (answer, "队员很耐心", bool(satisfied))
    assert _stats(project.division_id) == (ratings + 1, satisfied_before + satisfied)
    again = _rate(phone, project, "satisfied")
    assert again.status_code == 409 and "您今天已经评价过这个项目" in again.content.decode()
    assert Rating.objects.exclude(device="").filter(project=project).count() == 1
    assert _stats(project.division_id) == (ratings + 1, satisfied_before + satisfied)


def test_the_stored_device_is_a_digest_not_the_cookie(project):
    phone = _device()
    _rate(phone, project)
    cookie = phone.cookies[public_rating.DEVICE_COOKIE].value
    stored = Rating.objects.exclude(device="").get(project=project).device
    assert len(stored) == 64 and stored not in cookie


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        "other-purpose",  # ours, but signed for something else
        "tampered",
    ],
)
def test_a_forged_token_is_refused_in_chinese(project, token):
    # Tokens are made in the test, not in the parameters: a signed token carries the time, and xdist's workers must
    # collect the same test ids.
    if token == "other-purpose":
        token = signing.dumps(project.pk, salt="another-purpose")
    if token == "tampered":  # a real token with another project's id spliced in
        real = public_rating.token_for(project)
        other = signing.dumps(project.pk + 1, salt=public_rating.TOKEN_SALT)
        token = other.split(":")[0] + ":" + ":".join(real.split(":")[1:])
    phone = _device()
    assert phone.get(f"/volunteers/rate/{token}/").status_code == 404
    response = phone.post(f"/volunteers/rate/{token}/", {"answer": "satisfied"})
    assert response.status_code == 404 and "评价链接无效。" in response.content.decode()
    assert not Rating.objects.exclude(device="").exists()


def test_an_expired_token_is_refused(project, settings, monkeypatch):
    settings.RATING_LINK_MAX_AGE_DAYS = 30
    real_time = clock.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 31 * 24 * 3600)
    old = public_rating.token_for(project)
    monkeypatch.setattr(signing.time, "time", real_time)
    response = _device().post(f"/volunteers/rate/{old}/", {"answer": "satisfied"})
    assert response.status_code == 410 and "评价链接已过期。" in response.content.decode()
    assert not Rating.objects.exclude(device="").exists()


def test_a_burst_from_one_address_is_refused_with_a_chinese_429(project, settings):
    settings.RATING_RATE_PER_ADDRESS = "5/h"
    answers = [_rate(_device("198.51.100.9"), project).status_code for _ in range(7)]  # a new "phone" each time
    assert answers == [200] * 5 + [429, 429]
    refused = _rate(_device("198.51.100.9"), project)
    assert refused.status_code == 429 and "提交过于频繁，请稍后再试。" in refused.content.decode()
    assert Rating.objects.exclude(device="").count() == 5
    # Another address is not held back by that one.
    assert _rate(_device("198.51.100.10"), project).status_code == 200


def test_a_forwarded_for_header_from_an_untrusted_client_does_not_dodge_the_limit(project, settings):
    settings.RATING_RATE_PER_ADDRESS = "3/h"
    settings.TRUSTED_PROXIES = []
    codes = []
    for i in range(4):
        phone = _device("198.51.100.20")
        phone.get(_path(project))
        codes.append(
            phone.post(_path(project), {"answer": "satisfied"}, HTTP_X_FORWARDED_FOR=f"10.9.9.{i}").status_code
        )
    assert codes == [200, 200, 200, 429]


def test_one_device_rating_many_projects_is_limited(project, settings):
    settings.RATING_RATE_PER_DEVICE = "2/h"
    phone = _device()
    projects = list(ServiceProject.objects.all()[:3])
    assert len(projects) == 3
    codes = [_rate(phone, p).status_code for p in projects]
    assert codes == [200, 200, 429]
    assert Rating.objects.exclude(device="").count() == 2


def test_a_post_without_the_device_cookie_is_refused(project):
    response = _rate(_device(), project, opened=False)
    assert response.status_code == 400 and "请重新打开评价页面后提交" in response.content.decode()
    assert not Rating.objects.exclude(device="").exists()


def test_a_forged_device_cookie_counts_as_none(project):
    phone = _device()
    phone.cookies[public_rating.DEVICE_COOKIE] = "0123456789abcdef0123456789abcdef"  # unsigned
    response = phone.post(_path(project), {"answer": "satisfied"})
    assert response.status_code == 400
    assert not Rating.objects.exclude(device="").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "请选择满意、基本满意或不满意。"),
        ({"answer": "excellent"}, "选择一个有效的选项"),
        ({"answer": "satisfied", "comment": "很" * 201}, "200"),
    ],
)
def test_bad_answers_are_refused_in_chinese_and_save_nothing(project, data, message):
    phone = _device()
    phone.get(_path(project))
    response = phone.post(_path(project), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Rating.objects.exclude(device="").exists()


# --- the printable card -------------------------------------------------------------------------------------------


def test_team_leader_prints_the_card_with_a_qr_code_of_the_signed_link(client_as, team_leader, project, settings):
    response = client_as(team_leader).get(f"/volunteers/projects/{project.pk}/rating-card/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'src="data:image/svg+xml' in page
    # The link is signed when the card is drawn (the token holds that second): read it off the page, then check it
    # is this project's, signed by the portal, at the portal's address.
    base = settings.PORTAL_BASE_URL.rstrip("/")
    links = re.findall(rf'href="{re.escape(base)}/volunteers/rate/([^/"]+)/"', page)
    assert links and {public_rating.project_id_from(token) for token in links} == {project.pk}


def test_the_card_is_refused_to_outsiders(client_as, supervisor, officer_yungang, project):
    assert client_as(officer_yungang).get(f"/volunteers/projects/{project.pk}/rating-card/").status_code == 404
    assert client_as(supervisor).get(f"/volunteers/projects/{project.pk}/rating-card/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_ten_taps_at_once_from_one_device_count_once(project, settings):
    from tests.concurrency import run_together

    settings.RATING_RATE_PER_DEVICE = "100/h"
    opened = _device()
    opened.get(_path(project))
    cookie = opened.cookies[public_rating.DEVICE_COOKIE].value

    def tap():
        phone = _device()
        phone.cookies[public_rating.DEVICE_COOKIE] = cookie
        return phone.post(_path(project), {"answer": "satisfied"}).status_code

    ratings, satisfied = _stats(project.division_id)
    results = run_together([tap for _ in range(10)])
    assert sorted(value for _kind, value in results) == [200] + [409] * 9, results
    assert Rating.objects.exclude(device="").filter(project=project).count() == 1
    assert _stats(project.division_id) == (ratings + 1, satisfied + 1)
