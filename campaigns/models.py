"""The ground floor: the city's organisation (divisions, units, people) and the plan (phases, actions, tasks)."""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from simple_history import register

from campaigns.choices import DivisionKind, Role, TaskStatus, UnitKind
from campaigns.history import PortalHistory


class Division(models.Model):
    """A district (区) or county (县) of Datong, with its national administrative code."""

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    pinyin = models.CharField(_("拼音"), max_length=50, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=DivisionKind.choices)
    urban = models.BooleanField(_("城区"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("区县")
        verbose_name_plural = _("区县")

    def __str__(self):
        return self.name


class Unit(models.Model):
    """A unit (单位): headquarters, a city department, a district government, a street, a community."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    division = models.ForeignKey(
        Division, verbose_name=_("所属区县"), on_delete=models.PROTECT, null=True, blank=True, related_name="units"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    leader_name = models.CharField(_("负责人"), max_length=50, blank=True)
    leader_title = models.CharField(_("负责人职务"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    history = PortalHistory()

    class Meta:
        ordering = ["kind", "division__code", "name"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person who signs in. Everyone belongs to one unit, and through it perhaps to a division."""

    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    title = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("手机"), max_length=20, blank=True)

    # Roles, units and accounts switched on or off are kept; the password hash and the last sign-in never are.
    history = PortalHistory(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.display_name or self.username

    def save(self, *args, **kwargs):
        password_changed = self._password is not None and self.pk is not None  # set_password() since the load
        super().save(*args, **kwargs)
        if password_changed:
            from campaigns.api.authentication import revoke_tokens

            revoke_tokens(self)  # a token must not outlive the password it was issued for

    @property
    def division(self):
        return self.unit.division if self.unit_id else None

    @property
    def division_id(self):
        return self.unit.division_id if self.unit_id else None

    @property
    def is_headquarters(self) -> bool:
        return self.is_superuser or self.role == Role.HEADQUARTERS

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEADER

    @property
    def is_officer(self) -> bool:
        return self.role == Role.OFFICER and not self.is_superuser

    @property
    def sees_whole_city(self) -> bool:
        """Headquarters, supervisors, leaders and read-only clients read city-wide; officers their own patch."""
        return not self.is_officer


class Plan(models.Model):
    """The three-year action plan (三年行动计划)."""

    name = models.CharField(_("名称"), max_length=200, unique=True)
    start_year = models.PositiveSmallIntegerField(_("起始年"))
    end_year = models.PositiveSmallIntegerField(_("截止年"))

    class Meta:
        ordering = ["start_year"]
        verbose_name = _("行动计划")
        verbose_name_plural = _("行动计划")

    def __str__(self):
        return self.name


class PlanPhase(models.Model):
    """One year of the plan with its goal (补齐短板 → 重点攻坚 → 冲刺夺牌)."""

    plan = models.ForeignKey(Plan, verbose_name=_("行动计划"), on_delete=models.CASCADE, related_name="phases")
    year = models.PositiveSmallIntegerField(_("年度"))
    goal = models.CharField(_("目标"), max_length=100)
    programme = models.CharField(_("年度工作方案"), max_length=200, blank=True)
    history = PortalHistory()

    class Meta:
        ordering = ["year"]
        verbose_name = _("年度阶段")
        verbose_name_plural = _("年度阶段")
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="planphase_unique_year")]

    def __str__(self):
        return f"{self.year}年：{self.goal}"


