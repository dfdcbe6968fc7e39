"""Many problems dispatched at once, each through problem_dispatch and its checks, answered row by row."""

import pytest

from inspections.choices import ProblemStatus
from inspections.models import Problem

pytestmark = pytest.mark.django_db

BULK = "/api/v1/problems/bulk-dispatch/"


def test_a_supervisor_bulk_dispatches_open_problems_and_is_told_what_was_refused(api_as, supervisor, city):
    open_ = list(Problem.objects.filter(status=ProblemStatus.OPEN).order_by("pk"))
    dispatched = Problem.objects.filter(status=ProblemStatus.DISPATCHED).first()
    assert open_ and dispatched
    response = api_as(supervisor).post(BULK, {"ids": [p.pk for p in open_] + [dispatched.pk]}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["done"]] == [p.pk for p in open_]
    assert [row["id"] for row in body["refused"]] == [dispatched.pk]
    assert "不能执行“派发”操作" in body["refused"][0]["detail"]
    for problem in open_:
        problem.refresh_from_db()
        assert problem.status == ProblemStatus.DISPATCHED and problem.deadline is not None
        assert problem.transitions.filter(action="dispatch", actor=supervisor).count() == 1


def test_an_officer_dispatches_only_in_their_division(api_as, officer_pingcheng, city):
    mine = Problem.objects.filter(status=ProblemStatus.OPEN, division__name="平城区").first()
    other = Problem.objects.filter(status=ProblemStatus.OPEN).exclude(division__name="平城区").first()
    ids = [p.pk for p in (mine, other) if p is not None]
    assert other is not None
    body = api_as(officer_pingcheng).post(BULK, {"ids": ids}, format="json").json()
    assert {row["id"]: row["detail"] for row in body["refused"]}[other.pk] == "记录不存在或无权查看。"
    assert Problem.objects.get(pk=other.pk).status == ProblemStatus.OPEN


def test_bad_selections_and_strangers_are_refused(api_as, anonymous_api, supervisor, city):
    assert api_as(supervisor).post(BULK, {"ids": ["x"]}, format="json").status_code == 400
    assert anonymous_api.post(BULK, {"ids": [1]}, format="json").status_code == 401


def test_the_problem_export_holds_the_filtered_problems_in_the_users_scope(client_as, hq, officer_pingcheng, city):
    import io

    from openpyxl import load_workbook

    def rows(client, query):
        response = client.get(f"/inspections/problems/?{query}&export=xlsx")
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        return list(load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))

    found = rows(client_as(hq), "status=open")
    assert found[0][:3] == ("点位编号", "点位", "问题")
    assert len(found) - 1 == Problem.objects.filter(status=ProblemStatus.OPEN).count() > 0
    assert {row[8] for row in found[1:]} == {str(ProblemStatus.OPEN.label)}
    mine = rows(client_as(officer_pingcheng), "status=")
    assert mine[1:] and {row[3] for row in mine[1:]} == {"平城区"}
