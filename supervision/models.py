"""Supervision cards (督办卡): issue, sign, rectify, verify and close (销号), with escalation (the supervision issue).

Fields and constraints only; every status change happens in :mod:`supervision.services` and leaves a
:class:`CardTransition` row, from which the timeline, the audit trail and the counts are read.
"""

from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import TransitionBase
from campaigns.uploads import random_name
from supervision.choices import (
    FINISHED_STATUSES,
    AttachmentKind,
    CardAction,
    CardSource,
    CardStatus,
    EscalationStep,
    ExtensionStatus,
)


class SupervisionCardQuerySet(models.QuerySet):
    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(deadline__lt=today).exclude(status__in=FINISHED_STATUSES)

    def open(self):
        return self.exclude(status__in=FINISHED_STATUSES)


def format_card_number(year: int, sequence: int) -> str:
    return f"督办〔{year}〕第{sequence}号"


class SupervisionCard(models.Model):
    year = models.PositiveSmallIntegerField(_("年度"), editable=False)
    sequence = models.PositiveIntegerField(_("序号"), editable=False)
    number = models.CharField(_("编号"), max_length=40, unique=True, editable=False)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("督办事项"))
    requirement = models.TextField(_("整改要求"), blank=True)
    source = models.CharField(_("来源"), max_length=30, choices=CardSource.choices)
    instruction_leader = models.CharField(_("批示领导"), max_length=50, blank=True)
    instruction_text = models.TextField(_("批示内容"), blank=True)
    linked_refs = models.CharField(
        _("关联说明"),
        max_length=300,
        blank=True,
        help_text=_("文字备注；由点位测评问题升级的督办卡，其问题经 Problem.supervision_card 关联，见“关联问题”"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("下发人"), on_delete=models.PROTECT, related_name="issued_cards"
    )
    issued_at = models.DateTimeField(_("下发时间"), default=timezone.now)
    assignee_unit = models.ForeignKey(
        "campaigns.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="supervision_cards"
    )
    # Copied from the assignee unit at issue: scoping and filters read it without a join.
    division = models.ForeignKey(
        "campaigns.Division",
        verbose_name=_("所属区县"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_cards",
    )
    responsible_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任领导"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_supervision_cards",
    )
    deadline = models.DateField(_("办结时限"))
    original_deadline = models.DateField(_("原定时限"), editable=False)
    status = models.CharField(_("状态"), max_length=20, choices=CardStatus.choices, default=CardStatus.ISSUED)
    status_changed_at = models.DateTimeField(_("状态变更时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    rework_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    extension_count = models.PositiveSmallIntegerField(_("延期次数"), default=0)
    flagged_at = models.DateTimeField(_("指挥部督办标记"), null=True, blank=True, help_text=_("逾期三日时标记"))
    circular_listed_at = models.DateTimeField(
        _("列入通报时间"), null=True, blank=True, help_text=_("逾期七日时列入下期通报")
    )

    objects = SupervisionCardQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-sequence"]
        verbose_name = _("督办卡")
        verbose_name_plural = _("督办卡")
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="card_unique_year_sequence"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="card_sequence_positive"),
            models.CheckConstraint(
                condition=Q(status=CardStatus.CLOSED, closed_at__isnull=False)
                | (~Q(status=CardStatus.CLOSED) & Q(closed_at__isnull=True)),
                name="card_closed_at_iff_closed",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="card_status_deadline"),
            models.Index(fields=["division", "status"], name="card_division_status"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_overdue(self) -> bool:
        return self.status not in FINISHED_STATUSES and self.deadline < timezone.localdate()

    @property
    def days_overdue(self) -> int:
        if self.status in FINISHED_STATUSES:
            return 0
        return max(0, (timezone.localdate() - self.deadline).days)

    @property
    def days_left(self) -> int:
        return (self.deadline - timezone.localdate()).days

    @property
    def closed_on_time(self) -> bool | None:
        if self.closed_at is None:
            return None
        return timezone.localtime(self.closed_at).date() <= self.deadline


class CardTransition(TransitionBase):
    """One move of one card (Healthchecks' ``Flip``): who moved it from what to what, when, and why."""

    card = models.ForeignKey(
        SupervisionCard, verbose_name=_("督办卡"), on_delete=models.PROTECT, related_name="transitions"
    )
    action = models.CharField(_("操作"), max_length=30, choices=CardAction.choices)
    from_status = models.CharField(_("原状态"), max_length=20, choices=CardStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=CardStatus.choices)

    class Meta(TransitionBase.Meta):
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")
        indexes = [models.Index(fields=["card", "at"], name="card_transition_card_at")]

    def __str__(self):
        return f"{self.card_id}: {self.from_status or '—'} → {self.to_status}"


def attachment_path(instance, filename):
    """A random stored name; only the extension of the detected image format is kept (never the uploaded name)."""
    return random_name(f"supervision/{timezone.now():%Y/%m}", Path(filename).suffix.lower())


class CardAttachment(models.Model):
    """A photo or file attached to a card, usually to the transition that brought it (feedback's before/after)."""

    card = models.ForeignKey(
        SupervisionCard, verbose_name=_("督办卡"), on_delete=models.PROTECT, related_name="attachments"
    )
    transition = models.ForeignKey(
        CardTransition,
        verbose_name=_("流转记录"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
    )
    kind = models.CharField(_("类型"), max_length=10, choices=AttachmentKind.choices, default=AttachmentKind.OTHER)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    content_type = models.CharField(_("类型"), max_length=50)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.original_name or self.file.name


class ExtensionRequest(models.Model):
    """An extension (延期) asked for by the assignee unit and decided by the issuer or headquarters."""

    card = models.ForeignKey(
        SupervisionCard, verbose_name=_("督办卡"), on_delete=models.PROTECT, related_name="extensions"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    reason = models.TextField(_("延期理由"))
    old_deadline = models.DateField(_("原时限"))
    new_deadline = models.DateField(_("申请延至"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    comment = models.TextField(_("审批意见"), blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        constraints = [
            models.UniqueConstraint(
                fields=["card"], condition=Q(status=ExtensionStatus.PENDING), name="extension_one_pending_per_card"
            ),
            models.CheckConstraint(condition=Q(new_deadline__gt=models.F("old_deadline")), name="extension_later"),
        ]

    def __str__(self):
        return f"{self.card_id}: {self.old_deadline} → {self.new_deadline}"


class CardEscalation(models.Model):
    """One rung of the escalation ladder reached by one card. The unique (card, step) makes each step happen once."""

    card = models.ForeignKey(
        SupervisionCard, verbose_name=_("督办卡"), on_delete=models.PROTECT, related_name="escalations"
    )
    step = models.CharField(_("督办步骤"), max_length=20, choices=EscalationStep.choices)
    fired_at = models.DateTimeField(_("时间"), default=timezone.now)
    deadline = models.DateField(_("当时时限"))

    class Meta:
        ordering = ["fired_at", "id"]
        verbose_name = _("逐级督办记录")
        verbose_name_plural = _("逐级督办记录")
        constraints = [models.UniqueConstraint(fields=["card", "step"], name="escalation_once_per_card_step")]

    def __str__(self):
        return f"{self.card_id}: {self.get_step_display()}"


class ExtensionTransition(TransitionBase):
    """One move of one extension request: asked for, approved or refused."""

    extension = models.ForeignKey(
        ExtensionRequest, verbose_name=_("延期申请"), on_delete=models.PROTECT, related_name="transitions"
    )
    from_status = models.CharField(_("原状态"), max_length=20, choices=ExtensionStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=ExtensionStatus.choices)

    class Meta(TransitionBase.Meta):
        verbose_name = _("延期申请流转记录")
        verbose_name_plural = _("延期申请流转记录")
