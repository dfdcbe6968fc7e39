"""Numbers for the campaign's documents: 督办〔2022〕第15号, 提示卡〔2022〕第3号. One counter row per series and year."""

from django.db import transaction

from campaigns.models import YearlyNumber


def next_number(series: str, year: int) -> int:
    """The next number of ``series`` in ``year``. Call inside the transaction that creates the document."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the transaction that stores the numbered document")
    # Make sure the row exists without racing (INSERT … ON CONFLICT DO NOTHING), then lock it until commit.
    YearlyNumber.objects.bulk_create([YearlyNumber(series=series, year=year)], ignore_conflicts=True)
    counter = YearlyNumber.objects.select_for_update().get(series=series, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def reserve_numbers(series: str, year: int, count: int) -> range:
    """``count`` consecutive numbers of ``series`` in ``year`` at once (documents written in bulk, the demo's year).

    The same locked counter row as :func:`next_number`, so numbers stay gapless and unique beside live issuing.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reserve_numbers() must run inside the transaction that stores the numbered documents")
    YearlyNumber.objects.bulk_create([YearlyNumber(series=series, year=year)], ignore_conflicts=True)
    counter = YearlyNumber.objects.select_for_update().get(series=series, year=year)
    first = counter.last_number + 1
    counter.last_number += count
    counter.save(update_fields=["last_number"])
    return range(first, first + count)
