"""Circulars compiled at the same instant, in real threads on PostgreSQL: one per week, numbers without gaps."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from campaigns import periods
from campaigns.models import YearlyNumber
from inspections.circulars import SERIES, circular_compile
from inspections.models import Circular
from tests.concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2023, 3, 6, 7, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_concurrent_compilations_number_each_week_once_without_gaps(city):
    weeks = [periods.parse_period(f"2023-W{n:02d}") for n in range(1, 7)]
    # Six weeks, each compiled by two threads at once (the beat firing twice, a manual replay…): twelve threads.
    jobs = [(lambda p=p: circular_compile(period=p, now=NOW)) for p in weeks for _ in range(2)]
    results = run_together(jobs)

    assert [kind for kind, _ in results] == ["ok"] * len(jobs), results
    circulars = list(Circular.objects.filter(year=2023).order_by("sequence"))
    assert sorted(c.period for c in circulars) == [f"2023-W{n:02d}" for n in range(1, 7)]
    assert [c.sequence for c in circulars] == list(range(1, 7))
    assert [c.number for c in circulars] == [f"〔2023〕第{n}期" for n in range(1, 7)]
    assert YearlyNumber.objects.get(series=SERIES, year=2023).last_number == 6
    created = [value[1] for _kind, value in results]
    assert created.count(True) == 6
