"""Every workflow, every status × action × role: legal moves succeed and write exactly one transition row (who, from,
to, action, note); illegal ones raise IllegalTransition (wrong status) or NotAllowed (wrong actor) and change nothing;
through the API an illegal move answers 409 with a Chinese ``detail``.

The expected tables below are written out by hand from the issue, not read from the declarations they check. Each
case runs in a savepoint that is rolled back, so one seeded city serves a whole table.
"""

import itertools
import re
from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campaigns import registry
from campaigns import services as campaign_services
from campaigns.choices import TaskStatus
from campaigns.errors import IllegalTransition, NotAllowed, NotVisible
from campaigns.models import ImprovementAction, Task
from campaigns.workflow import CREATED
from campaigns.workflows import TASK_WORKFLOW
from supervision import services as supervision_services
from supervision.choices import CardSource, CardStatus, ExtensionStatus
from supervision.models import ExtensionRequest, SupervisionCard, format_card_number
from supervision.workflows import EXTENSION_WORKFLOW, SUPERVISION_CARD_WORKFLOW
from taskforces import services as taskforce_services
from taskforces.choices import ReportKind, ReportStatus
from taskforces.models import Report
from taskforces.workflows import REPORT_WORKFLOW
from volunteers import services as volunteer_services
from volunteers.choices import ImportStatus, RecordStatus
from volunteers.models import ImportJob, ServiceProject, ServiceRecord, Volunteer
from volunteers.workflows import IMPORT_JOB_WORKFLOW, SERVICE_RECORD_WORKFLOW

pytestmark = pytest.mark.django_db

# hq, supervisor, leader, the officer of the record's own unit (平城区), an officer of another division (云冈区),
# the team leader (an officer of a 平城区 community who leads the demo team), the read-only API client.
ROLES = {
    "hq": "hq",
    "supervisor": "supervisor",
    "leader": "leader",
    "officer": "officer-pingcheng",
    "other_officer": "officer-yungang",
    "team_leader": "team-leader",
    "api_reader": "api-reader",
}

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def roles(city):
    return {role: city[username] for role, username in ROLES.items()}


@pytest.fixture
def pingcheng_government(government, pingcheng):
    return government(pingcheng)


# --- the hand-written tables ----------------------------------------------------------------------------------------

CARD = {
    "statuses": list(CardStatus),
    "legal": {
        (CardStatus.ISSUED, "acknowledge"): CardStatus.ACKNOWLEDGED,
        (CardStatus.ACKNOWLEDGED, "submit"): CardStatus.SUBMITTED,
        (CardStatus.RETURNED, "submit"): CardStatus.SUBMITTED,
        (CardStatus.SUBMITTED, "close"): CardStatus.CLOSED,
        (CardStatus.SUBMITTED, "return"): CardStatus.RETURNED,
        # A card is withdrawn (撤销) with a reason from any open status, never deleted.
        (CardStatus.ISSUED, "withdraw"): CardStatus.WITHDRAWN,
        (CardStatus.ACKNOWLEDGED, "withdraw"): CardStatus.WITHDRAWN,
        (CardStatus.SUBMITTED, "withdraw"): CardStatus.WITHDRAWN,
        (CardStatus.RETURNED, "withdraw"): CardStatus.WITHDRAWN,
    },
    "actors": {
        "acknowledge": {"officer"},
        "submit": {"officer"},
        "close": {"hq", "supervisor"},  # the supervisor issued the card
        "return": {"hq", "supervisor"},
        "withdraw": {"hq", "supervisor"},
    },
}

EXTENSION = {
    "statuses": list(ExtensionStatus),
    "legal": {
        (ExtensionStatus.PENDING, "approve"): ExtensionStatus.APPROVED,
        (ExtensionStatus.PENDING, "refuse"): ExtensionStatus.REFUSED,
    },
    "actors": {"approve": {"hq", "supervisor"}, "refuse": {"hq", "supervisor"}},
}

REPORT = {
    "statuses": list(ReportStatus),
    "legal": {
        (ReportStatus.EXPECTED, "submit"): ReportStatus.SUBMITTED,
        (ReportStatus.RETURNED, "submit"): ReportStatus.SUBMITTED,
        (ReportStatus.SUBMITTED, "accept"): ReportStatus.ACCEPTED,
        (ReportStatus.SUBMITTED, "return"): ReportStatus.RETURNED,
    },
    # The team leader is an officer of a community in 平城区, not of the government unit that holds the report.
    "actors": {"submit": {"officer"}, "accept": {"hq"}, "return": {"hq"}},
}

