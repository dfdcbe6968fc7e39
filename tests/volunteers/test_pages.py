import pytest

from tests.pdf import assert_cjk_font_embedded, pdf_text
from volunteers import services
from volunteers.privacy import mask_id_number

pytestmark = pytest.mark.django_db

PAGES = [
    "/volunteers/",
    "/volunteers/teams/",
    "/volunteers/records/",
    "/volunteers/sites/",
    "/volunteers/sites/dormant/",
    "/volunteers/statistics/",
    "/volunteers/import/",
]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_render_for_headquarters(client_as, hq, url):
    assert client_as(hq).get(url).status_code == 200


def test_volunteer_page_masks_for_supervisor_not_for_own_officer(
    client_as, supervisor, officer_pingcheng, make_volunteer, pingcheng
):
    volunteer = make_volunteer(pingcheng)
    page = client_as(supervisor).get(f"/volunteers/{volunteer.pk}/").content.decode()
    assert volunteer.id_number not in page and mask_id_number(volunteer.id_number) in page
    page = client_as(officer_pingcheng).get(f"/volunteers/{volunteer.pk}/").content.decode()
    assert volunteer.id_number not in page and 'id="reveal-form"' in page
    page = client_as(officer_pingcheng).post(f"/volunteers/{volunteer.pk}/", {"reveal": "1"}).content.decode()
    assert volunteer.id_number in page


def test_other_districts_officer_gets_404_on_volunteer_team_and_certificate(
    client_as, officer_yungang, make_volunteer, pingcheng, nanguan_team
):
    volunteer = make_volunteer(pingcheng)
    client = client_as(officer_yungang)
    assert client.get(f"/volunteers/{volunteer.pk}/").status_code == 404
    assert client.get(f"/volunteers/{volunteer.pk}/certificate.pdf").status_code == 404
    assert client.get(f"/volunteers/teams/{nanguan_team.pk}/").status_code == 404


def test_supervisor_cannot_import_or_confirm(client_as, supervisor, pending_record):
    client = client_as(supervisor)
    assert client.get("/volunteers/import/").status_code == 403
    assert client.post(f"/volunteers/records/{pending_record.pk}/confirm/").status_code == 403
    pending_record.refresh_from_db()
    assert pending_record.status == "pending"


def test_confirm_from_the_page_and_a_second_confirm_is_a_message(client_as, team_leader, pending_record):
    client = client_as(team_leader)
    response = client.post(f"/volunteers/records/{pending_record.pk}/confirm/", follow=True)
    assert "已确认" in response.content.decode()
    response = client.post(f"/volunteers/records/{pending_record.pk}/confirm/", follow=True)
    assert "不能执行“确认”操作" in response.content.decode()


def test_certificate_pdf_has_cjk_font_masked_id_hours_and_number(client_as, hq, pending_record):
    services.record_confirm(actor=hq, record=pending_record)
    volunteer = pending_record.volunteer
    response = client_as(hq).get(f"/volunteers/{volunteer.pk}/certificate.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert_cjk_font_embedded(response.content)
    text = pdf_text(response.content)
    assert "志愿服务证明" in text
    assert mask_id_number(volunteer.id_number) in text and volunteer.id_number not in text
    assert "2.5 小时" in text
    assert "证明编号：DTZYZ" in text
    assert "文明交通劝导" in text  # the project (its title may wrap in the table)


def test_dormant_stations_lists_stations_without_records_in_30_days(client_as, hq, pingcheng):
    from volunteers.models import PracticeSite

    institute = PracticeSite.objects.get(name="南关街道新时代文明实践所")
    services.site_create(actor=hq, name="静悄悄新时代文明实践站", level="station", division=pingcheng, parent=institute)
    page = client_as(hq).get("/volunteers/sites/dormant/").content.decode()
    assert "静悄悄新时代文明实践站" in page
    assert "南关社区新时代文明实践站" not in page  # the demo's records there are days old


def test_statistics_page_shows_city_figures_and_charts(client_as, hq):
    page = client_as(hq).get("/volunteers/statistics/").content.decode()
    assert 'data-chart="bar"' in page and "chart-volunteers" in page
    assert "平城区" in page


def test_headquarters_sets_star_thresholds_on_the_page_and_others_are_refused(
    client_as, hq, officer_pingcheng, pending_record
):
    from volunteers.models import StarThreshold

    services.record_confirm(actor=hq, record=pending_record)  # 2.5 hours
    assert client_as(officer_pingcheng).get("/volunteers/stars/").status_code == 403
    client = client_as(hq)
    bad = client.post("/volunteers/stars/", {"star_1": 10, "star_2": 5, "star_3": 30, "star_4": 40, "star_5": 50})
    assert "逐级递增" in bad.content.decode()
    assert StarThreshold.objects.get(star=1).min_hours == 100
    response = client.post("/volunteers/stars/", {"star_1": 2, "star_2": 20, "star_3": 30, "star_4": 40, "star_5": 50})
    assert response.status_code == 302
    pending_record.volunteer.refresh_from_db()
    assert pending_record.volunteer.star == 1


def test_reject_from_the_page_keeps_the_reason(client_as, team_leader, pending_record):
    client_as(team_leader).post(f"/volunteers/records/{pending_record.pk}/reject/", {"reason": "未到岗"})
    pending_record.refresh_from_db()
    assert (pending_record.status, pending_record.reject_reason) == ("rejected", "未到岗")
