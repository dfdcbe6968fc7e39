"""Points (点位), checklists (测评标准), inspection rounds and visits, and problems with their closed loop.

Fields and constraints only. Every write that matters is in :mod:`inspections.services`; a problem's status changes
only through ``inspections.workflows.PROBLEM_WORKFLOW``, which leaves a :class:`ProblemTransition` row per move.
A visit keeps a snapshot of each standard it scored (code, text, aspect, weight), so editing a checklist later never
changes a past visit's score.
"""

from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import TransitionBase
from campaigns.uploads import random_name
from inspections.choices import (
    Aspect,
    CircularStatus,
    Outcome,
    PhotoKind,
    ProblemStatus,
    ProblemStep,
    Severity,
)

# Datong's extent (市域), with a small margin: a point's location must fall inside it.
LATITUDE_RANGE = (Decimal("39.0"), Decimal("40.8"))
LONGITUDE_RANGE = (Decimal("112.5"), Decimal("114.7"))


class PointCategory(models.Model):
    """One of the 28 point categories of the national assessment; its standards make up its checklist."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("点位类别")
        verbose_name_plural = _("点位类别")

    def __str__(self):
        return self.name


class Point(models.Model):
    """A place the assessors visit."""

    code = models.CharField(_("点位编号"), max_length=30, unique=True)
    name = models.CharField(_("点位名称"), max_length=100)
    category = models.ForeignKey(PointCategory, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="points")
    division = models.ForeignKey(
        "campaigns.Division", verbose_name=_("所属区县"), on_delete=models.PROTECT, related_name="points"
    )
    street = models.CharField(_("街道/乡镇"), max_length=50, blank=True)
    community = models.CharField(_("社区/村"), max_length=50, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    responsible_unit = models.ForeignKey(
        "campaigns.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="points"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("包点领导（账号）"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_points",
    )
    leader_name = models.CharField(_("包点领导"), max_length=50, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)
    # Kept by the visit service: the list filters on it without a join to the visits.
    last_inspected_at = models.DateTimeField(_("最近测评时间"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["division__code", "code"]
        verbose_name = _("点位")
        verbose_name_plural = _("点位")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True)
                | Q(latitude__gte=LATITUDE_RANGE[0], latitude__lte=LATITUDE_RANGE[1]),
                name="point_latitude_in_datong",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True)
                | Q(longitude__gte=LONGITUDE_RANGE[0], longitude__lte=LONGITUDE_RANGE[1]),
                name="point_longitude_in_datong",
            ),
        ]
        indexes = [
            models.Index(fields=["division", "category"], name="point_division_category"),
            models.Index(fields=["responsible_unit"], name="point_unit"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class Standard(models.Model):
    """One standard (测评标准) of a category's checklist. Retired (``is_active=False``) rather than deleted once used."""

    category = models.ForeignKey(
        PointCategory, verbose_name=_("点位类别"), on_delete=models.PROTECT, related_name="standards"
    )
    aspect = models.CharField(_("测评方面"), max_length=20, choices=Aspect.choices)
    code = models.CharField(_("编号"), max_length=30)
    text = models.CharField(_("标准内容"), max_length=300)
    weight = models.DecimalField(_("分值"), max_digits=5, decimal_places=2, default=Decimal("1"))
    indicator = models.CharField(_("对应测评指标"), max_length=200, blank=True)
    severity = models.CharField(_("问题等级"), max_length=10, choices=Severity.choices, default=Severity.MINOR)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["category__position", "position", "id"]
        verbose_name = _("测评标准")
        verbose_name_plural = _("测评标准")
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="standard_unique_code_per_category"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="standard_weight_positive"),
        ]

    def __str__(self):
        return f"{self.code} {self.text}"


class SeverityDeadline(models.Model):
    """How many days a unit has to rectify a problem of a severity (headquarters sets them in the admin)."""

    severity = models.CharField(_("问题等级"), max_length=10, choices=Severity.choices, unique=True)
    days = models.PositiveSmallIntegerField(_("整改时限（天）"))

    class Meta:
        ordering = ["severity"]
        verbose_name = _("整改时限")
        verbose_name_plural = _("整改时限")
        constraints = [models.CheckConstraint(condition=Q(days__gte=1), name="severity_deadline_at_least_a_day")]

    def __str__(self):
        return f"{self.get_severity_display()}：{self.days} 天"


