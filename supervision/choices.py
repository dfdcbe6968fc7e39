"""Statuses, sources and actions of supervision cards; the workflow itself is declared in :mod:`supervision.workflows`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CardStatus(models.TextChoices):
    ISSUED = "issued", _("已下发")
    ACKNOWLEDGED = "acknowledged", _("已签收")
    SUBMITTED = "submitted", _("已反馈")
    RETURNED = "returned", _("退回整改")
    CLOSED = "closed", _("已销号")
    WITHDRAWN = "withdrawn", _("已撤销")


class CardSource(models.TextChoices):
    LEADER_INSTRUCTION = "leader_instruction", _("领导批示")
    INSPECTION = "inspection", _("督导检查")
    CIRCULAR = "circular", _("通报")
    CITIZEN_REPORT = "citizen_report", _("群众反映")
    OTHER = "other", _("其他")


class CardAction(models.TextChoices):
    ISSUE = "issue", _("下发")
    ACKNOWLEDGE = "acknowledge", _("签收")
    SUBMIT = "submit", _("反馈整改情况")
    CLOSE = "close", _("销号")
    RETURN = "return", _("退回整改")
    WITHDRAW = "withdraw", _("撤销")


# A card is finished once closed (销号) or withdrawn (撤销, with a reason): neither is open, overdue or escalating. A
# card is never deleted — its number stays in the 督办〔YYYY〕 sequence and its history with it.
FINISHED_STATUSES = frozenset({CardStatus.CLOSED, CardStatus.WITHDRAWN})
OPEN_STATUSES = frozenset({CardStatus.ISSUED, CardStatus.ACKNOWLEDGED, CardStatus.SUBMITTED, CardStatus.RETURNED})


# An extension (延期) may be asked for while the unit still owes its feedback.
EXTENSION_OPEN_STATUSES = frozenset({CardStatus.ISSUED, CardStatus.ACKNOWLEDGED, CardStatus.RETURNED})

# Statuses in which the unit owes something, so the escalation clock runs against it. A submitted card waits for the
# issuer's verification, not for the unit.
ESCALATING_STATUSES = frozenset({CardStatus.ISSUED, CardStatus.ACKNOWLEDGED, CardStatus.RETURNED})


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


class AttachmentKind(models.TextChoices):
    BEFORE = "before", _("整改前")
    AFTER = "after", _("整改后")
    OTHER = "other", _("附件")


class EscalationStep(models.TextChoices):
    """The ladder a card climbs, once per step: the number is the day relative to the deadline."""

    REMINDER = "reminder", _("到期前一日提醒")
    OVERDUE_1 = "overdue_1", _("逾期首日通知")
    OVERDUE_3 = "overdue_3", _("逾期三日：通知单位领导并标记")
    OVERDUE_7 = "overdue_7", _("逾期七日：列入下期通报")


# Days past the deadline at which each overdue step fires (a sweep that missed a day catches up the next time).
OVERDUE_STEPS = [(EscalationStep.OVERDUE_1, 1), (EscalationStep.OVERDUE_3, 3), (EscalationStep.OVERDUE_7, 7)]