SERVICE_RECORD = {
    "statuses": list(RecordStatus),
    "legal": {
        (RecordStatus.PENDING, "confirm"): RecordStatus.CONFIRMED,
        (RecordStatus.PENDING, "reject"): RecordStatus.REJECTED,
    },
    # The project's organisers: headquarters, the officers of its division, the leader of its team.
    "actors": {"confirm": {"hq", "officer", "team_leader"}, "reject": {"hq", "officer", "team_leader"}},
}

TASK = {
    "statuses": list(TaskStatus),
    "legal": {
        (TaskStatus.NOT_STARTED, "start"): TaskStatus.IN_PROGRESS,
        (TaskStatus.NOT_STARTED, "complete"): TaskStatus.DONE,
        (TaskStatus.IN_PROGRESS, "complete"): TaskStatus.DONE,
        (TaskStatus.NOT_STARTED, "close"): TaskStatus.DONE,
        (TaskStatus.IN_PROGRESS, "close"): TaskStatus.DONE,
        (TaskStatus.DONE, "reopen"): TaskStatus.IN_PROGRESS,
    },
    # Progress is recorded by whoever may change the task (its division's officers, the team leader among them);
    # only headquarters closes and reopens.
    "actors": {
        "start": {"hq", "officer", "team_leader"},
        "complete": {"hq", "officer", "team_leader"},
        "close": {"hq"},
        "reopen": {"hq"},
    },
    "automatic": {"start", "complete"},
}

IMPORT_JOB = {
    "statuses": list(ImportStatus),
    "legal": {
        (ImportStatus.QUEUED, "start"): ImportStatus.RUNNING,
        (ImportStatus.RUNNING, "finish"): ImportStatus.DONE,
        (ImportStatus.RUNNING, "fail"): ImportStatus.FAILED,
    },
    # The system moves a job in its uploader's name (the 平城区 officer here); nobody else.
    "actors": {"start": {"officer"}, "finish": {"officer"}, "fail": {"officer"}},
    "automatic": {"start", "finish", "fail"},
}

# The creating moves: who may create the record.
CREATORS = {
    "supervision.SupervisionCard": ("issue", {"hq", "supervisor"}),
    "supervision.ExtensionRequest": ("request", {"officer"}),
    "volunteers.ServiceRecord": ("register", {"hq", "officer", "team_leader"}),
    "volunteers.ImportJob": ("create", {"hq", "officer", "other_officer", "team_leader"}),
    "campaigns.Task": ("create", {"hq"}),
}


# --- records in any status ------------------------------------------------------------------------------------------


@pytest.fixture
def make_card(roles, pingcheng_government):
    counter = itertools.count(1)

    def make(status):
        now = timezone.now()
        sequence = next(counter)
        return SupervisionCard.objects.create(
            year=2099,
            sequence=sequence,
            number=format_card_number(2099, sequence),
            title="背街小巷环境整治",
            description="垃圾堆放。",
            source=CardSource.INSPECTION,
            issued_by=roles["supervisor"],
            issued_at=now,
            assignee_unit=pingcheng_government,
            division_id=pingcheng_government.division_id,
            deadline=timezone.localdate() + timedelta(days=10),
            original_deadline=timezone.localdate() + timedelta(days=10),
            status=status,
            closed_at=now if status == CardStatus.CLOSED else None,
        )

    return make


@pytest.fixture
def make_extension(make_card, roles):
    def make(status):
        card = make_card(CardStatus.ACKNOWLEDGED)
        return ExtensionRequest.objects.create(
            card=card,
            requested_by=roles["officer"],
            reason="需协调供电部门。",
            old_deadline=card.deadline,
            new_deadline=card.deadline + timedelta(days=10),
            status=status,
        )

    return make


@pytest.fixture
def make_report(pingcheng_government, roles):
    counter = itertools.count(1)

    def make(status):
        submitted = status != ReportStatus.EXPECTED
        return Report.objects.create(
            unit=pingcheng_government,
            kind=ReportKind.WEEKLY,
            period=f"2099-W{next(counter)}",
            due_at=timezone.now() + timedelta(days=2),
            status=status,
            summary="本周完成背街小巷整治 12 条。",
            submitted_at=timezone.now() if submitted else None,
            submitted_by=roles["officer"] if submitted else None,
        )

    return make


