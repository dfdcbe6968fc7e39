"""A token client downloads the attachments of the reports it may see, exactly as a signed-in browser does."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_file(client_as, officer_pingcheng, weekly_w32):
    upload = SimpleUploadedFile("周报.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    client_as(officer_pingcheng).post(f"/reports/{weekly_w32.pk}/attachments/", {"file": upload})
    return weekly_w32.attachments.get()


def test_a_token_client_downloads_a_report_attachment_it_may_see(report_file, officer_pingcheng, api_reader):
    url = f"/reports/{report_file.report_id}/attachments/{report_file.pk}/"
    for user in (officer_pingcheng, api_reader):
        key = Token.objects.create(user=user).key
        response = Client().get(url, HTTP_AUTHORIZATION=f"Token {key}")
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_token_client_gets_404_for_another_districts_report_attachment(report_file, officer_yungang):
    key = Token.objects.create(user=officer_yungang).key
    url = f"/reports/{report_file.report_id}/attachments/{report_file.pk}/"
    assert Client().get(url, HTTP_AUTHORIZATION=f"Token {key}").status_code == 404


def test_without_sign_in_or_token_the_browser_is_sent_to_the_login_page(report_file):
    response = Client().get(f"/reports/{report_file.report_id}/attachments/{report_file.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
