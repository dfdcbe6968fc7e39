from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteLevel(models.TextChoices):
    CENTRE = "centre", _("新时代文明实践中心")
    INSTITUTE = "institute", _("新时代文明实践所")
    STATION = "station", _("新时代文明实践站")


# A site's parent must be one level up: centre → institute → station.
PARENT_LEVEL = {SiteLevel.INSTITUTE: SiteLevel.CENTRE, SiteLevel.STATION: SiteLevel.INSTITUTE}


class TeamLevel(models.TextChoices):
    CITY = "city", _("市级")
    DIVISION = "division", _("区县级")
    STREET = "street", _("街道/乡镇级")
    COMMUNITY = "community", _("社区/村级")


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class RecordStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("已驳回")


class RaterKind(models.TextChoices):
    PARTICIPANT = "participant", _("参与志愿者")
    RESIDENT = "resident", _("服务对象（群众）")


class RatingAnswer(models.TextChoices):
    """The public rating's three answers. 满意 and 基本满意 both count as satisfied: the assessment's 满意率 is
    (满意 + 基本满意) ÷ answers, as the five-point scale already counts 4 and 5 (volunteers/models.py Rating)."""

    SATISFIED = "satisfied", _("满意")
    FAIRLY_SATISFIED = "fairly", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


# The five-point score each answer stands for: satisfied stays ``score >= 4`` for every rating alike.
ANSWER_SCORE = {RatingAnswer.SATISFIED: 5, RatingAnswer.FAIRLY_SATISFIED: 4, RatingAnswer.DISSATISFIED: 2}


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("有错误，未导入")


SERVICE_FIELDS = [
    "理论宣讲",
    "文明交通",
    "环境保护",
    "邻里守望",
    "扶老助残",
    "关爱未成年人",
    "文化文艺",
    "医疗健身",
    "应急救援",
    "科普宣传",
]
