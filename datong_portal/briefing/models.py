from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.uploads import random_name
from datong_portal.briefing.choices import BriefingStatus


def briefing_path(instance, filename):
    return random_name(f"briefings/{instance.month:%Y}", ".pdf")


class Briefing(models.Model):
    """One issue of the monthly briefing: 〔2022〕第8期 covers one month, and is kept for download.

    ``year``/``sequence`` number it within the year of the month it covers (campaigns.numbering, series
    ``briefing``); a rebuild keeps its number and replaces its PDF. ``progress`` (0–100) and ``stage`` are written
    by the worker while it builds, for the page that polls them.
    """

    month = models.DateField(_("月份"), unique=True, help_text=_("所报月份的第一天"))
    year = models.PositiveSmallIntegerField(_("年度"), editable=False)
    sequence = models.PositiveIntegerField(_("期号"), editable=False)
    status = models.CharField(_("状态"), max_length=10, choices=BriefingStatus.choices, default=BriefingStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    stage = models.CharField(_("当前步骤"), max_length=50, blank=True)
    pdf = models.FileField(_("简报文件"), upload_to=briefing_path, blank=True)
    pages = models.PositiveSmallIntegerField(_("页数"), default=0)
    error = models.TextField(_("失败原因"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("空：由创城日历自动编制"),
    )
    requested_at = models.DateTimeField(_("发起时间"))
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    build_seconds = models.FloatField(_("编制耗时（秒）"), null=True, blank=True)
    builds = models.PositiveSmallIntegerField(_("编制次数"), default=0)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("月度工作简报")
        verbose_name_plural = _("月度工作简报")
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="briefing_unique_year_sequence"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="briefing_progress_at_most_100"),
        ]

    def __str__(self):
        return f"{self.number}（{self.month.year}年{self.month.month}月）"

    @property
    def number(self) -> str:
        return f"〔{self.year}〕第{self.sequence}期"

    @property
    def title(self) -> str:
        return f"创建全国文明城市工作简报 {self.number}"
