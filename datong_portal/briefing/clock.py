"""The briefing's calendar: on the 1st of each month, the past month's briefing is asked for (and built by the worker).

The sweep runs every morning and asks for the past month's briefing if it has none, so the 1st's tick builds it and a
tick lost on the 1st (the machine down) is made up the next morning. Idempotent: a month that already has its briefing is left alone, so a replay (``campaign_clock --now``), a second
beat or a retried tick numbers and builds each month once. Headquarters rebuilds a month from the briefing page.
"""

from datetime import datetime

from django.utils import timezone

from campaigns.errors import IllegalTransition
from datong_portal.briefing.models import Briefing
from datong_portal.briefing.services import briefing_request, month_to_build


def briefing_monthly(now: datetime) -> str:
    period = month_to_build(timezone.localtime(now).date())
    if Briefing.objects.filter(month=period.first_day).exists():
        return f"{period.label}: 已有简报"
    try:
        briefing = briefing_request(period=period)
    except IllegalTransition:  # a second tick at the same instant stored it first and is building it
        return f"{period.label}: 已有简报"
    return f"{period.label}: 已排队编制 {briefing.number}"


SWEEPS = {"briefing_monthly": briefing_monthly}
SCHEDULE = [("briefing_monthly", {"minute": "30", "hour": "6"}, "每月1日编制上月工作简报（漏编则次日补编）")]
