from django.db import models
from django.utils.translation import gettext_lazy as _


class DivisionKind(models.TextChoices):
    DISTRICT = "district", _("区")
    COUNTY = "county", _("县")


class UnitKind(models.TextChoices):
    HEADQUARTERS = "headquarters", _("创城指挥部")
    DEPARTMENT = "department", _("市直单位")
    GOVERNMENT = "government", _("区县政府")
    STREET = "street", _("街道/乡镇")
    COMMUNITY = "community", _("社区/村")
    OTHER = "other", _("其他")


class Role(models.TextChoices):
    HEADQUARTERS = "hq", _("指挥部工作人员")
    SUPERVISOR = "supervisor", _("督导组")
    LEADER = "leader", _("市领导")
    OFFICER = "officer", _("区县/单位创城办")
    API_READER = "api_reader", _("只读接口用户")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")
