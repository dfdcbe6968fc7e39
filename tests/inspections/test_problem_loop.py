"""Every legal and illegal move of the problem loop, table-driven: who may, the transition row, 409 via the API."""

import pytest

from campaigns.errors import IllegalTransition, NotAllowed
from inspections import services
from inspections.choices import ProblemStatus
from inspections.models import Problem, ProblemTransition

pytestmark = pytest.mark.django_db

S = ProblemStatus


def _do(action, actor, problem):
    if action == "dispatch":
        return services.problem_dispatch(actor=actor, problem=problem)
    if action == "rectify":
        return services.problem_rectify(actor=actor, problem=problem, feedback="已整改。")
    if action == "close":
        return services.problem_recheck(actor=actor, problem=problem, approved=True, comment="复核合格")
    return services.problem_recheck(actor=actor, problem=problem, approved=False, comment="仍有垃圾")


# (status before, action, actor, status after) — the problem is in 平城区, its unit 市城市管理局, rectified by that
# unit's officer.
LEGAL = [
    (S.OPEN, "dispatch", "hq", S.DISPATCHED),
    (S.OPEN, "dispatch", "supervisor", S.DISPATCHED),
    (S.OPEN, "dispatch", "officer_pingcheng", S.DISPATCHED),
    (S.DISPATCHED, "rectify", "department_officer", S.RECTIFIED),
    (S.DISPATCHED, "rectify", "officer_pingcheng", S.RECTIFIED),
    (S.RECTIFIED, "close", "hq", S.CLOSED),
    (S.RECTIFIED, "close", "supervisor", S.CLOSED),
    (S.RECTIFIED, "close", "officer_pingcheng", S.CLOSED),
    (S.RECTIFIED, "return", "hq", S.DISPATCHED),
    (S.RECTIFIED, "return", "supervisor", S.DISPATCHED),
]

REFUSED = [  # the move fits the status, the actor may not take it
    (S.OPEN, "dispatch", "department_officer"),
    (S.OPEN, "dispatch", "officer_yungang"),
    (S.OPEN, "dispatch", "leader"),
    (S.DISPATCHED, "rectify", "hq"),
    (S.DISPATCHED, "rectify", "supervisor"),
    (S.DISPATCHED, "rectify", "officer_yungang"),
    (S.RECTIFIED, "close", "department_officer"),  # the rectifier
    (S.RECTIFIED, "return", "department_officer"),
    (S.RECTIFIED, "close", "officer_yungang"),
    (S.RECTIFIED, "close", "leader"),
]

ILLEGAL = [  # the move does not fit the status, whoever asks
    (status, action)
    for action, sources in (
        ("dispatch", {S.OPEN}),
        ("rectify", {S.DISPATCHED}),
        ("close", {S.RECTIFIED}),
        ("return", {S.RECTIFIED}),
    )
    for status in S.values
    if status not in sources
]


@pytest.fixture
def actors(request, hq, supervisor, leader, officer_pingcheng, officer_yungang, department_officer):
    return {
        "hq": hq,
        "supervisor": supervisor,
        "leader": leader,
        "officer_pingcheng": officer_pingcheng,
        "officer_yungang": officer_yungang,
        "department_officer": department_officer,
    }


@pytest.mark.parametrize(("before", "action", "who", "after"), LEGAL)
def test_legal_moves_write_a_transition_row(problem_in, actors, before, action, who, after):
    problem = problem_in(before)
    count = ProblemTransition.objects.filter(problem=problem).count()
    problem = _do(action, actors[who], problem)
    assert problem.status == after
    problem.refresh_from_db()
    assert problem.status == after
    row = problem.transitions.order_by("-at", "-id").first()
    assert ProblemTransition.objects.filter(problem=problem).count() == count + 1
    assert (row.action, row.from_status, row.to_status, row.actor) == (action, before, after, actors[who])
    if action == "return":
        assert problem.rework_count == 1
    if action == "close":
        assert problem.closed_at is not None


@pytest.mark.parametrize(("before", "action", "who"), REFUSED)
def test_refused_actors_change_nothing(problem_in, actors, before, action, who):
    problem = problem_in(before)
    count = problem.transitions.count()
    with pytest.raises(NotAllowed):
        _do(action, actors[who], problem)
    problem.refresh_from_db()
    assert problem.status == before
    assert problem.transitions.count() == count


