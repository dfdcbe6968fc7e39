"""Edit history of the star thresholds: each change with who made it, on the thresholds page."""

import pytest

from tests.history import history_panel, second_headquarters
from volunteers import services
from volunteers.models import StarThreshold

pytestmark = pytest.mark.django_db


def test_changing_a_star_threshold_is_recorded_and_shown_on_the_thresholds_page(client_as, hq, city):
    hours = services.star_thresholds()
    form = {f"star_{star}": minimum for star, minimum in hours.items()} | {"star_1": hours[1] + 20}
    client = client_as(hq)
    assert client.post("/volunteers/stars/", form).status_code == 302

    edits = list(StarThreshold.history.filter(history_type="~"))
    assert [(row.star, row.min_hours, row.history_user) for row in edits] == [(1, hours[1] + 20, hq)]
    panel = history_panel(client.get("/volunteers/stars/"))
    assert f"修改 · 1星：{hours[1] + 20}小时 {hq.display_name}" in panel
    assert f"所需时长（小时） ： {hours[1]} → {hours[1] + 20}" in panel


def test_thresholds_set_outside_a_request_name_the_actor(hq, city):
    deputy = second_headquarters(hq)
    hours = services.star_thresholds()
    services.star_thresholds_set(actor=deputy, thresholds=hours | {5: hours[5] + 100})
    row = StarThreshold.history.first()
    assert (row.star, row.min_hours, row.history_user) == (5, hours[5] + 100, deputy)
    assert StarThreshold.history.filter(history_type="~").count() == 1
