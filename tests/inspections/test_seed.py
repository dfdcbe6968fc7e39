import pytest

from campaigns.management.commands.seed_datong import seed_city
from campaigns.models import Division
from inspections.models import Inspection, Point, PointCategory, Problem, Standard
from inspections.seed import seed_scale

pytestmark = pytest.mark.django_db


def test_the_28_categories_and_checklists_come_from_the_reference_data(city, reference_data):
    assert list(PointCategory.objects.values_list("name", flat=True)) == reference_data["point_categories"]
    for name in ("主次干道", "背街小巷", "居民小区", "集贸市场", "公交站点", "中小学校", "医院", "建筑工地"):
        standards = Standard.objects.filter(category__name=name)
        assert standards.count() >= 6, name
        assert standards.values("aspect").distinct().count() >= 3, name
    assert not PointCategory.objects.filter(standards__isnull=True).exists()


def test_the_demo_has_points_in_every_division_and_problems_in_several(city, reference_data):
    assert set(Point.objects.values_list("division", flat=True)) == set(Division.objects.values_list("id", flat=True))
    assert Point.objects.filter(division__name="平城区").count() >= 10
    assert Inspection.objects.exists()
    divisions = set(Problem.objects.values_list("division__name", flat=True))
    assert {"平城区", "云冈区"} <= divisions and len(divisions) >= 3
    assert set(Problem.objects.values_list("status", flat=True)) >= {"open", "dispatched", "rectified", "closed"}
    counts = (Point.objects.count(), Inspection.objects.count(), Problem.objects.count())
    seed_city(reference_data, demo=True, log=lambda m: None)  # twice: nothing new
    assert (Point.objects.count(), Inspection.objects.count(), Problem.objects.count()) == counts


def test_the_scale_seed_creates_points_in_bulk(city, reference_data, django_assert_max_num_queries):
    before = Point.objects.count()
    with django_assert_max_num_queries(10):
        seed_scale(reference_data, scale="small", log=lambda m: None)
    assert Point.objects.count() - before == 200