@pytest.mark.parametrize(("before", "action"), ILLEGAL)
def test_illegal_moves_are_refused_and_change_nothing(problem_in, hq, department_officer, before, action):
    problem = problem_in(before)
    count = problem.transitions.count()
    actor = department_officer if action == "rectify" else hq
    with pytest.raises(IllegalTransition):
        _do(action, actor, problem)
    problem.refresh_from_db()
    assert problem.status == before
    assert problem.transitions.count() == count


def test_the_recheck_is_refused_to_the_rectifier_even_when_they_may_recheck(problem_in, officer_pingcheng, hq):
    problem = services.problem_dispatch(actor=hq, problem=problem_in(S.OPEN))
    problem = services.problem_rectify(actor=officer_pingcheng, problem=problem, feedback="已清理。")
    with pytest.raises(NotAllowed) as error:
        services.problem_recheck(actor=officer_pingcheng, problem=problem, approved=True)
    assert "整改反馈人以外" in error.value.message
    assert services.problem_recheck(actor=hq, problem=problem, approved=True).status == S.CLOSED


def test_rework_is_counted_each_time(problem_in, hq, department_officer):
    problem = problem_in(S.RECTIFIED)
    problem = services.problem_recheck(actor=hq, problem=problem, approved=False, comment="不合格")
    problem = services.problem_rectify(actor=department_officer, problem=problem, feedback="再次整改。")
    problem = services.problem_recheck(actor=hq, problem=problem, approved=False, comment="仍不合格")
    assert (problem.status, problem.rework_count) == (S.DISPATCHED, 2)


def test_a_return_needs_a_reason(problem_in, hq):
    from django.core.exceptions import ValidationError

    problem = problem_in(S.RECTIFIED)
    with pytest.raises(ValidationError):
        services.problem_recheck(actor=hq, problem=problem, approved=False, comment="")


API_ACTIONS = {
    "dispatch": ("dispatch", {}),
    "rectify": ("rectify", {"feedback": "已整改。"}),
    "close": ("recheck", {"approved": True, "comment": "合格"}),
    "return": ("recheck", {"approved": False, "comment": "不合格"}),
}


@pytest.mark.parametrize(("before", "action"), ILLEGAL)
def test_illegal_moves_are_409_through_the_api(problem_in, api_as, hq, department_officer, before, action):
    problem = problem_in(before)
    path, body = API_ACTIONS[action]
    actor = department_officer if action == "rectify" else hq
    response = api_as(actor).post(f"/api/v1/problems/{problem.pk}/{path}/", body, format="json")
    assert response.status_code == 409, response.content
    assert "不能执行" in response.json()["detail"]


@pytest.mark.parametrize(("before", "action", "who", "after"), LEGAL)
def test_legal_moves_through_the_api(problem_in, api_as, actors, before, action, who, after):
    problem = problem_in(before)
    path, body = API_ACTIONS[action]
    response = api_as(actors[who]).post(f"/api/v1/problems/{problem.pk}/{path}/", body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == after
    assert data["transitions"][-1]["to_status"] == after


def test_the_rectifiers_recheck_is_403_through_the_api(problem_in, api_as, department_officer):
    problem = problem_in(S.RECTIFIED)
    response = api_as(department_officer).post(
        f"/api/v1/problems/{problem.pk}/recheck/", {"approved": True}, format="json"
    )
    assert response.status_code == 403
    assert "整改反馈人以外" in response.json()["detail"]


def test_another_divisions_problem_is_404_through_the_api(problem_in, api_as, officer_yungang):
    problem = problem_in(S.OPEN)
    client = api_as(officer_yungang)
    assert client.get(f"/api/v1/problems/{problem.pk}/").status_code == 404
    assert client.post(f"/api/v1/problems/{problem.pk}/dispatch/", {}, format="json").status_code == 404


def test_deleting_a_problem_with_history_is_refused_and_keeps_its_transitions(problem_in):
    from django.db.models import ProtectedError

    problem = problem_in(ProblemStatus.DISPATCHED)
    rows = list(problem.transitions.values_list("id", flat=True))
    assert rows
    with pytest.raises(ProtectedError):
        Problem.objects.filter(pk=problem.pk).delete()
    assert list(problem.transitions.values_list("id", flat=True)) == rows
