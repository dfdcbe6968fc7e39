"""The eight task forces (工作专班) and their groups. Reminder cards, reports and supervision cards live here too."""

from datetime import time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.history import PortalHistory
from campaigns.models import Division, Task, TransitionBase, Unit
from campaigns.uploads import random_name
from taskforces.choices import ReportKind, ReportStatus


class TaskForce(models.Model):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    name_en = models.CharField(_("英文名"), max_length=100, blank=True)
    field = models.TextField(_("负责领域"), blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("专班负责人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_task_forces",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("成员"), blank=True, related_name="task_forces"
    )
    liaison_divisions = models.ManyToManyField(
        Division, verbose_name=_("对接区县"), blank=True, related_name="liaison_task_forces"
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = PortalHistory(m2m_fields=["members", "liaison_divisions"])

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("工作专班")
        verbose_name_plural = _("工作专班")

    def __str__(self):
        return self.name


class TaskForceGroup(models.Model):
    task_force = models.ForeignKey(
        TaskForce, verbose_name=_("工作专班"), on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField(_("小组"), max_length=100)
    responsibility = models.TextField(_("职责"), blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("组长"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_task_force_groups",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("成员"), blank=True, related_name="task_force_groups"
    )
    history = PortalHistory(m2m_fields=["members"])

    class Meta:
        ordering = ["task_force", "id"]
        verbose_name = _("专班小组")
        verbose_name_plural = _("专班小组")
        constraints = [models.UniqueConstraint(fields=["task_force", "name"], name="taskforcegroup_unique_name")]

    def __str__(self):
        return f"{self.task_force.name}·{self.name}"


class ReportCalendar(models.Model):
    """Headquarters' calendar settings (one row, editable in the admin): when reports fall due and when to remind.

        The weekly summary for an ISO week is due on the following Monday at ``weekly_due_time``; the monthly report for a
        month is due on day ``monthly_due_day`` of the next month at ``monthly_due_time``; the monthly reminder goes out
        ``monthly_remind_days_before`` working days before that; a due day on a rest day moves to the next working day
    (campaigns/workdays.py). A change applies to slots opened afterwards.
    """

    weekly_due_time = models.TimeField(_("周一总结截止时刻"), default=time(23, 59, 59))
    monthly_due_day = models.PositiveSmallIntegerField(
        _("月报截止日"), default=5, validators=[MinValueValidator(1), MaxValueValidator(28)], help_text=_("次月几号")
    )
    monthly_due_time = models.TimeField(_("月报截止时刻"), default=time(23, 59, 59))
    monthly_remind_days_before = models.PositiveSmallIntegerField(
        _("月报提前提醒天数"), default=2, validators=[MaxValueValidator(20)]
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = PortalHistory()

    class Meta:
        verbose_name = _("报送日历设置")
        verbose_name_plural = _("报送日历设置")

    def __str__(self):
        return str(_("报送日历设置"))

    @classmethod
    def current(cls) -> "ReportCalendar":
        calendar = cls.objects.order_by("pk").first()
        return calendar or cls.objects.get_or_create(pk=1)[0]


class ReminderCard(models.Model):
    """A reminder card (提示卡) from headquarters to a city leader and/or a responsible unit, with a guidance manual.

    The guidance is structured: each list field holds one item per line; ``tasks`` links the plan's tasks under the
    eight actions. The card's holders (the unit, the leader) owe a weekly summary and a monthly report while it is active.
    """

    year = models.PositiveSmallIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("标题"), max_length=200)
    recipient_unit = models.ForeignKey(
        Unit,
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reminder_cards",
    )
    recipient_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("市领导"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reminder_cards",
    )
    supervision_items = models.TextField(_("领衔督办事项"), blank=True, help_text=_("每行一项"))
    portfolio = models.TextField(_("分管领域"), blank=True, help_text=_("每行一项"))
    tasks = models.ManyToManyField(Task, verbose_name=_("八项提升行动任务"), blank=True, related_name="reminder_cards")
    department_duties = models.TextField(_("部门职责"), blank=True, help_text=_("每行一项，如：市公安局：……"))
    points = models.TextField(_("具体点位"), blank=True, help_text=_("每行一项"))
    outstanding_problems = models.TextField(_("突出问题"), blank=True, help_text=_("每行一项"))
    hidden_risks = models.TextField(_("问题隐患"), blank=True, help_text=_("每行一项"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_reminder_cards",
    )
    issued_at = models.DateTimeField(_("签发时间"), default=timezone.now)
    active = models.BooleanField(_("有效"), default=True, help_text=_("有效期内持卡人须按周、按月报送"))

    history = PortalHistory(m2m_fields=["tasks"])

    GUIDANCE_LISTS = [
        "supervision_items",
        "portfolio",
        "department_duties",
        "points",
        "outstanding_problems",
        "hidden_risks",
    ]

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("提示卡")
        verbose_name_plural = _("提示卡")
        constraints = [
            models.UniqueConstraint(fields=["year", "seq"], name="remindercard_unique_number"),
            models.CheckConstraint(
                condition=Q(recipient_unit__isnull=False) | Q(recipient_leader__isnull=False),
                name="remindercard_has_recipient",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        return f"提示卡〔{self.year}〕第{self.seq}号"

    def items(self, field: str) -> list[str]:
        return [line.strip() for line in (getattr(self, field) or "").splitlines() if line.strip()]

    @property
    def guidance(self) -> dict:
        data = {field: self.items(field) for field in self.GUIDANCE_LISTS}
        data["tasks"] = list(self.tasks.all())
        return data

    @property
    def division(self):
        return self.recipient_unit.division if self.recipient_unit_id else None


def report_upload_to(instance, filename):
    """Stored under a random name; the uploader's file name is kept in ``ReportAttachment.name``."""
    extension = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
    return random_name(f"reports/{instance.report_id}", extension)


class Report(models.Model):
    """One holder's weekly summary (ISO week, ``2022-W34``) or monthly report (``2022-08``).

    The holder is a unit (``leader`` empty: the unit's officers write and submit it) or a city leader holding a card in
    person (``leader`` set; ``unit`` is then the leader's own unit, so every report has a unit). One report per holder,
    kind and period: the slot is opened once by the calendar, however often the sweep runs.
    """

    unit = models.ForeignKey(Unit, verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="reports")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("市领导"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="held_reports",
    )
    kind = models.CharField(_("类型"), max_length=10, choices=ReportKind.choices)
    period = models.CharField(_("周期"), max_length=10, help_text=_("如 2022-W34 或 2022-08"))
    due_at = models.DateTimeField(_("截止时间"))
    status = models.CharField(_("状态"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.EXPECTED)
    summary = models.TextField(_("工作完成情况"), blank=True)
    figures = models.JSONField(
        _("任务指标"), default=list, blank=True, help_text=_("[{task, value, note}]：对照持卡任务的完成数")
    )
    problems = models.TextField(_("存在问题"), blank=True)
    next_plan = models.TextField(_("下步计划"), blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submitted_reports",
    )
    is_late = models.BooleanField(_("迟报"), default=False)
    missing_marked_at = models.DateTimeField(_("标记缺报时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-due_at", "unit__name", "id"]
        verbose_name = _("周报月报")
        verbose_name_plural = _("周报月报")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "period"], condition=Q(leader__isnull=True), name="report_once_per_unit"
            ),
            models.UniqueConstraint(
                fields=["leader", "kind", "period"], condition=Q(leader__isnull=False), name="report_once_per_leader"
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | ~Q(status=ReportStatus.EXPECTED),
                name="report_expected_not_submitted",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "period"], name="report_kind_period"),
            models.Index(fields=["status", "due_at"], name="report_status_due"),
            # the cockpit's punctuality reads only the reports due in its last weeks
            models.Index(fields=["due_at"], name="report_due_at"),
        ]

    def __str__(self):
        return f"{self.holder_name} · {self.period} {self.get_kind_display()}"

    @property
    def holder_name(self) -> str:
        return str(self.leader) if self.leader_id else self.unit.name

    @property
    def is_missing(self) -> bool:
        return self.status == ReportStatus.EXPECTED and timezone.now() > self.due_at

    @property
    def board_state(self) -> str:
        """on_time, late, missing, returned, accepted, pending (expected, not yet due)."""
        if self.status == ReportStatus.RETURNED:
            return "returned"
        if self.status == ReportStatus.EXPECTED:
            return "missing" if self.is_missing else "pending"
        if self.status == ReportStatus.ACCEPTED and not self.is_late:
            return "accepted"
        return "late" if self.is_late else "on_time"


class ReportTransition(TransitionBase):
    """One move of a report's status: who, when, from what to what, and why (Healthchecks' Flip)."""

    report = models.ForeignKey(Report, verbose_name=_("报告"), on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(_("原状态"), max_length=12, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, choices=ReportStatus.choices)

    class Meta(TransitionBase.Meta):
        verbose_name = _("报告流转记录")
        verbose_name_plural = _("报告流转记录")

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(Report, verbose_name=_("报告"), on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("附件"), upload_to=report_upload_to, max_length=300)
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("报告附件")
        verbose_name_plural = _("报告附件")

    def __str__(self):
        return self.name
