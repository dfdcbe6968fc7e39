"""Fixtures for the reporting calendar. Moments are fixed in August 2022 (Asia/Shanghai) so the demo data of ``city``,
issued around today, never falls into the periods these tests look at."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from taskforces import services
from taskforces.choices import ReportKind
from taskforces.models import Report

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    """``at("2022-08-22 23:59")`` in Shanghai time."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def card_pingcheng(hq, pingcheng, government):
    """A card to 平城区人民政府 issued on Wednesday 10 August 2022 (2022-W32): opens W32 and 2022-08 slots."""
    return services.reminder_card_issue(
        actor=hq,
        title="平城区背街小巷整治提示",
        recipient_unit=government(pingcheng),
        supervision_items=["背街小巷环境卫生整治"],
        points=["鼓楼东街"],
        now=at("2022-08-10 10:00"),
    )


@pytest.fixture
def weekly_w32(card_pingcheng, pingcheng, government):
    """平城区's weekly summary for 2022-W32, due Monday 15 August 2022 23:59:59 Shanghai."""
    return Report.objects.get(unit=government(pingcheng), kind=ReportKind.WEEKLY, period="2022-W32", leader=None)


@pytest.fixture
def yungang_report(hq, yungang, government):
    card = services.reminder_card_issue(
        actor=hq, title="云冈区提示", recipient_unit=government(yungang), now=at("2022-08-10 10:00")
    )
    return Report.objects.get(unit=card.recipient_unit, kind=ReportKind.WEEKLY, period="2022-W32")
