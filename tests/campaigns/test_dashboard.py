from datong_portal.dashboard.summary import RANKED_RATES, rank_rows


def _row(code, **rates):
    return {"division": int(code), "division_code": code, **dict.fromkeys(RANKED_RATES), **rates}


def test_league_table_ranks_by_the_mean_of_the_rates_each_division_has():
    rows = rank_rows(
        [
            _row("140213", report_punctuality=80.0, activity_rate=40.0),  # mean 60
            _row("140214", report_punctuality=90.0, activity_rate=50.0),  # mean 70
            _row("140212", report_punctuality=60.0),  # mean 60: ties with 140213
            _row("140215"),  # no figures yet: last
        ]
    )
    assert [(row["division_code"], row["rank"]) for row in rows] == [
        ("140214", 1),
        ("140212", 2),
        ("140213", 2),
        ("140215", 4),
    ]


def test_districts_endpoint_gives_every_division_a_rank(api_as, hq):
    rows = api_as(hq).get("/api/v1/dashboard/districts/").json()
    assert len(rows) == 10
    assert sorted(row["rank"] for row in rows)[0] == 1
    for row in rows:
        assert set(RANKED_RATES) <= set(row)