@pytest.fixture
def demo_project(roles):
    """The demo team's project in 平城区, led by the team leader."""
    return ServiceProject.objects.select_related("team").get(team__leader_user=roles["team_leader"])


@pytest.fixture
def make_record(demo_project):
    volunteer = Volunteer.objects.filter(division_id=demo_project.division_id).first()

    def make(status):
        return ServiceRecord.objects.create(
            volunteer=volunteer,
            project=demo_project,
            division_id=demo_project.division_id,
            date=timezone.localdate() - timedelta(days=400),
            start_time="06:00",
            end_time="06:30",
            hours=Decimal("0.5"),
            status=status,
        )

    return make


@pytest.fixture
def make_task(pingcheng_government):
    def make(status):
        return Task.objects.create(
            title="背街小巷整治",
            action=ImprovementAction.objects.first(),
            lead_unit=pingcheng_government,
            deadline=timezone.localdate() + timedelta(days=30),
            target=Decimal("500"),
            done=Decimal("0") if status == TaskStatus.NOT_STARTED else Decimal("10"),
            status=status,
        )

    return make


@pytest.fixture
def make_job(roles):
    def make(status):
        return ImportJob.objects.create(filename="花名册.xlsx", created_by=roles["officer"], status=status, total=1)

    return make


# --- the moves, through the services --------------------------------------------------------------------------------

NOTE = "说明文字"


def perform_card(action, actor, card):
    if action == "acknowledge":
        supervision_services.supervision_card_acknowledge(actor=actor, card=card, note=NOTE)
    elif action == "submit":
        supervision_services.supervision_card_submit(actor=actor, card=card, feedback=NOTE)
    elif action == "withdraw":
        supervision_services.supervision_card_withdraw(actor=actor, card=card, reason=NOTE)
    else:
        supervision_services.supervision_card_verify(actor=actor, card=card, approved=action == "close", comment=NOTE)


def perform_extension(action, actor, extension):
    supervision_services.extension_decide(actor=actor, extension=extension, approved=action == "approve", comment=NOTE)


def perform_report(action, actor, report):
    if action == "submit":
        taskforce_services.report_submit(actor=actor, report=report)
    elif action == "accept":
        taskforce_services.report_accept(actor=actor, report=report, note=NOTE)
    else:
        taskforce_services.report_return(actor=actor, report=report, reason=NOTE)


def perform_record(action, actor, record):
    if action == "confirm":
        volunteer_services.record_confirm(actor=actor, record=record)
    else:
        volunteer_services.record_reject(actor=actor, record=record, reason=NOTE)


def perform_task(action, actor, task):
    if action == "close":
        campaign_services.task_close(actor=actor, task=task, note=NOTE)
    elif action == "reopen":
        campaign_services.task_reopen(actor=actor, task=task, note=NOTE)
    else:  # start and complete follow the figures; the table checks the declaration through the engine itself
        _engine(TASK_WORKFLOW, action, actor, task)


def perform_job(action, actor, job):
    _engine(IMPORT_JOB_WORKFLOW, action, actor, job)


def _engine(workflow, action, actor, obj):
    with transaction.atomic():
        workflow.apply(workflow.lock(obj), action, actor=actor, note=NOTE)


# Which note a legal move leaves where it is not NOTE: a report's submit notes lateness only; a confirmation has none.
EXPECTED_NOTE = {("报告", "submit"): "", ("服务记录", "confirm"): ""}

CASES = [
    pytest.param(SUPERVISION_CARD_WORKFLOW, CARD, "make_card", perform_card, id="supervision-card"),
    pytest.param(EXTENSION_WORKFLOW, EXTENSION, "make_extension", perform_extension, id="extension"),
    pytest.param(REPORT_WORKFLOW, REPORT, "make_report", perform_report, id="report"),
    pytest.param(SERVICE_RECORD_WORKFLOW, SERVICE_RECORD, "make_record", perform_record, id="service-record"),
    pytest.param(TASK_WORKFLOW, TASK, "make_task", perform_task, id="task"),
    pytest.param(IMPORT_JOB_WORKFLOW, IMPORT_JOB, "make_job", perform_job, id="import-job"),
]


def _state(workflow, obj):
    fresh = type(obj).objects.get(pk=obj.pk)
    transitions = workflow.get_transition_model().objects.filter(**{workflow.subject_field: obj})
    return getattr(fresh, workflow.status_field), list(transitions.values_list("pk", flat=True))


