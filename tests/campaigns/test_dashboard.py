from datong_portal.dashboard import summary


class FakeProvider:
    """Stands in for an app's dashboard.py so the ranking arithmetic is tested on known figures."""

    def __init__(self, columns):
        self.columns = columns

    def summary_parts(self, division):
        return {}

    def district_columns(self, divisions):
        return self.columns


def test_league_table_ranks_by_the_mean_of_the_rates_each_division_has(city, monkeypatch):
    from campaigns.models import Division

    divisions = list(Division.objects.order_by("code")[:3])
    a, b, c = divisions
    provider = FakeProvider(
        {
            a.id: {"report_punctuality": 80.0, "activity_rate": 40.0},  # mean 60
            b.id: {"report_punctuality": 90.0, "activity_rate": 50.0},  # mean 70
            c.id: {"report_punctuality": 60.0},  # mean 60, ties with a
        }
    )
    monkeypatch.setattr(summary, "_providers", lambda: [provider])
    rows = summary.district_rows(divisions)
    assert [(row["division"], row["rank"]) for row in rows] == [(b.id, 1), (a.id, 2), (c.id, 2)]
    assert rows[2]["activity_rate"] is None and rows[2]["score_rate"] is None
