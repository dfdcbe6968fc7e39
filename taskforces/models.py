"""The eight task forces (工作专班) and their groups. Reminder cards, reports and supervision cards live here too."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.models import Division


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

    class Meta:
        ordering = ["task_force", "id"]
        verbose_name = _("专班小组")
        verbose_name_plural = _("专班小组")
        constraints = [models.UniqueConstraint(fields=["task_force", "name"], name="taskforcegroup_unique_name")]

    def __str__(self):
        return f"{self.task_force.name}·{self.name}"