@pytest.mark.parametrize(("workflow", "table", "factory", "perform"), CASES)
def test_every_status_action_and_role(request, roles, workflow, table, factory, perform):
    make = request.getfixturevalue(factory)
    actions = sorted(table["actors"])
    assert {m.action for m in workflow.moves if CREATED not in m.sources} == set(actions), "the table is complete"
    wrong = []
    for status in table["statuses"]:
        for action in actions:
            for role, actor in roles.items():
                with transaction.atomic():
                    obj = make(status)
                    before = _state(workflow, obj)
                    legal_move = (status, action) in table["legal"]
                    allowed = role in table["actors"][action]
                    case = f"{status} × {action} × {role}"
                    try:
                        perform(action, actor, obj)
                    except IllegalTransition as error:
                        if legal_move:
                            wrong.append(f"{case}: refused as illegal ({error.message})")
                        if _state(workflow, obj) != before:
                            wrong.append(f"{case}: refused but changed")
                        assert CHINESE.search(error.message)
                    except NotAllowed as error:
                        # An actor outside the record's scope is refused before its status is looked at (NotVisible).
                        if allowed or (not legal_move and not isinstance(error, NotVisible)):
                            wrong.append(f"{case}: refused as not allowed ({error.message})")
                        if _state(workflow, obj) != before:
                            wrong.append(f"{case}: refused but changed")
                        assert CHINESE.search(error.message)
                    else:
                        if not (legal_move and allowed):
                            wrong.append(f"{case}: should have been refused")
                        status_after, transitions_after = _state(workflow, obj)
                        new = set(transitions_after) - set(before[1])
                        if status_after != table["legal"].get((status, action)) or len(new) != 1:
                            wrong.append(f"{case}: ended {status_after} with {len(new)} new transition rows")
                        else:
                            row = workflow.get_transition_model().objects.get(pk=new.pop())
                            seen = (row.action, row.from_status, row.to_status, row.actor_id, row.note)
                            note = EXPECTED_NOTE.get((workflow.name, action), NOTE)
                            expected = (action, str(status), str(table["legal"][(status, action)]), actor.pk, note)
                            if seen != expected:
                                wrong.append(f"{case}: transition row {seen}, expected {expected}")
                    transaction.set_rollback(True)
    assert wrong == []


@pytest.mark.parametrize(("workflow", "table", "factory", "perform"), CASES)
def test_allowed_actions_say_what_the_engine_allows(request, roles, workflow, table, factory, perform):
    """The buttons and the API's ``allowed_actions`` are exactly the legal moves for the actor."""
    make = request.getfixturevalue(factory)
    for status in table["statuses"]:
        obj = make(status)
        for role, actor in roles.items():
            expected = {
                action for (source, action) in table["legal"] if source == status and role in table["actors"][action]
            }
            offered = expected - table.get("automatic", set())
            assert {m.action for m in workflow.allowed_actions(actor, obj)} == offered, (status, role)
            assert {m.action for m in workflow.allowed_actions(actor, obj, automatic=True)} == expected


def test_creating_moves_check_the_actor(roles, make_card, pingcheng_government):
    by_model = {workflow.model: workflow for workflow in registry.workflows()}
    for model, (action, creators) in CREATORS.items():
        workflow = by_model[model]
        sample = ExtensionRequest(card=make_card(CardStatus.ISSUED)) if action == "request" else None
        if action == "register":
            sample = ServiceRecord(project=ServiceProject.objects.get(team__leader_user=roles["team_leader"]))
        for role, actor in roles.items():
            assert workflow.may_create(action, actor, sample) == (role in creators), (model, role)


def test_issuing_a_card_writes_its_first_transition(roles, pingcheng_government):
    card = supervision_services.supervision_card_issue(
        actor=roles["hq"],
        title="占道经营整治",
        description="早市占道。",
        source=CardSource.INSPECTION,
        assignee_unit=pingcheng_government,
        deadline=timezone.localdate() + timedelta(days=5),
        requirement="五日内整改。",
    )
    (row,) = card.transitions.all()
    assert (row.action, row.from_status, row.to_status, row.actor, row.note) == (
        "issue",
        "",
        CardStatus.ISSUED,
        roles["hq"],
        "五日内整改。",
    )
    with pytest.raises(NotAllowed):
        supervision_services.supervision_card_issue(
            actor=roles["officer"],
            title="x",
            description="x",
            source=CardSource.INSPECTION,
            assignee_unit=pingcheng_government,
            deadline=timezone.localdate() + timedelta(days=5),
        )


