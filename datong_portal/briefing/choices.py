from django.db import models
from django.utils.translation import gettext_lazy as _


class BriefingStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    BUILDING = "building", _("编制中")
    DONE = "done", _("已编发")
    FAILED = "failed", _("编制失败")


#: a briefing in one of these is being made: asking for it again is refused
IN_PROGRESS = (BriefingStatus.QUEUED, BriefingStatus.BUILDING)
