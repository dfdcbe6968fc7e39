"""Practice sites, teams, volunteers, projects, service records, ratings — and the counters the dashboard reads."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.history import PortalHistory
from campaigns.models import Division, TransitionBase
from volunteers.choices import Gender, ImportStatus, RaterKind, RatingAnswer, RecordStatus, SiteLevel, TeamLevel


class PracticeSite(models.Model):
    """A New-Era Civilization Practice site: centre (中心) → institute (所) → station (站), one tree per division."""

    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=SiteLevel.choices)
    division = models.ForeignKey(Division, verbose_name=_("区县"), on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self", verbose_name=_("上级阵地"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    responsible_person = models.CharField(_("负责人"), max_length=50, blank=True)
    responsible_phone = models.CharField(_("负责人电话"), max_length=20, blank=True)

    class Meta:
        ordering = ["division__code", "level", "name"]
        verbose_name = _("文明实践阵地")
        verbose_name_plural = _("文明实践阵地")
        indexes = [models.Index(fields=["division", "level"], name="site_division_level")]
        constraints = [
            models.UniqueConstraint(fields=["division", "name"], name="site_unique_name_in_division"),
            models.CheckConstraint(
                condition=Q(level=SiteLevel.CENTRE, parent__isnull=True) | ~Q(level=SiteLevel.CENTRE),
                name="site_centre_has_no_parent",
            ),
        ]

    def __str__(self):
        return self.name


class VolunteerTeam(models.Model):
    """A volunteer service team (志愿服务队)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    level = models.CharField(_("级别"), max_length=10, choices=TeamLevel.choices, default=TeamLevel.COMMUNITY)
    division = models.ForeignKey(Division, verbose_name=_("区县"), on_delete=models.PROTECT, related_name="+")
    practice_site = models.ForeignKey(
        PracticeSite, verbose_name=_("所属阵地"), on_delete=models.PROTECT, null=True, blank=True, related_name="teams"
    )
    leader_name = models.CharField(_("队长"), max_length=50, blank=True)
    leader_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("队长账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_volunteer_teams",
    )
    service_field = models.CharField(_("服务领域"), max_length=50, blank=True)
    members_count = models.PositiveIntegerField(_("队员数"), default=0, help_text=_("由服务维护"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["division__code", "name"]
        verbose_name = _("志愿服务队")
        verbose_name_plural = _("志愿服务队")
        indexes = [models.Index(fields=["division", "name"], name="team_division_name")]

    def __str__(self):
        return self.name


class Volunteer(models.Model):
    """A registered volunteer. ``id_number`` and ``phone`` are personal data: see volunteers/privacy.py."""

    volunteer_no = models.CharField(_("志愿者编号"), max_length=20, unique=True)
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    id_number = models.CharField(_("身份证号"), max_length=18, unique=True)
    phone = models.CharField(_("手机号"), max_length=11)
    # no index of its own: vol_division_id (division, -id) leads with it
    division = models.ForeignKey(
        Division, verbose_name=_("区县"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    teams = models.ManyToManyField(
        VolunteerTeam, verbose_name=_("服务队"), through="TeamMembership", related_name="members", blank=True
    )
    registered_at = models.DateField(_("注册日期"))
    # Derived, kept in step by services.record_confirm (and volunteer_recompute_hours): never edited by hand.
    confirmed_hours = models.DecimalField(_("累计服务时长"), max_digits=8, decimal_places=1, default=Decimal("0"))
    star = models.PositiveSmallIntegerField(_("星级"), default=0)
    last_service_date = models.DateField(_("最近服务日期"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        indexes = [
            models.Index(fields=["division", "-id"], name="vol_division_id"),
            models.Index(fields=["star", "-id"], name="vol_star_id"),
            models.Index(fields=["registered_at"], name="vol_registered"),
            models.Index(fields=["-confirmed_hours", "-id"], name="vol_hours_id"),
            # The dashboard's "with confirmed hours": an index-only count per division.
            models.Index(fields=["division"], condition=Q(confirmed_hours__gt=0), name="vol_active_division"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(confirmed_hours__gte=0), name="vol_hours_not_negative"),
            models.CheckConstraint(condition=Q(star__lte=5), name="vol_star_at_most_five"),
        ]

    def __str__(self):
        return f"{self.name}（{self.volunteer_no}）"


class TeamMembership(models.Model):
    # Indexed by membership_unique (team first) and membership_volunteer: no index of each key's own.
    team = models.ForeignKey(VolunteerTeam, on_delete=models.CASCADE, related_name="memberships", db_index=False)
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="memberships", db_index=False)
    joined_at = models.DateField(_("入队日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("队员")
        verbose_name_plural = _("队员")
        constraints = [models.UniqueConstraint(fields=["team", "volunteer"], name="membership_unique")]
        indexes = [models.Index(fields=["volunteer"], name="membership_volunteer")]

    def __str__(self):
        return f"{self.team_id}/{self.volunteer_id}"


class ServiceProject(models.Model):
    """A service project (志愿服务项目) run by a team, at a practice site."""

    title = models.CharField(_("项目名称"), max_length=200)
    team = models.ForeignKey(VolunteerTeam, verbose_name=_("服务队"), on_delete=models.PROTECT, related_name="projects")
    division = models.ForeignKey(Division, verbose_name=_("区县"), on_delete=models.PROTECT, related_name="+")
    practice_site = models.ForeignKey(
        PracticeSite,
        verbose_name=_("实践阵地"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    place = models.CharField(_("服务地点"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("招募人数"), default=20)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("志愿服务项目")
        verbose_name_plural = _("志愿服务项目")
        indexes = [models.Index(fields=["division", "-start_date"], name="project_division_start")]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="project_dates_in_order")
        ]

    def __str__(self):
        return self.title


class ServiceRecord(models.Model):
    """One stint of service: hours are end − start on the service day (travel is never counted)."""

    # The three keys need no index of their own: each leads one of the composite indexes below. Two million rows
    # carry every index at each insert and each confirmation, and the seed rebuilds every one.
    volunteer = models.ForeignKey(
        Volunteer,
        verbose_name=_("志愿者"),
        on_delete=models.PROTECT,
        related_name="service_records",
        db_index=False,
    )
    project = models.ForeignKey(
        ServiceProject,
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        related_name="service_records",
        db_index=False,
    )
    division = models.ForeignKey(
        Division,
        verbose_name=_("区县"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("项目所在区县"),
        db_index=False,
    )
    date = models.DateField(_("服务日期"))
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    hours = models.DecimalField(_("服务时长"), max_digits=4, decimal_places=1)
    status = models.CharField(_("状态"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.PENDING)
    # Not indexed: no list asks "decided by whom", and accounts are deactivated, never deleted (the one reader of a
    # reverse index here would be the PROTECT check of a deletion).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    reject_reason = models.CharField(_("驳回原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")
        indexes = [
            models.Index(fields=["volunteer", "date"], name="record_volunteer_date"),
            models.Index(fields=["project", "date"], name="record_project_date"),
            # The lists, newest first: a division's and the city's (headquarters).
            models.Index(fields=["division", "-date", "-id"], name="record_division_date"),
            models.Index(fields=["-date", "-id"], name="record_date_id"),
            # The pending and the rejected, a division's and the city's: partial indexes, so they hold only the few
            # rows not confirmed, and a confirmation takes its row out of them instead of adding to them. The
            # confirmed (nearly all) are found at once on the lists' indexes.
            models.Index(
                fields=["division", "status", "-date", "-id"],
                condition=~models.Q(status=RecordStatus.CONFIRMED),
                name="record_division_unconfirmed",
            ),
            models.Index(
                fields=["status", "-date", "-id"],
                condition=~models.Q(status=RecordStatus.CONFIRMED),
                name="record_unconfirmed",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="record_end_after_start"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="record_hours_positive"),
        ]

    def __str__(self):
        return f"{self.volunteer_id} {self.date} {self.hours}h"


class ServiceRecordTransition(TransitionBase):
    """One move of a service record: registered, confirmed or rejected (none for the full-scale seed's records)."""

    record = models.ForeignKey(
        ServiceRecord, verbose_name=_("服务记录"), on_delete=models.PROTECT, related_name="transitions"
    )
    from_status = models.CharField(_("原状态"), max_length=20, choices=RecordStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=RecordStatus.choices)

    class Meta(TransitionBase.Meta):
        verbose_name = _("服务记录流转记录")
        verbose_name_plural = _("服务记录流转记录")


class Rating(models.Model):
    """A participant's or a served resident's rating of a project; satisfied means 4 or 5 of 5 (基本满意 is 4)."""

    project = models.ForeignKey(
        ServiceProject, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="ratings"
    )
    division = models.ForeignKey(Division, verbose_name=_("区县"), on_delete=models.PROTECT, related_name="+")
    rater_kind = models.CharField(_("评价人"), max_length=12, choices=RaterKind.choices)
    score = models.PositiveSmallIntegerField(_("评分"))
    satisfied = models.BooleanField(_("满意"))
    # A resident's answer through the public link (满意 / 基本满意 / 不满意); blank for five-point ratings.
    answer = models.CharField(_("评价结果"), max_length=12, choices=RatingAnswer.choices, blank=True)
    comment = models.CharField(_("意见建议"), max_length=200, blank=True)
    # No personal data: a digest of the rating device's random cookie id, and the day it rated (one a day).
    device = models.CharField(_("设备标识摘要"), max_length=64, blank=True)
    rated_on = models.DateField(_("评价日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("满意度评价")
        verbose_name_plural = _("满意度评价")
        indexes = [models.Index(fields=["division", "satisfied"], name="rating_division_satisfied")]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"),
            models.UniqueConstraint(
                fields=["project", "device", "rated_on"],
                condition=~Q(device=""),
                name="rating_once_per_device_per_day",
            ),
        ]

    def __str__(self):
        return f"{self.project_id}：{self.score}"


class StarThreshold(models.Model):
    """Hours needed for each star (1–5). Seeded from datong.json ``volunteer_star_hours``; headquarters edits them."""

    star = models.PositiveSmallIntegerField(_("星级"), unique=True)
    min_hours = models.PositiveIntegerField(_("所需时长（小时）"))

    history = PortalHistory()

    class Meta:
        ordering = ["star"]
        verbose_name = _("星级标准")
        verbose_name_plural = _("星级标准")
        constraints = [models.CheckConstraint(condition=Q(star__gte=1, star__lte=5), name="star_1_to_5")]

    def __str__(self):
        return f"{self.star}星：{self.min_hours}小时"


class DivisionVolunteerStats(models.Model):
    """The dashboard's counters per division, changed by increments in every write (``stats.apply``) and recounted
    nightly (``stats.recount``). ``refreshed_at`` is when it was last recounted."""

    division = models.OneToOneField(Division, on_delete=models.CASCADE, primary_key=True, related_name="+")
    registered = models.PositiveIntegerField(default=0)
    with_service_hours = models.PositiveIntegerField(default=0)
    teams = models.PositiveIntegerField(default=0)
    projects = models.PositiveIntegerField(default=0)
    ratings = models.PositiveIntegerField(default=0)
    satisfied_ratings = models.PositiveIntegerField(default=0)
    centres = models.PositiveIntegerField(default=0)
    institutes = models.PositiveIntegerField(default=0)
    stations = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("区县志愿服务统计")
        verbose_name_plural = _("区县志愿服务统计")

    def __str__(self):
        return str(self.division_id)


class DivisionVolunteerDay(models.Model):
    """The counters behind the two rates (活跃度, 满意率) as they stood on a day, per division: the nightly recount
    keeps one row per division and day (``stats.keep_day``), so the cockpit can show the change since last week —
    the live counter rows hold only today's figures."""

    division = models.ForeignKey(Division, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("日期"))
    registered = models.PositiveIntegerField(default=0)
    with_service_hours = models.PositiveIntegerField(default=0)
    ratings = models.PositiveIntegerField(default=0)
    satisfied_ratings = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("区县志愿服务日统计")
        verbose_name_plural = _("区县志愿服务日统计")
        constraints = [models.UniqueConstraint(fields=["day", "division"], name="volunteer_day_unique")]

    def __str__(self):
        return f"{self.division_id} {self.day}"


class ImportJob(models.Model):
    """An Excel import: small files run at once, large ones in Celery; the page polls ``processed``/``total``."""

    kind = models.CharField(_("类型"), max_length=20, default="roster")
    file = models.FileField(_("文件"), upload_to="volunteer-imports/%Y/%m/")
    filename = models.CharField(_("文件名"), max_length=200)
    partial = models.BooleanField(_("部分导入"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")

    def __str__(self):
        return self.filename


class ImportJobTransition(TransitionBase):
    """One move of an import job: queued by its uploader, then started and finished or failed in their name."""

    job = models.ForeignKey(ImportJob, verbose_name=_("导入任务"), on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(_("原状态"), max_length=20, choices=ImportStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=ImportStatus.choices)

    class Meta(TransitionBase.Meta):
        verbose_name = _("导入任务流转记录")
        verbose_name_plural = _("导入任务流转记录")


class PersonalDataAccess(models.Model):
    """One read of personal data in full (个人信息保护法's minimum-necessary rule): who, whose, which fields, when,
    how and why. Lists, searches and exports are masked; a full value is shown only through a logged access."""

    class Via(models.TextChoices):
        PAGE = "page", _("页面查看")
        API = "api", _("接口读取")
        EXPORT = "export", _("不打码导出")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("查看人"), on_delete=models.PROTECT, related_name="+"
    )
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    fields = models.CharField(_("查看内容"), max_length=50)
    via = models.CharField(_("方式"), max_length=10, choices=Via.choices)
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("条数"), default=1)
    query = models.CharField(_("筛选条件"), max_length=500, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")

    def __str__(self):
        return f"{self.user} {self.get_via_display()} {self.at:%Y-%m-%d %H:%M}"