def test_an_extension_request_writes_its_first_transition(roles, make_card):
    card = make_card(CardStatus.ACKNOWLEDGED)
    extension = supervision_services.extension_request(
        actor=roles["officer"], card=card, reason="需协调。", new_deadline=card.deadline + timedelta(days=7)
    )
    (row,) = extension.transitions.all()
    assert (row.action, row.from_status, row.to_status, row.actor) == ("request", "", "pending", roles["officer"])
    with pytest.raises(NotAllowed):
        supervision_services.extension_request(
            actor=roles["other_officer"], card=card, reason="x", new_deadline=card.deadline + timedelta(days=9)
        )


def test_registering_a_service_record_writes_its_first_transition(roles, demo_project):
    volunteer = Volunteer.objects.filter(division_id=demo_project.division_id).first()
    record = volunteer_services.record_create(
        actor=roles["team_leader"],
        volunteer=volunteer,
        project=demo_project,
        date=timezone.localdate() - timedelta(days=1),
        start_time=time(20, 0),
        end_time=time(21, 0),
    )
    (row,) = record.transitions.all()
    assert (row.action, row.from_status, row.to_status, row.actor) == ("register", "", "pending", roles["team_leader"])
    with pytest.raises(NotAllowed):
        volunteer_services.record_create(
            actor=roles["other_officer"],
            volunteer=volunteer,
            project=demo_project,
            date=timezone.localdate() - timedelta(days=1),
            start_time=time(21, 0),
            end_time=time(22, 0),
        )


def test_every_registered_workflow_is_in_these_tables():
    """A new workflow cannot be added without a table here: the registry and the tables list the same ones."""
    tabled = {case.values[0].model for case in CASES}
    registered = {workflow.model for workflow in registry.workflows()}
    # The inspections app tables its own: the problem loop in tests/inspections/test_problem_loop.py, the circular's
    # publication in tests/inspections/test_circular.py.
    assert registered - {"inspections.Problem", "inspections.Circular"} == tabled
    for workflow in registry.workflows():
        assert workflow.problems() == [], workflow.name


# --- through the API: 409 for an illegal move -----------------------------------------------------------------------


def _api_card(client, action, card):
    base = f"/api/v1/supervision-cards/{card.pk}/"
    if action == "acknowledge":
        return client.post(base + "acknowledge/", {"note": NOTE}, format="json")
    if action == "submit":
        return client.post(base + "submit/", {"feedback": NOTE}, format="json")
    if action == "withdraw":
        return client.post(base + "withdraw/", {"reason": NOTE}, format="json")
    return client.post(base + "verify/", {"approved": action == "close", "comment": NOTE}, format="json")


def _api_extension(client, action, extension):
    url = f"/api/v1/supervision-cards/{extension.card_id}/extensions/{extension.pk}/decide/"
    return client.post(url, {"approved": action == "approve", "comment": NOTE}, format="json")


def _api_report(client, action, report):
    body = {"reason": NOTE} if action == "return" else {}
    return client.post(f"/api/v1/reports/{report.pk}/{action}/", body, format="json")


def _api_record(client, action, record):
    return client.post(f"/api/v1/service-records/{record.pk}/{action}/", {"reason": NOTE}, format="json")


def _api_task(client, action, task):
    return client.post(f"/api/v1/tasks/{task.pk}/{action}/", {"note": NOTE}, format="json")


API_CASES = [
    pytest.param(SUPERVISION_CARD_WORKFLOW, CARD, "make_card", _api_card, id="supervision-card"),
    pytest.param(EXTENSION_WORKFLOW, EXTENSION, "make_extension", _api_extension, id="extension"),
    pytest.param(REPORT_WORKFLOW, REPORT, "make_report", _api_report, id="report"),
    pytest.param(SERVICE_RECORD_WORKFLOW, SERVICE_RECORD, "make_record", _api_record, id="service-record"),
    # Only the moves with an endpoint: a task starts and completes by its figures (see the tests below).
    pytest.param(
        TASK_WORKFLOW, {**TASK, "actors": {"close": {"hq"}, "reopen": {"hq"}}}, "make_task", _api_task, id="task"
    ),
]
# The import job has no action endpoint: the system moves it (``volunteers.imports.job_run``).


