"""The report workflow — declared once, applied by :mod:`campaigns.workflow`.

A slot opens ``expected`` (the calendar opens it, no transition row); the holder submits it (``submitted``, late when
after ``due_at``); headquarters accepts it or returns it, and a returned report is submitted again.
"""

from campaigns.workflow import Move, Workflow
from taskforces.choices import ReportStatus


def may_write_report(actor, report) -> bool:
    """The holder writes: the leader in person, or an officer of the report's own unit (not the whole division)."""
    if report.leader_id:
        return actor.pk == report.leader_id
    return actor.is_officer and actor.unit_id == report.unit_id


def is_headquarters(actor, report=None) -> bool:
    return actor.is_headquarters


REPORT_WORKFLOW = Workflow(
    name="报告",
    model="taskforces.Report",
    transition_model="taskforces.ReportTransition",
    subject_field="report",
    moves=(
        Move(
            "submit",
            "报送",
            {ReportStatus.EXPECTED, ReportStatus.RETURNED},
            ReportStatus.SUBMITTED,
            allowed=may_write_report,
            refusal="只有持卡单位（本单位创城办）或持卡领导本人可以报送。",
            button=False,
        ),
        Move(
            "accept",
            "通过",
            {ReportStatus.SUBMITTED},
            ReportStatus.ACCEPTED,
            allowed=is_headquarters,
            refusal="只有指挥部可以审核报告。",
        ),
        Move(
            "return",
            "退回",
            {ReportStatus.SUBMITTED},
            ReportStatus.RETURNED,
            allowed=is_headquarters,
            refusal="只有指挥部可以退回报告。",
            button=False,
        ),
    ),
)
