"""The scale seed's history: visits and problems in bulk, which the league table and the problem list then read."""

from inspections.league_seed import SCALE_HISTORY, seed_scale
from inspections.models import Inspection, Problem


def test_the_scale_seed_adds_visits_and_problems_in_bulk(
    city, reference_data, api_as, hq, django_assert_max_num_queries
):
    visits_before, problems_before = Inspection.objects.count(), Problem.objects.count()
    with django_assert_max_num_queries(40):
        seed_scale(reference_data, scale="small", log=lambda message: None)
    assert Inspection.objects.count() - visits_before == SCALE_HISTORY["small"]["visits"]
    assert Problem.objects.count() - problems_before > SCALE_HISTORY["small"]["problems"] * 0.9

    rows = api_as(hq).get("/api/v1/dashboard/districts/").json()
    assert all(row["score_rate"] is not None and row["on_time_closure_rate"] is not None for row in rows)
    assert api_as(hq).get("/api/v1/problems/?overdue=true").json()["count"] > 0

    seed_scale(reference_data, scale="small", log=lambda message: None)  # a second run adds nothing
    assert Inspection.objects.count() - visits_before == SCALE_HISTORY["small"]["visits"]
