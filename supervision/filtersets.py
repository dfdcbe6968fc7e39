import django_filters
from django.db.models import Q
from django.utils import timezone

from campaigns.choices import UnitKind
from campaigns.filtersets import IdFilter, PortalFilterSet
from campaigns.models import Division, Unit
from supervision.choices import FINISHED_STATUSES, CardSource, CardStatus
from supervision.models import SupervisionCard


class SupervisionCardFilterSet(PortalFilterSet):
    """The card list's filters, shared by the page and ``/api/v1/supervision-cards/``."""

    search_fields = ("title", "number", "description")
    status = django_filters.ChoiceFilter(label="状态", choices=CardStatus.choices, empty_label="全部")
    division = django_filters.ModelChoiceFilter(label="区县", queryset=Division.objects.all(), empty_label="全部")
    unit = django_filters.ModelChoiceFilter(
        label="责任单位",
        field_name="assignee_unit",
        empty_label="全部",
        queryset=Unit.objects.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.GOVERNMENT]),
    )
    source = django_filters.ChoiceFilter(label="来源", choices=CardSource.choices, empty_label="全部")
    leader = IdFilter(label="责任领导", field_name="responsible_leader_id")
    open = django_filters.BooleanFilter(label="未办结", method="filter_open")
    overdue = django_filters.BooleanFilter(label="已逾期", method="filter_overdue")
    flagged = django_filters.BooleanFilter(label="指挥部标记", method="filter_flagged")
    circular = django_filters.BooleanFilter(label="列入通报", method="filter_circular")
    deadline_after = django_filters.DateFilter(label="时限起", field_name="deadline", lookup_expr="gte")
    deadline_before = django_filters.DateFilter(label="时限止", field_name="deadline", lookup_expr="lte")
    year = django_filters.NumberFilter(label="年度", field_name="year")

    export_columns = (
        ("编号", lambda c, user: c.number),
        ("标题", lambda c, user: c.title),
        ("来源", lambda c, user: c.get_source_display()),
        ("责任单位", lambda c, user: c.assignee_unit.name),
        ("区县", lambda c, user: c.division.name if c.division_id else ""),
        ("下发时间", lambda c, user: f"{timezone.localtime(c.issued_at):%Y-%m-%d %H:%M}"),
        ("办结时限", lambda c, user: c.deadline),
        ("状态", lambda c, user: c.get_status_display()),
        ("逾期", lambda c, user: "是" if c.is_overdue else ""),
        ("退回次数", lambda c, user: c.rework_count),
        ("延期次数", lambda c, user: c.extension_count),
        ("销号时间", lambda c, user: f"{timezone.localtime(c.closed_at):%Y-%m-%d %H:%M}" if c.closed_at else ""),
    )

    class Meta:
        model = SupervisionCard
        fields = ["status", "division", "unit", "source", "year"]

    def filter_open(self, queryset, name, value):
        finished = Q(status__in=FINISHED_STATUSES)
        return queryset.exclude(finished) if value else queryset.filter(finished)

    def filter_overdue(self, queryset, name, value):
        overdue = Q(deadline__lt=timezone.localdate()) & ~Q(status__in=FINISHED_STATUSES)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_flagged(self, queryset, name, value):
        return queryset.filter(flagged_at__isnull=not value)

    def filter_circular(self, queryset, name, value):
        return queryset.filter(circular_listed_at__isnull=not value)
