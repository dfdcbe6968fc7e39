import django_filters
from django.db.models import Q
from django.utils import timezone

from campaigns.filtersets import IdFilter, PortalFilterSet
from campaigns.models import Division, Unit, User
from taskforces.choices import ReportKind, ReportStatus
from taskforces.models import ReminderCard, Report, TaskForce


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


class ReminderCardFilterSet(PortalFilterSet):
    """Shared by the card list page and ``/api/v1/reminder-cards/``."""

    search_fields = ("title", "recipient_unit__name")
    recipient_unit = django_filters.ModelChoiceFilter(label="责任单位", queryset=Unit.objects.all())
    recipient_leader = django_filters.ModelChoiceFilter(label="市领导", queryset=User.objects.filter(role="leader"))
    division = django_filters.ModelChoiceFilter(
        label="区县", queryset=Division.objects.all(), field_name="recipient_unit__division"
    )
    year = django_filters.NumberFilter(label="年度")
    active = django_filters.BooleanFilter(label="有效")

    export_columns = (
        ("编号", lambda c, user: c.number),
        ("标题", lambda c, user: c.title),
        ("责任单位", lambda c, user: c.recipient_unit.name if c.recipient_unit_id else ""),
        ("市领导", lambda c, user: str(c.recipient_leader) if c.recipient_leader_id else ""),
        ("签发时间", lambda c, user: _local(c.issued_at)),
        ("有效", lambda c, user: "是" if c.active else "否"),
        ("领衔督办事项", lambda c, user: c.supervision_items),
        ("突出问题", lambda c, user: c.outstanding_problems),
    )

    class Meta:
        model = ReminderCard
        fields = ["recipient_unit", "recipient_leader", "division", "year", "active"]


class ReportFilterSet(PortalFilterSet):
    """Shared by the report list page and ``/api/v1/reports/``: kind, period, unit, division, status, lateness."""

    search_fields = ("unit__name", "summary")

    kind = django_filters.ChoiceFilter(label="类型", choices=ReportKind.choices)
    period = django_filters.CharFilter(label="周期")
    unit = django_filters.ModelChoiceFilter(label="报送单位", queryset=Unit.objects.all())
    leader = IdFilter(label="市领导", field_name="leader_id")
    division = django_filters.ModelChoiceFilter(
        label="区县", queryset=Division.objects.all(), field_name="unit__division"
    )
    status = django_filters.ChoiceFilter(label="状态", choices=ReportStatus.choices)
    is_late = django_filters.BooleanFilter(label="迟报")
    missing = django_filters.BooleanFilter(label="缺报", method="filter_missing")
    due_after = django_filters.IsoDateTimeFilter(label="截止时间起", field_name="due_at", lookup_expr="gte")
    due_before = django_filters.IsoDateTimeFilter(label="截止时间止", field_name="due_at", lookup_expr="lte")

    export_columns = (
        ("周期", lambda r, user: r.period),
        ("类型", lambda r, user: r.get_kind_display()),
        ("持卡人", lambda r, user: r.holder_name),
        ("区县", lambda r, user: r.unit.division.name if r.unit.division_id else ""),
        ("截止时间", lambda r, user: _local(r.due_at)),
        ("报送时间", lambda r, user: _local(r.submitted_at)),
        ("状态", lambda r, user: r.get_status_display()),
        ("迟报", lambda r, user: "是" if r.is_late else ""),
        ("缺报", lambda r, user: "是" if r.is_missing else ""),
        ("工作完成情况", lambda r, user: r.summary),
    )

    class Meta:
        model = Report
        fields = ["kind", "period", "unit", "leader", "division", "status", "is_late"]

    def filter_missing(self, queryset, name, value):
        missing = Q(status=ReportStatus.EXPECTED, due_at__lt=timezone.now())
        return queryset.filter(missing) if value else queryset.exclude(missing)


class TaskForceFilterSet(PortalFilterSet):
    search_fields = ("name", "code", "field")

    class Meta:
        model = TaskForce
        fields = ["code"]
