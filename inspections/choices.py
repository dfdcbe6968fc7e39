"""Aspects, outcomes, severities and the problem's statuses and actions (the moves are declared in workflows.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Aspect(models.TextChoices):
    """The five aspects a checklist is grouped by (codes as in the reference data's ``inspection_aspects``)."""

    PUBLICITY = "publicity", _("宣传氛围")
    INFRASTRUCTURE = "infrastructure", _("基础设施")
    ORDER = "order", _("管理秩序")
    CONDUCT = "conduct", _("文明风尚")
    MATERIALS = "materials", _("材料申报")


class Outcome(models.TextChoices):
    """One standard's result in a visit. The API speaks ``passed``: true / false / null (not applicable)."""

    PASSED = "passed", _("达标")
    FAILED = "failed", _("不达标")
    NOT_APPLICABLE = "na", _("不适用")


class Severity(models.TextChoices):
    MINOR = "minor", _("一般")
    MAJOR = "major", _("较重")
    SEVERE = "severe", _("严重")


# Days from dispatch to the deadline when headquarters has not configured SeverityDeadline rows in the admin.
DEFAULT_DEADLINE_DAYS = {Severity.MINOR: 7, Severity.MAJOR: 3, Severity.SEVERE: 1}

# A failure within this many days after the same point × standard was closed counts as a recurrence (反弹).
RECURRENCE_DAYS = 30


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("待派发")
    DISPATCHED = "dispatched", _("整改中")
    RECTIFIED = "rectified", _("待复核")
    CLOSED = "closed", _("已销号")


class ProblemAction(models.TextChoices):
    FIND = "find", _("发现问题")
    DISPATCH = "dispatch", _("派发")
    RECTIFY = "rectify", _("反馈整改")
    CLOSE = "close", _("复核通过，销号")
    RETURN = "return", _("复核退回，重新整改")


class PhotoKind(models.TextChoices):
    FOUND = "found", _("检查照片")
    AFTER = "after", _("整改后")
    OTHER = "other", _("附件")


class ProblemStep(models.TextChoices):
    """The overdue ladder a dispatched problem climbs, once per step."""

    REMINDER = "reminder", _("到期前一日提醒")
    OVERDUE_1 = "overdue_1", _("逾期首日通知")
    OVERDUE_3 = "overdue_3", _("逾期三日：通知区县创城办和指挥部")


# Days past the deadline at which each overdue step fires (a missed day is caught up the next time).
OVERDUE_STEPS = [(ProblemStep.OVERDUE_1, 1), (ProblemStep.OVERDUE_3, 3)]

# Statuses in which the responsible unit owes the rectification, so the overdue clock runs against it.
UNIT_OWES = frozenset({ProblemStatus.DISPATCHED})


class CircularStatus(models.TextChoices):
    DRAFT = "draft", _("待审核")
    PUBLISHED = "published", _("已发布")


class CircularAction(models.TextChoices):
    COMPILE = "compile", _("编制")
    PUBLISH = "publish", _("审核发布")
