"""A token client downloads the photos of the cards it may see, exactly as a signed-in browser does."""

import pytest
from rest_framework.authtoken.models import Token

from supervision.choices import CardStatus
from supervision.models import CardAttachment
from tests.supervision.conftest import photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def card_photo(card_in, api_as, officer_yungang):
    card = card_in(CardStatus.ACKNOWLEDGED)
    response = api_as(officer_yungang).post(
        f"/api/v1/supervision-cards/{card.pk}/submit/", {"feedback": "已整改", "after_photos": [photo()]}
    )
    assert response.status_code == 200, response.content
    return CardAttachment.objects.get(card=card)


def test_a_token_client_downloads_a_photo_of_a_card_it_may_see(client, card_photo, officer_yungang):
    key = Token.objects.create(user=officer_yungang).key
    response = client.get(f"/supervision/attachments/{card_photo.pk}/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_a_token_client_gets_404_for_a_photo_of_another_districts_card(client, card_photo, officer_pingcheng):
    key = Token.objects.create(user=officer_pingcheng).key
    response = client.get(f"/supervision/attachments/{card_photo.pk}/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 404


def test_a_wrong_token_is_401_not_the_login_page(client, card_photo):
    response = client.get(f"/supervision/attachments/{card_photo.pk}/", HTTP_AUTHORIZATION="Token nope")
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]
