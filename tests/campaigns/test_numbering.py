import pytest
from django.db import transaction

from campaigns.models import YearlyNumber
from campaigns.numbering import next_number


@pytest.mark.django_db
def test_numbers_count_up_per_series_and_year():
    with transaction.atomic():
        assert [next_number("supervision-card", 2022) for _ in range(3)] == [1, 2, 3]
        assert next_number("reminder-card", 2022) == 1
        assert next_number("supervision-card", 2023) == 1


@pytest.mark.django_db
def test_a_rolled_back_document_leaves_no_gap():
    with transaction.atomic():
        assert next_number("supervision-card", 2022) == 1
    try:
        with transaction.atomic():
            assert next_number("supervision-card", 2022) == 2
            raise RuntimeError("the card failed to save")
    except RuntimeError:
        pass
    with transaction.atomic():
        assert next_number("supervision-card", 2022) == 2
    assert YearlyNumber.objects.get(series="supervision-card", year=2022).last_number == 2


@pytest.mark.django_db(transaction=True)
def test_numbering_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        next_number("supervision-card", 2022)


def test_reminder_cards_are_numbered_consecutively(hq, government, pingcheng, yungang):
    from taskforces import services

    first = services.reminder_card_issue(actor=hq, title="提示一", recipient_unit=government(pingcheng))
    second = services.reminder_card_issue(actor=hq, title="提示二", recipient_unit=government(yungang))
    assert (second.year, second.seq) == (first.year, first.seq + 1)
    assert second.number == f"提示卡〔{second.year}〕第{second.seq}号"
