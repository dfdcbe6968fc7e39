"""Records with a number or a history are never deleted; a card is withdrawn with a reason; files go with their rows."""

import pytest
from django.contrib.admin.sites import site
from django.db.models import ProtectedError
from django.test import RequestFactory

from campaigns.errors import NotAllowed
from campaigns.models import User
from supervision import selectors, services
from supervision.choices import CardStatus
from supervision.models import CardAttachment, CardTransition, SupervisionCard
from taskforces.models import Report, ReportTransition
from tests.supervision.conftest import photo
from volunteers.models import ServiceRecord, ServiceRecordTransition


def _media_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_card_with_history_cannot_be_deleted(card_in):
    card = card_in(CardStatus.SUBMITTED)
    with pytest.raises(ProtectedError):
        card.delete()
    assert SupervisionCard.objects.filter(pk=card.pk).exists()
    assert CardTransition.objects.filter(card=card).count() == 3


def test_a_transition_is_protected_by_its_record():
    for model, field in [(CardTransition, "card"), (ReportTransition, "report"), (ServiceRecordTransition, "record")]:
        assert model._meta.get_field(field).remote_field.on_delete.__name__ == "PROTECT"
    for model, field in [(ServiceRecord, "decided_by"), (Report, "submitted_by")]:
        assert model._meta.get_field(field).remote_field.on_delete.__name__ == "PROTECT"


def test_a_person_who_acted_cannot_be_deleted(card_in, supervisor):
    card_in(CardStatus.ISSUED)
    with pytest.raises(ProtectedError):
        User.objects.get(pk=supervisor.pk).delete()


@pytest.mark.parametrize(
    "model", [SupervisionCard, CardAttachment, Report, ServiceRecord, User], ids=lambda m: m.__name__
)
def test_the_admin_offers_no_delete(hq, model):
    request = RequestFactory().get("/")
    request.user = hq
    model_admin = site._registry[model]
    assert model_admin.has_delete_permission(request) is False
    assert "delete_selected" not in model_admin.get_actions(request)


def test_the_admin_inlines_offer_no_delete(hq):
    request = RequestFactory().get("/")
    request.user = hq
    for model in (SupervisionCard, Report):
        for inline in site._registry[model].get_inline_instances(request):
            assert inline.has_delete_permission(request) is False, inline


def test_issuer_withdraws_an_open_card_with_a_reason(card_in, supervisor):
    card = card_in(CardStatus.ACKNOWLEDGED)
    number = card.number
    services.supervision_card_withdraw(actor=supervisor, card=card, reason="重复下发。")
    card.refresh_from_db()
    assert card.status == CardStatus.WITHDRAWN
    assert card.get_status_display() == "已撤销"
    assert card.number == number
    row = card.transitions.latest("at")
    assert (row.action, row.to_status, row.note, row.actor_id) == ("withdraw", "withdrawn", "重复下发。", supervisor.pk)
    # Not open, not overdue, not in anyone's inbox, not counted as closed.
    assert not SupervisionCard.objects.open().filter(pk=card.pk).exists()
    totals = selectors.supervision_card_totals(SupervisionCard.objects.filter(pk=card.pk))
    assert (totals["open"], totals["overdue"], totals["closed"]) == (0, 0, 0)


def test_withdraw_needs_a_reason_and_the_issuer(card_in, officer_yungang, supervisor):
    from django.core.exceptions import ValidationError

    card = card_in(CardStatus.ISSUED)
    with pytest.raises(NotAllowed, match="撤销"):
        services.supervision_card_withdraw(actor=officer_yungang, card=card, reason="不想办。")
    with pytest.raises(ValidationError):
        services.supervision_card_withdraw(actor=supervisor, card=card, reason="  ")
    card.refresh_from_db()
    assert card.status == CardStatus.ISSUED


def test_withdraw_through_the_api(api_as, card_in, supervisor, officer_yungang):
    card = card_in(CardStatus.ISSUED)
    assert (
        api_as(officer_yungang).post(f"/api/v1/supervision-cards/{card.pk}/withdraw/", {"reason": "x"}).status_code
        == 403
    )
    response = api_as(supervisor).post(
        f"/api/v1/supervision-cards/{card.pk}/withdraw/", {"reason": "下发有误。"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"


def test_photos_of_a_rolled_back_submit_leave_no_file(card_in, officer_yungang, settings, monkeypatch):
    card = card_in(CardStatus.ACKNOWLEDGED)

    def broken(**kwargs):
        raise RuntimeError("通知失败")

    monkeypatch.setattr(services, "notify", broken)
    with pytest.raises(RuntimeError):
        services.supervision_card_submit(actor=officer_yungang, card=card, feedback="已整改。", after_photos=[photo()])
    assert not CardAttachment.objects.filter(card=card).exists()
    assert _media_files(settings) == []


def test_a_deleted_attachment_takes_its_file(card_in, officer_yungang, settings, django_capture_on_commit_callbacks):
    card = card_in(CardStatus.ACKNOWLEDGED)
    services.supervision_card_submit(actor=officer_yungang, card=card, feedback="已整改。", after_photos=[photo()])
    attachment = CardAttachment.objects.get(card=card)
    assert len(_media_files(settings)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        attachment.delete()
    assert _media_files(settings) == []
