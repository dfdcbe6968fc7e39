"""The service record's and the import job's workflows — declared once, applied by :mod:`campaigns.workflow`.

A service record is registered ``pending`` by the project's organisers and confirmed or rejected by them; an import
job is queued by its uploader and run by the system (``start`` → ``finish`` | ``fail``) in the uploader's name.
"""

from campaigns.scoping import acts_for_division, may_change
from campaigns.workflow import CREATED, Move, Workflow
from volunteers.choices import ImportStatus, RecordStatus


def may_lead(user, team) -> bool:
    """Headquarters, an officer acting for the team's division, or the team's own leader (campaigns/scoping.py: a
    community's officer — a team leader — acts only for the teams they lead)."""
    if not user.is_authenticated:
        return False
    if acts_for_division(user) and may_change(user, team.division_id, None):
        return True
    return team.leader_user_id is not None and team.leader_user_id == user.pk


def may_organise(user, project) -> bool:
    """Headquarters, the officer of the project's division, or the leader of the project's team."""
    return may_lead(user, project.team)


def may_organise_record(user, record) -> bool:
    return may_organise(user, record.project)


ORGANISERS_ONLY = "只有项目组织方（服务队队长、本区县创城办或指挥部）可以登记、确认或驳回服务记录。"

SERVICE_RECORD_WORKFLOW = Workflow(
    name="服务记录",
    model="volunteers.ServiceRecord",
    transition_model="volunteers.ServiceRecordTransition",
    subject_field="record",
    moves=(
        Move(
            "register",
            "登记",
            {CREATED},
            RecordStatus.PENDING,
            allowed=may_organise_record,
            refusal=ORGANISERS_ONLY,
            button=False,
        ),
        Move(
            "confirm",
            "确认",
            {RecordStatus.PENDING},
            RecordStatus.CONFIRMED,
            allowed=may_organise_record,
            refusal=ORGANISERS_ONLY,
        ),
        Move(
            "reject",
            "驳回",
            {RecordStatus.PENDING},
            RecordStatus.REJECTED,
            allowed=may_organise_record,
            refusal=ORGANISERS_ONLY,
            button=False,
        ),
    ),
)


def may_import(user, job=None) -> bool:
    """Headquarters and the officers (team leaders among them) import rosters and hours."""
    return user.is_authenticated and user.is_active and (user.is_headquarters or user.is_officer)


def is_uploader(user, job) -> bool:
    """The system runs a job in its uploader's name; nobody else moves it."""
    return user.pk == job.created_by_id


IMPORT_JOB_WORKFLOW = Workflow(
    name="导入任务",
    model="volunteers.ImportJob",
    transition_model="volunteers.ImportJobTransition",
    subject_field="job",
    changed_at_field=None,
    moves=(
        Move(
            "create",
            "上传",
            {CREATED},
            ImportStatus.QUEUED,
            allowed=may_import,
            refusal="只有指挥部和区县创城办（含服务队队长）可以导入花名册。",
            button=False,
        ),
        Move("start", "开始导入", {ImportStatus.QUEUED}, ImportStatus.RUNNING, allowed=is_uploader, automatic=True),
        Move("finish", "导入完成", {ImportStatus.RUNNING}, ImportStatus.DONE, allowed=is_uploader, automatic=True),
        Move("fail", "导入失败", {ImportStatus.RUNNING}, ImportStatus.FAILED, allowed=is_uploader, automatic=True),
    ),
)