@pytest.mark.parametrize(("workflow", "table", "factory", "call"), API_CASES)
def test_the_api_answers_409_for_an_illegal_move_and_403_for_the_wrong_actor(
    request, roles, api_as, workflow, table, factory, call
):
    make = request.getfixturevalue(factory)
    for status in table["statuses"]:
        for action, actors in table["actors"].items():
            with transaction.atomic():
                obj = make(status)
                before = _state(workflow, obj)
                actor = roles[sorted(actors)[0]]
                response = call(api_as(actor), action, obj)
                if (status, action) in table["legal"]:
                    assert response.status_code in (200, 201), (status, action, response.content)
                    body = response.json()
                    if workflow is EXTENSION_WORKFLOW:  # the answer is the card, with its extensions
                        body = next(e for e in body["extensions"] if e["id"] == obj.pk)
                    assert body["status"] == table["legal"][(status, action)]
                    assert "allowed_actions" in body
                else:
                    assert response.status_code == 409, (status, action, response.content)
                    assert CHINESE.search(response.json()["detail"])
                    assert _state(workflow, obj) == before
                transaction.set_rollback(True)
            with transaction.atomic():
                obj = make(status)
                for role, outsider in roles.items():
                    if (status, action) in table["legal"] and role not in actors:
                        before = _state(workflow, obj)
                        response = call(api_as(outsider), action, obj)
                        assert response.status_code in (403, 404), (status, action, role, response.content)
                        assert _state(workflow, obj) == before
                transaction.set_rollback(True)


# --- a task's status follows its figures ----------------------------------------------------------------------------


def test_an_officer_records_progress_and_the_status_follows(roles, make_task, api_as):
    task = make_task(TaskStatus.NOT_STARTED)
    client = api_as(roles["officer"])

    body = client.patch(f"/api/v1/tasks/{task.pk}/", {"done": "1", "status": "done"}, format="json").json()
    assert (body["status"], body["allowed_actions"]) == ("in_progress", [])
    body = client.patch(f"/api/v1/tasks/{task.pk}/", {"done": "500"}, format="json").json()
    assert body["status"] == "done"
    moves = list(task.transitions.values_list("action", "from_status", "to_status", "actor"))
    assert moves == [
        ("start", "not_started", "in_progress", roles["officer"].pk),
        ("complete", "in_progress", "done", roles["officer"].pk),
    ]


def test_an_officer_cannot_mark_a_task_done(roles, make_task, api_as):
    """The issue's case: an officer can no longer mark a 1-of-500 task done."""
    task = make_task(TaskStatus.IN_PROGRESS)
    client = api_as(roles["officer"])

    body = client.patch(f"/api/v1/tasks/{task.pk}/", {"done": "1", "status": "done"}, format="json").json()
    assert body["status"] == "in_progress"
    assert client.post(f"/api/v1/tasks/{task.pk}/close/", {}, format="json").status_code == 403
    with pytest.raises(ValidationError) as refused:
        campaign_services.task_update(actor=roles["officer"], task=task, status=TaskStatus.DONE)
    assert "status" in refused.value.message_dict
    assert Task.objects.get(pk=task.pk).status == TaskStatus.IN_PROGRESS


def test_headquarters_closes_and_reopens_a_task(roles, make_task, api_as):
    task = make_task(TaskStatus.IN_PROGRESS)
    client = api_as(roles["hq"])

    body = client.get(f"/api/v1/tasks/{task.pk}/").json()
    assert body["allowed_actions"] == ["close"]
    assert client.post(f"/api/v1/tasks/{task.pk}/close/", {"note": "已验收"}, format="json").json()["status"] == "done"
    assert client.post(f"/api/v1/tasks/{task.pk}/close/", {}, format="json").status_code == 409
    body = client.post(f"/api/v1/tasks/{task.pk}/reopen/", {}, format="json").json()
    assert (body["status"], body["allowed_actions"]) == ("in_progress", ["close"])
    assert list(task.transitions.values_list("action", flat=True)) == ["close", "reopen"]


def test_a_new_task_starts_not_started_with_its_creation_recorded(roles, pingcheng_government):
    task = campaign_services.task_create(
        actor=roles["hq"],
        title="新任务",
        action=ImprovementAction.objects.first(),
        lead_unit=pingcheng_government,
        deadline=timezone.localdate() + timedelta(days=9),
        target=Decimal("10"),
    )
    assert task.status == TaskStatus.NOT_STARTED
    assert list(task.transitions.values_list("action", "to_status", "actor")) == [
        ("create", "not_started", roles["hq"].pk)
    ]
