"""The other apps' league-table columns honour a period: cards closed in it or overdue at its end, reports due in it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from campaigns.periods import parse_period
from supervision import dashboard as supervision_dashboard
from supervision.choices import CardSource, CardStatus
from supervision.models import SupervisionCard
from taskforces import dashboard as taskforces_dashboard
from taskforces.choices import ReportKind, ReportStatus
from taskforces.models import Report, ReportAttachment, ReportTransition

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(month, day):
    return datetime(2022, month, day, 10, tzinfo=SHANGHAI)


@pytest.fixture
def cards(hq, pingcheng, government):
    def card(n, *, deadline, status=CardStatus.ISSUED, closed=None):
        return SupervisionCard.objects.create(
            year=2022,
            sequence=900 + n,
            number=f"督办〔2022〕第{900 + n}号",
            title=f"期间测试 {n}",
            description="测试",
            source=CardSource.INSPECTION,
            issued_by=hq,
            issued_at=at(8, 1),
            assignee_unit=government(pingcheng),
            division=pingcheng,
            deadline=deadline,
            original_deadline=deadline,
            status=status,
            closed_at=closed,
        )

    card(1, deadline=date(2022, 8, 25), status=CardStatus.CLOSED, closed=at(8, 24))  # closed on time in W34
    card(2, deadline=date(2022, 8, 23), status=CardStatus.CLOSED, closed=at(9, 2))  # overdue at W34's end
    card(3, deadline=date(2022, 9, 30))  # not yet due at W34's end
    card(4, deadline=date(2022, 8, 10), status=CardStatus.CLOSED, closed=at(8, 9))  # closed before W34: not counted


def test_supervision_column_counts_cards_closed_in_the_period_and_overdue_at_its_end(cards, pingcheng):
    columns = supervision_dashboard.district_columns([pingcheng], period=parse_period("2022-W34"))[pingcheng.pk]
    assert columns == {"supervision_on_time_rate": 50.0, "supervision_overdue": 1}
    august = supervision_dashboard.district_columns([pingcheng], period=parse_period("2022-08"))[pingcheng.pk]
    # closed in August: cards 1 and 4, both on time; card 2 still open and overdue on 31 August
    assert august == {"supervision_on_time_rate": round(200 / 3, 1), "supervision_overdue": 1}


def test_report_punctuality_counts_the_reports_due_in_the_period(pingcheng, government):
    unit = government(pingcheng)
    # The demo's reports keep a protected history: clear it first (a test's hand-built case, not something the portal does).
    demo = Report.objects.filter(unit__division=pingcheng)
    ReportTransition.objects.filter(report__in=demo).delete()
    ReportAttachment.objects.filter(report__in=demo).delete()
    demo.delete()
    common = {"unit": unit, "kind": ReportKind.WEEKLY}
    Report.objects.create(
        period="2022-W33", due_at=at(8, 22), status=ReportStatus.SUBMITTED, submitted_at=at(8, 22), **common
    )
    Report.objects.create(period="2022-W34", due_at=at(8, 29), status=ReportStatus.EXPECTED, **common)
    week_34 = taskforces_dashboard.district_columns([pingcheng], period=parse_period("2022-W34"))
    week_35 = taskforces_dashboard.district_columns([pingcheng], period=parse_period("2022-W35"))
    assert week_34[pingcheng.pk] == {"report_punctuality": 100.0}  # due Monday 22 August, on time
    assert week_35[pingcheng.pk] == {"report_punctuality": 0.0}  # due Monday 29 August, never sent
