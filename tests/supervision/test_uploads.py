"""Photos: images only, checked by content; a size limit; random stored names; served only to those who see the card."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from supervision.choices import CardStatus
from supervision.models import CardAttachment
from tests.supervision.conftest import photo, png_bytes, snapshot

pytestmark = pytest.mark.django_db


def _stored_files(settings):
    root = settings.MEDIA_ROOT
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files] if os.path.exists(root) else []


def _submit(client, card, **files):
    return client.post(
        f"/api/v1/supervision-cards/{card.pk}/submit/", {"feedback": "已整改", **files}, format="multipart"
    )


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: SimpleUploadedFile("after.jpg", b"this is not a picture\n", content_type="image/jpeg"),
            "不是有效的图片",
        ),
        (lambda: SimpleUploadedFile("after.jpg", b"", content_type="image/jpeg"), "空的"),
        (lambda: SimpleUploadedFile("shot.png", png_bytes()[:40], content_type="image/png"), "不是有效的图片"),
        (
            lambda: SimpleUploadedFile("page.jpg", b"%PDF-1.4\n" + b"0" * 200, content_type="image/jpeg"),
            "不是有效的图片",
        ),
    ],
    ids=["text-named-jpg", "empty", "truncated-png", "pdf-named-jpg"],
)
def test_bad_upload_is_refused_and_the_card_is_unchanged(upload, message, card_in, api_as, officer_yungang, settings):
    card = card_in(CardStatus.ACKNOWLEDGED)
    before = snapshot(card)

    response = _submit(api_as(officer_yungang), card, after_photos=[photo(), upload()])

    assert response.status_code == 400
    assert message in str(response.json())
    assert snapshot(card) == before
    assert _stored_files(settings) == []


def test_oversize_image_is_refused(card_in, api_as, officer_yungang, settings):
    settings.UPLOAD_IMAGE_MAX_BYTES = 2000
    big = png_bytes(size=(64, 64), noise=True)
    assert len(big) > 2000
    card = card_in(CardStatus.ACKNOWLEDGED)
    before = snapshot(card)

    response = _submit(api_as(officer_yungang), card, before_photos=[photo("big.png", big)])

    assert response.status_code == 400
    assert "超过大小限制" in str(response.json())
    assert snapshot(card) == before


def test_real_images_are_stored_under_random_names_and_served_to_viewers_only(
    card_in, api_as, client_as, officer_yungang, officer_pingcheng, hq, settings
):
    card = card_in(CardStatus.ACKNOWLEDGED)
    # A real PNG named .jpg is accepted: the content decides, and it is stored and served as PNG.
    response = _submit(
        api_as(officer_yungang),
        card,
        before_photos=[photo("before-shot.png")],
        after_photos=[photo("after-shot.jpg", content_type="image/jpeg")],
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "submitted"
    attachments = body["transitions"][-1]["attachments"]
    assert sorted(a["kind"] for a in attachments) == ["after", "before"]

    stored = CardAttachment.objects.filter(card=card)
    for item in stored:
        assert "shot" not in item.file.name
        assert item.file.name.endswith(".png")
        assert item.content_type == "image/png"
        assert str(settings.MEDIA_ROOT) in item.file.path

    url = attachments[0]["url"]
    own = client_as(officer_yungang).get(url)
    assert own.status_code == 200
    assert own["Content-Type"] == "image/png"
    assert b"".join(own.streaming_content).startswith(b"\x89PNG")
    assert client_as(hq).get(url).status_code == 200
    assert client_as(officer_pingcheng).get(url).status_code == 404


def test_attachment_view_requires_sign_in(card_in, api_as, officer_yungang, client):
    card = card_in(CardStatus.ACKNOWLEDGED)
    _submit(api_as(officer_yungang), card, after_photos=[photo()])
    attachment = CardAttachment.objects.get(card=card)
    response = client.get(f"/supervision/attachments/{attachment.pk}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_page_upload_of_text_file_shows_a_message_and_changes_nothing(card_in, client_as, officer_yungang):
    card = card_in(CardStatus.ACKNOWLEDGED)
    before = snapshot(card)
    client = client_as(officer_yungang)
    response = client.post(
        f"/supervision/{card.pk}/submit/",
        {"feedback": "已整改", "after_photos": [SimpleUploadedFile("x.jpg", b"hello", content_type="image/jpeg")]},
        follow=True,
    )
    assert response.status_code == 200
    assert "不是有效的图片" in response.content.decode()
    assert snapshot(card) == before