class ImprovementAction(models.Model):
    """One of the eight improvement actions (八项提升行动)."""

    plan = models.ForeignKey(Plan, verbose_name=_("行动计划"), on_delete=models.CASCADE, related_name="actions")
    no = models.PositiveSmallIntegerField(_("序号"), unique=True)
    name = models.CharField(_("名称"), max_length=200)
    name_en = models.CharField(_("英文名"), max_length=200, blank=True)
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("牵头单位"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = PortalHistory()

    class Meta:
        ordering = ["no"]
        verbose_name = _("提升行动")
        verbose_name_plural = _("八项提升行动")

    def __str__(self):
        return self.name


class ThematicActivity(models.Model):
    """One of the six thematic practice activities (六大主题实践活动)."""

    plan = models.ForeignKey(Plan, verbose_name=_("行动计划"), on_delete=models.CASCADE, related_name="activities")
    no = models.PositiveSmallIntegerField(_("序号"), unique=True)
    name = models.CharField(_("名称"), max_length=200)
    name_en = models.CharField(_("英文名"), max_length=200, blank=True)
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("牵头单位"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = PortalHistory()

    class Meta:
        ordering = ["no"]
        verbose_name = _("主题实践活动")
        verbose_name_plural = _("六大主题实践活动")

    def __str__(self):
        return self.name


class TaskQuerySet(models.QuerySet):
    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(deadline__lt=today).exclude(status=TaskStatus.DONE)


class Task(models.Model):
    """A piece of the plan with a lead unit and a named owner (挂图作战, 责任到人)."""

    title = models.CharField(_("任务"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    action = models.ForeignKey(
        ImprovementAction, verbose_name=_("提升行动"), on_delete=models.PROTECT, related_name="tasks"
    )
    activity = models.ForeignKey(
        ThematicActivity,
        verbose_name=_("主题活动"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    lead_unit = models.ForeignKey(Unit, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="led_tasks")
    co_units = models.ManyToManyField(Unit, verbose_name=_("配合单位"), blank=True, related_name="co_tasks")
    owner = models.ForeignKey(
        User,
        verbose_name=_("责任人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_tasks",
    )
    deadline = models.DateField(_("完成时限"))
    target = models.DecimalField(_("目标值"), max_digits=12, decimal_places=2, null=True, blank=True)
    done = models.DecimalField(_("完成值"), max_digits=12, decimal_places=2, default=Decimal("0"))
    measure = models.CharField(_("计量单位"), max_length=20, blank=True, help_text=_("如：个、处、条"))
    status = models.CharField(_("状态"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = TaskQuerySet.as_manager()
    history = PortalHistory(m2m_fields=["co_units"])

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        indexes = [models.Index(fields=["status", "deadline"], name="task_status_deadline")]
        constraints = [
            models.CheckConstraint(condition=Q(done__gte=0), name="task_done_not_negative"),
            models.CheckConstraint(condition=Q(target__isnull=True) | Q(target__gt=0), name="task_target_positive"),
        ]

    def __str__(self):
        return self.title

    @property
    def progress(self) -> float:
        """Per cent done: the measured share where there is a target, else 100 when done and 0 before."""
        if self.target:
            return round(min(float(self.done) / float(self.target), 1.0) * 100, 1)
        return 100.0 if self.status == TaskStatus.DONE else 0.0

    @property
    def is_overdue(self) -> bool:
        return self.status != TaskStatus.DONE and self.deadline < timezone.localdate()

    @property
    def days_left(self) -> int:
        return (self.deadline - timezone.localdate()).days

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def division(self):
        return self.lead_unit.division


class Notification(models.Model):
    """One message to one person: shown in the in-app inbox and, where they have an address, sent by email.

    ``key`` makes a notification exactly-once: a sweep that runs twice, a retried task or a second beat tries to insert
    the same (recipient, key) again and the unique constraint turns the second attempt into nothing.
    """

    recipient = models.ForeignKey(
        User, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=40)
    # NULL, not "": the unique constraint below applies only to notifications that carry a key.
    key = models.CharField(_("去重键"), max_length=200, null=True, blank=True)  # noqa: DJ001
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    # The outbox (campaigns.tasks.send_pending_emails): claimed (committed) before the SMTP send, sent after it.
    email_claimed_at = models.DateTimeField(_("邮件领取时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=Q(key__isnull=False), name="notification_once_per_key"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["id"], condition=Q(emailed_at__isnull=True), name="notification_email_pending"),
            models.Index(fields=["key"], name="notification_key"),  # "has this occasion been told?" (the sweeps)
        ]

    def __str__(self):
        return self.title

    @property
    def message_id(self) -> str:
        """The email's Message-ID and idempotency key: one per notification, the same on every attempt."""
        return f"<notification-{self.pk}@datong-portal>"


class YearlyNumber(models.Model):
    """The last number given out in a year for one series of documents (督办卡, 提示卡 …).

    Locked (SELECT … FOR UPDATE) while a document is numbered and rolled back with it, so numbers within a year are
    consecutive, unique and without gaps even when two documents are issued at the same instant.
    """

    series = models.CharField(_("文书类别"), max_length=40)
    year = models.PositiveSmallIntegerField(_("年度"))
    last_number = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        ordering = ["series", "-year"]
        verbose_name = _("文书编号")
        verbose_name_plural = _("文书编号")
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="yearlynumber_unique_series_year")]

    def __str__(self):
        return f"{self.series} {self.year}：{self.last_number}"


class WorkdayException(models.Model):
    """A local exception to the official working-day calendar (campaigns/workdays.py), set by headquarters: a day
    off the city gives (a local event) or a rest day it works (an assessment weekend)."""

    day = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("上班"), help_text=_("勾选：当日上班；不勾选：当日休息"))
    reason = models.CharField(_("事由"), max_length=100)

    history = PortalHistory()

    class Meta:
        ordering = ["-day"]
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {'上班' if self.is_working_day else '休息'}（{self.reason}）"


class TransitionBase(models.Model):
    """One move of a record through its workflow (Healthchecks' ``Flip``): who, when, from what to what, and why.

    Every workflow's transition model extends this with a foreign key to its record; rows are written only by
    :meth:`campaigns.workflow.Workflow.apply` and never deleted while their record stands.
    """

    action = models.CharField(_("操作"), max_length=30)
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_status or '—'} → {self.to_status}"


class TaskTransition(TransitionBase):
    """One move of a task: created, started, completed, closed by headquarters or reopened."""

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(_("原状态"), max_length=20, choices=TaskStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=TaskStatus.choices)

    class Meta(TransitionBase.Meta):
        verbose_name = _("任务流转记录")
        verbose_name_plural = _("任务流转记录")


# The beat schedule (django-celery-beat's tables, edited in the admin) keeps its history here, beside the calendar it
# drives. Beat itself saves each task after every run: its run bookkeeping is left out, so a run records nothing.
register(
    PeriodicTask,
    app="campaigns",
    records_class=PortalHistory,
    excluded_fields=["last_run_at", "total_run_count", "date_changed"],
)
register(CrontabSchedule, app="campaigns", records_class=PortalHistory)


def export_path(instance, filename):
    """A name nobody can guess: the file is served only through the job's owner-checked download view."""
    from campaigns.uploads import random_name

    return random_name(f"exports/{timezone.now():%Y/%m}", ".xlsx")


class ExportJob(models.Model):
    """A large ``.xlsx`` export built by the Celery worker (``campaigns.exports``), with its progress.

    A technical job, not a record of the campaign: its status moves by conditional ``UPDATE`` (queued → running →
    done | failed) and keeps no transition rows.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    name = models.CharField(_("列表"), max_length=50)
    query = models.CharField(_("筛选条件"), max_length=2000, blank=True)
    filename = models.CharField(_("文件名"), max_length=100)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    processed = models.PositiveIntegerField(_("已处理"), default=0)
    file = models.FileField(_("文件"), upload_to=export_path, blank=True, max_length=200)
    error = models.CharField(_("失败原因"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")

    def __str__(self):
        return f"{self.filename}（{self.get_status_display()}）"

    @property
    def progress(self) -> float:
        if self.status in (self.Status.DONE, self.Status.FAILED):
            return 100.0
        return round(min(self.processed / self.total, 1.0) * 100, 1) if self.total else 0.0
