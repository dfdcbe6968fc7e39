"""Minimum necessary: lists, searches and exports are masked for everyone; full values only by a logged read."""

import io

import pytest
from openpyxl import load_workbook

from volunteers.models import PersonalDataAccess
from volunteers.privacy import mask_id_number, mask_phone


@pytest.fixture
def volunteer(make_volunteer, pingcheng):
    return make_volunteer(pingcheng, name="隐私测试员")


def test_headquarters_list_page_shows_no_full_id_number(client_as, hq, volunteer):
    page = client_as(hq).get("/volunteers/", {"search": volunteer.volunteer_no}).content.decode()
    assert volunteer.name in page
    assert volunteer.id_number not in page and volunteer.phone not in page
    assert mask_id_number(volunteer.id_number) in page


def test_api_list_masks_for_headquarters_and_one_record_is_a_logged_read(api_as, hq, volunteer):
    client = api_as(hq)
    rows = client.get("/api/v1/volunteers/", {"search": volunteer.volunteer_no}).json()["results"]
    assert [(r["id_number"], r["phone"]) for r in rows] == [
        (mask_id_number(volunteer.id_number), mask_phone(volunteer.phone))
    ]
    assert not PersonalDataAccess.objects.exists()
    body = client.get(f"/api/v1/volunteers/{volunteer.pk}/").json()
    assert body["id_number"] == volunteer.id_number
    (row,) = PersonalDataAccess.objects.all()
    assert (row.user_id, row.volunteer_id, row.via) == (hq.pk, volunteer.pk, "api")


def test_a_masked_read_is_not_logged(api_as, supervisor, volunteer):
    body = api_as(supervisor).get(f"/api/v1/volunteers/{volunteer.pk}/").json()
    assert body["id_number"] == mask_id_number(volunteer.id_number)
    assert not PersonalDataAccess.objects.exists()


def test_reveal_on_the_page_is_logged_and_shown_to_headquarters(client_as, officer_pingcheng, hq, volunteer):
    client = client_as(officer_pingcheng)
    page = client.get(f"/volunteers/{volunteer.pk}/").content.decode()
    assert volunteer.id_number not in page and "查看完整身份证号和手机号" in page
    page = client.post(f"/volunteers/{volunteer.pk}/", {"reveal": "1"}).content.decode()
    assert volunteer.id_number in page and volunteer.phone in page
    (row,) = PersonalDataAccess.objects.all()
    assert (row.user_id, row.volunteer_id, row.via) == (officer_pingcheng.pk, volunteer.pk, "page")
    assert client.get("/volunteers/personal-data-access/").status_code == 403
    log = client_as(hq).get("/volunteers/personal-data-access/").content.decode()
    assert volunteer.volunteer_no in log and str(officer_pingcheng) in log


def test_reveal_refused_to_those_without_the_right(client_as, supervisor, volunteer):
    response = client_as(supervisor).post(f"/volunteers/{volunteer.pk}/", {"reveal": "1"})
    assert response.status_code == 403
    assert volunteer.id_number not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


def _sheet_values(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [str(cell.value) for row in sheet.iter_rows() for cell in row]


def test_the_ordinary_export_is_masked(client_as, hq, volunteer):
    response = client_as(hq).get("/volunteers/", {"search": volunteer.volunteer_no, "export": "xlsx"})
    values = _sheet_values(response)
    assert volunteer.id_number not in values and mask_id_number(volunteer.id_number) in values


def test_unmasked_export_needs_a_purpose_and_is_logged(client_as, hq, volunteer):
    client = client_as(hq)
    url = f"/volunteers/export-unmasked/?search={volunteer.volunteer_no}"
    response = client.post(url, {"purpose": " "})
    assert response.status_code == 302
    assert not PersonalDataAccess.objects.exists()
    assert client.get(url).status_code == 405
    response = client.post(url, {"purpose": "核对保险名单"})
    assert response.status_code == 200
    assert volunteer.id_number in _sheet_values(response)
    (row,) = PersonalDataAccess.objects.all()
    assert (row.via, row.purpose, row.rows, row.volunteer_id) == ("export", "核对保险名单", 1, None)


def test_the_admin_shows_a_data_steward_masked_numbers_and_the_logged_way_to_the_full_ones(
    client_as, steward, volunteer
):
    client = client_as(steward)
    listing = client.get("/admin/volunteers/volunteer/", {"q": volunteer.volunteer_no}).content.decode()
    assert volunteer.name in listing and volunteer.id_number not in listing and volunteer.phone not in listing
    page = client.get(f"/admin/volunteers/volunteer/{volunteer.pk}/change/").content.decode()
    assert volunteer.name in page
    assert volunteer.id_number not in page and volunteer.phone not in page
    assert mask_id_number(volunteer.id_number) in page and mask_phone(volunteer.phone) in page
    assert f'href="/volunteers/{volunteer.pk}/"' in page and "个人信息访问日志" in page
    assert not PersonalDataAccess.objects.exists()  # opening the admin is no reveal

    # The full values come only through the volunteer page's reveal, which is logged.
    revealed = client.post(f"/volunteers/{volunteer.pk}/", {"reveal": "1"}).content.decode()
    assert volunteer.id_number in revealed
    (row,) = PersonalDataAccess.objects.all()
    assert (row.user_id, row.volunteer_id, row.via) == (steward.pk, volunteer.pk, "page")


def test_saving_a_volunteer_in_the_admin_keeps_the_numbers_it_never_showed(client_as, steward, volunteer):
    client = client_as(steward)
    url = f"/admin/volunteers/volunteer/{volunteer.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items() if not isinstance(v, list)}
    data["name"] = "隐私测试员改名"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    before = (volunteer.id_number, volunteer.phone)
    volunteer.refresh_from_db()
    assert volunteer.name == "隐私测试员改名"
    assert (volunteer.id_number, volunteer.phone) == before


def test_the_admin_add_form_takes_the_numbers_of_a_new_volunteer(client_as, steward):
    form = client_as(steward).get("/admin/volunteers/volunteer/add/").context["adminform"].form
    assert {"id_number", "phone"} <= set(form.fields)