class InspectionRound(models.Model):
    """A round of inspections planned by headquarters: dates, supervisors and the points to visit."""

    name = models.CharField(_("名称"), max_length=100)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("督导人员"), blank=True, related_name="inspection_rounds"
    )
    points = models.ManyToManyField(Point, verbose_name=_("测评点位"), blank=True, related_name="rounds")
    selection = models.CharField(_("抽样方式"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("测评轮次")
        verbose_name_plural = _("测评轮次")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="round_dates_in_order")
        ]

    def __str__(self):
        return self.name


class Inspection(models.Model):
    """One finished visit of one point: a result per standard and the score rate they yield."""

    point = models.ForeignKey(Point, verbose_name=_("点位"), on_delete=models.PROTECT, related_name="inspections")
    round = models.ForeignKey(
        InspectionRound,
        verbose_name=_("测评轮次"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
    )
    # Copied from the point at the visit: scoping and the league table read it without a join.
    division = models.ForeignKey(
        "campaigns.Division", verbose_name=_("所属区县"), on_delete=models.PROTECT, related_name="inspections"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("测评人"), on_delete=models.PROTECT, related_name="inspections"
    )
    inspected_at = models.DateTimeField(_("测评时间"), default=timezone.now)
    note = models.TextField(_("总体说明"), blank=True)
    weighted_passed = models.DecimalField(_("达标分值"), max_digits=8, decimal_places=2, default=Decimal("0"))
    weighted_applicable = models.DecimalField(_("适用分值"), max_digits=8, decimal_places=2, default=Decimal("0"))
    score_rate = models.DecimalField(_("得分率（%）"), max_digits=4, decimal_places=1, null=True, blank=True)
    # The phone's own id for the visit: a form sent twice (retry after a dropped connection) is stored once.
    client_key = models.CharField(_("客户端编号"), max_length=64, null=True, blank=True, unique=True)  # noqa: DJ001

    class Meta:
        ordering = ["-inspected_at", "-id"]
        verbose_name = _("测评记录")
        verbose_name_plural = _("测评记录")
        indexes = [
            models.Index(fields=["division", "inspected_at"], name="inspection_division_at"),
            models.Index(fields=["round", "point"], name="inspection_round_point"),
        ]

    def __str__(self):
        return f"{self.point} {timezone.localtime(self.inspected_at):%Y-%m-%d}"


class InspectionResult(models.Model):
    """One standard's result in one visit, with the standard as it stood then."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("测评记录"), on_delete=models.CASCADE, related_name="results"
    )
    standard = models.ForeignKey(Standard, verbose_name=_("测评标准"), on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices)
    note = models.TextField(_("说明"), blank=True)
    # The snapshot: what the standard said and weighed at the visit.
    standard_code = models.CharField(_("标准编号"), max_length=30)
    standard_text = models.CharField(_("标准内容"), max_length=300)
    aspect = models.CharField(_("测评方面"), max_length=20, choices=Aspect.choices)
    weight = models.DecimalField(_("分值"), max_digits=5, decimal_places=2)
    problem = models.ForeignKey(
        "Problem",
        verbose_name=_("问题"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
    )

    class Meta:
        ordering = ["inspection", "id"]
        verbose_name = _("测评结果")
        verbose_name_plural = _("测评结果")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "standard"], name="result_once_per_standard"),
            models.CheckConstraint(
                condition=Q(problem__isnull=True) | Q(outcome=Outcome.FAILED), name="result_problem_only_if_failed"
            ),
        ]

    def __str__(self):
        return f"{self.standard_code}: {self.get_outcome_display()}"

    @property
    def passed(self) -> bool | None:
        return None if self.outcome == Outcome.NOT_APPLICABLE else self.outcome == Outcome.PASSED


class ProblemQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=ProblemStatus.CLOSED)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(deadline__lt=today).exclude(status=ProblemStatus.CLOSED)


class Problem(models.Model):
    """A failed standard at a point, of the point's division and responsible unit, until a re-check closes it.

    While a problem is not closed there is one per point × standard: a new failure adds to it (``occurrences``).
    """

    point = models.ForeignKey(Point, verbose_name=_("点位"), on_delete=models.PROTECT, related_name="problems")
    standard = models.ForeignKey(
        Standard, verbose_name=_("测评标准"), on_delete=models.PROTECT, related_name="problems"
    )
    division = models.ForeignKey(
        "campaigns.Division", verbose_name=_("所属区县"), on_delete=models.PROTECT, related_name="problems"
    )
    responsible_unit = models.ForeignKey(
        "campaigns.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="problems"
    )
    description = models.TextField(_("问题描述"))
    severity = models.CharField(_("问题等级"), max_length=10, choices=Severity.choices, default=Severity.MINOR)
    status = models.CharField(_("状态"), max_length=20, choices=ProblemStatus.choices, default=ProblemStatus.OPEN)
    status_changed_at = models.DateTimeField(_("状态变更时间"), default=timezone.now)
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发现人"), on_delete=models.PROTECT, related_name="found_problems"
    )
    found_at = models.DateTimeField(_("发现时间"), default=timezone.now)
    occurrences = models.PositiveIntegerField(_("发现次数"), default=1)
    last_found_at = models.DateTimeField(_("最近发现时间"), default=timezone.now)
    deadline = models.DateField(_("整改时限"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("派发时间"), null=True, blank=True)
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("整改人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectified_problems",
    )
    rectified_at = models.DateTimeField(_("整改反馈时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    rework_count = models.PositiveSmallIntegerField(_("返工次数"), default=0)
    is_recurrence = models.BooleanField(_("反弹问题"), default=False)
    recurrence_of = models.ForeignKey(
        "self",
        verbose_name=_("反弹自"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recurrences",
    )
    supervision_card = models.ForeignKey(
        "supervision.SupervisionCard",
        verbose_name=_("督办卡"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="problems",
    )

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["-found_at", "-id"]
        verbose_name = _("问题")
        verbose_name_plural = _("问题")
        constraints = [
            models.UniqueConstraint(
                fields=["point", "standard"],
                condition=~Q(status=ProblemStatus.CLOSED),
                name="problem_one_open_per_point_standard",
            ),
            models.CheckConstraint(
                condition=Q(status=ProblemStatus.CLOSED, closed_at__isnull=False)
                | (~Q(status=ProblemStatus.CLOSED) & Q(closed_at__isnull=True)),
                name="problem_closed_at_iff_closed",
            ),
            models.CheckConstraint(
                condition=Q(status=ProblemStatus.OPEN) | Q(deadline__isnull=False),
                name="problem_deadline_once_dispatched",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="problem_status_deadline"),
            models.Index(fields=["division", "status"], name="problem_division_status"),
            models.Index(fields=["responsible_unit", "status"], name="problem_unit_status"),
            models.Index(fields=["point", "standard", "closed_at"], name="problem_point_standard_closed"),
            # The list's own order: the first page of 25,000 problems is read from the index, not sorted after a
            # join of every row (300 ms → under 1 ms at the city's scale). Read backwards it also serves the cockpit's
            # "found in its last weeks" ranges.
            models.Index(fields=["-found_at", "-id"], name="problem_found_order"),
            # the cockpit's weekly counts of problems closed in its last weeks
            models.Index(fields=["closed_at"], name="problem_closed_at"),
        ]

    def __str__(self):
        return f"{self.point.name}：{self.description[:30]}"

    @property
    def is_overdue(self) -> bool:
        return (
            self.status != ProblemStatus.CLOSED and self.deadline is not None and self.deadline < timezone.localdate()
        )

    @property
    def days_overdue(self) -> int:
        return max(0, (timezone.localdate() - self.deadline).days) if self.is_overdue else 0

    @property
    def closed_on_time(self) -> bool | None:
        if self.closed_at is None or self.deadline is None:
            return None
        return timezone.localtime(self.closed_at).date() <= self.deadline


class ProblemTransition(TransitionBase):
    problem = models.ForeignKey(Problem, verbose_name=_("问题"), on_delete=models.PROTECT, related_name="transitions")

    class Meta(TransitionBase.Meta):
        verbose_name = _("问题流转记录")
        verbose_name_plural = _("问题流转记录")
        indexes = [models.Index(fields=["problem", "at"], name="problem_transition_at")]


def photo_path(instance, filename):
    """A random stored name; only the extension of the detected image format is kept."""
    return random_name(f"inspections/{timezone.now():%Y/%m}", Path(filename).suffix.lower())


class Photo(models.Model):
    """A photo taken at a visit (of one result) or sent with a rectification (of one problem transition).

    Served only to someone who may see the point (views.photo)."""

    point = models.ForeignKey(Point, verbose_name=_("点位"), on_delete=models.CASCADE, related_name="photos")
    result = models.ForeignKey(
        InspectionResult,
        verbose_name=_("测评结果"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
    )
    transition = models.ForeignKey(
        ProblemTransition,
        verbose_name=_("问题流转记录"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
    )
    kind = models.CharField(_("类型"), max_length=10, choices=PhotoKind.choices, default=PhotoKind.FOUND)
    file = models.FileField(_("文件"), upload_to=photo_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=50)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("照片")
        verbose_name_plural = _("照片")
        constraints = [
            models.CheckConstraint(
                condition=Q(result__isnull=False) | Q(transition__isnull=False), name="photo_belongs_somewhere"
            )
        ]

    def __str__(self):
        return self.original_name or self.file.name


class ProblemEscalation(models.Model):
    """One rung of the overdue ladder reached by one problem; unique (problem, step) makes each happen once."""

    problem = models.ForeignKey(Problem, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="escalations")
    step = models.CharField(_("督办步骤"), max_length=20, choices=ProblemStep.choices)
    fired_at = models.DateTimeField(_("时间"), default=timezone.now)
    deadline = models.DateField(_("当时时限"))

    class Meta:
        ordering = ["fired_at", "id"]
        verbose_name = _("问题逾期督办记录")
        verbose_name_plural = _("问题逾期督办记录")
        constraints = [models.UniqueConstraint(fields=["problem", "step"], name="problem_escalation_once_per_step")]

    def __str__(self):
        return f"{self.problem_id}: {self.get_step_display()}"


def circular_path(instance, filename):
    return random_name(f"circulars/{instance.year}", ".pdf")


class Circular(models.Model):
    """The weekly circular (通报) of one ISO week, numbered 〔YYYY〕第N期 within the year it is compiled in.

    Compiled by the calendar on Monday for the week before (``inspections/circulars.py``); headquarters reviews and
    publishes it (``CIRCULAR_WORKFLOW``), then units see it. One per week: a second compilation is a no-op.
    """

    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("期数"))
    number = models.CharField(_("期号"), max_length=30, unique=True)
    period = models.CharField(_("通报周"), max_length=8, unique=True, help_text=_("ISO 周，如 2022-W34"))
    period_start = models.DateField(_("起始日"))
    period_end = models.DateField(_("截止日"))
    status = models.CharField(_("状态"), max_length=20, choices=CircularStatus.choices, default=CircularStatus.DRAFT)
    status_changed_at = models.DateTimeField(_("状态变更时间"), default=timezone.now)
    #: the figures printed in the PDF, as compiled (the detail page shows the same)
    content = models.JSONField(_("内容"), default=dict, blank=True)
    pdf = models.FileField(_("PDF 文件"), upload_to=circular_path, max_length=200, blank=True)
    compiled_at = models.DateTimeField(_("编制时间"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-sequence"]
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="circular_unique_sequence_per_year"),
            models.CheckConstraint(
                condition=Q(status=CircularStatus.DRAFT) | Q(published_at__isnull=False),
                name="circular_published_at_once_published",
            ),
        ]

    def __str__(self):
        return f"通报{self.number}"


class CircularTransition(TransitionBase):
    circular = models.ForeignKey(Circular, verbose_name=_("通报"), on_delete=models.PROTECT, related_name="transitions")

    class Meta(TransitionBase.Meta):
        verbose_name = _("通报流转记录")
        verbose_name_plural = _("通报流转记录")
