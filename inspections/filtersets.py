"""One FilterSet per listable model, shared by the pages and the API. Text search is ``search``."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from campaigns.filtersets import PortalFilterSet
from campaigns.models import Division, Unit
from campaigns.periods import parse_period, validate_period
from inspections.choices import ProblemStatus, Severity
from inspections.models import Inspection, InspectionRound, Point, PointCategory, Problem


class PointFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(label="关键词", method="filter_search")
    category = django_filters.ModelChoiceFilter(label="类别", queryset=PointCategory.objects.all(), empty_label="全部")
    division = django_filters.ModelChoiceFilter(label="区县", queryset=Division.objects.all(), empty_label="全部")
    unit = django_filters.ModelChoiceFilter(
        label="责任单位", field_name="responsible_unit", queryset=Unit.objects.all(), empty_label="全部"
    )
    has_open_problems = django_filters.BooleanFilter(label="有未销号问题", method="filter_open_problems")
    inspected_after = django_filters.DateFilter(
        label="最近测评起", field_name="last_inspected_at", lookup_expr="date__gte"
    )
    inspected_before = django_filters.DateFilter(
        label="最近测评止", field_name="last_inspected_at", lookup_expr="date__lte"
    )
    never_inspected = django_filters.BooleanFilter(
        label="从未测评", field_name="last_inspected_at", lookup_expr="isnull"
    )
    is_active = django_filters.BooleanFilter(label="在用")
    period = django_filters.CharFilter(
        label="测评周期",
        method="filter_period",
        validators=[validate_period],
        help_text="2022-W34 或 2022-08：该周期内测评过的点位",
    )

    class Meta:
        model = Point
        fields = ["category", "division", "unit", "is_active"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(code__icontains=value)
            | Q(name__icontains=value)
            | Q(address__icontains=value)
            | Q(street__icontains=value)
        )

    def filter_period(self, queryset, name, value):
        from inspections.league import visits_in

        visited = visits_in(Inspection.objects.all(), parse_period(value)).values("point_id")
        return queryset.filter(pk__in=visited)

    def filter_open_problems(self, queryset, name, value):
        open_points = Problem.objects.exclude(status=ProblemStatus.CLOSED).values("point_id")
        return queryset.filter(pk__in=open_points) if value else queryset.exclude(pk__in=open_points)


class InspectionFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(label="关键词", method="filter_search")
    point = django_filters.NumberFilter(label="点位", field_name="point_id")
    round = django_filters.ModelChoiceFilter(
        label="测评轮次", queryset=InspectionRound.objects.all(), empty_label="全部"
    )
    division = django_filters.ModelChoiceFilter(label="区县", queryset=Division.objects.all(), empty_label="全部")
    category = django_filters.ModelChoiceFilter(
        label="类别", field_name="point__category", queryset=PointCategory.objects.all(), empty_label="全部"
    )
    inspected_after = django_filters.DateFilter(label="测评起", field_name="inspected_at", lookup_expr="date__gte")
    inspected_before = django_filters.DateFilter(label="测评止", field_name="inspected_at", lookup_expr="date__lte")

    class Meta:
        model = Inspection
        fields = ["point", "round", "division", "category"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(point__name__icontains=value) | Q(point__code__icontains=value))


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


class ProblemFilterSet(PortalFilterSet):
    search = django_filters.CharFilter(label="关键词", method="filter_search")
    export_columns = (
        ("点位编号", lambda p, user: p.point.code),
        ("点位", lambda p, user: p.point.name),
        ("问题", lambda p, user: p.description),
        ("区县", lambda p, user: p.division.name),
        ("责任单位", lambda p, user: p.responsible_unit.name),
        ("等级", lambda p, user: p.get_severity_display()),
        ("发现时间", lambda p, user: _when(p.found_at)),
        ("整改时限", lambda p, user: p.deadline),
        ("状态", lambda p, user: p.get_status_display()),
        ("逾期", lambda p, user: "是" if p.is_overdue else ""),
        ("发现次数", lambda p, user: p.occurrences),
        ("返工次数", lambda p, user: p.rework_count),
        ("反弹", lambda p, user: "是" if p.is_recurrence else ""),
        ("销号时间", lambda p, user: _when(p.closed_at)),
    )
    point = django_filters.NumberFilter(label="点位", field_name="point_id")
    status = django_filters.ChoiceFilter(label="状态", choices=ProblemStatus.choices, empty_label="全部")
    division = django_filters.ModelChoiceFilter(label="区县", queryset=Division.objects.all(), empty_label="全部")
    unit = django_filters.ModelChoiceFilter(
        label="责任单位", field_name="responsible_unit", queryset=Unit.objects.all(), empty_label="全部"
    )
    category = django_filters.ModelChoiceFilter(
        label="类别", field_name="point__category", queryset=PointCategory.objects.all(), empty_label="全部"
    )
    severity = django_filters.ChoiceFilter(label="等级", choices=Severity.choices, empty_label="全部")
    overdue = django_filters.BooleanFilter(label="已逾期", method="filter_overdue")
    is_recurrence = django_filters.BooleanFilter(label="反弹问题")
    has_card = django_filters.BooleanFilter(
        label="已升级督办卡", field_name="supervision_card", lookup_expr="isnull", exclude=True
    )
    found_after = django_filters.DateFilter(label="发现起", field_name="found_at", lookup_expr="date__gte")
    found_before = django_filters.DateFilter(label="发现止", field_name="found_at", lookup_expr="date__lte")
    closed_after = django_filters.DateFilter(label="销号起", field_name="closed_at", lookup_expr="date__gte")
    closed_before = django_filters.DateFilter(label="销号止", field_name="closed_at", lookup_expr="date__lte")
    period = django_filters.CharFilter(
        label="红黑榜周期",
        method="filter_period",
        validators=[validate_period],
        help_text="2022-W34 或 2022-08：该周期内销号、发现或周期末逾期未销号的问题（按期销号率所计的问题）",
    )

    class Meta:
        model = Problem
        fields = ["point", "status", "division", "unit", "category", "severity", "is_recurrence"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(description__icontains=value) | Q(point__name__icontains=value) | Q(point__code__icontains=value)
        )

    def filter_period(self, queryset, name, value):
        from inspections.league import problems_in

        return problems_in(queryset, parse_period(value))

    def filter_overdue(self, queryset, name, value):
        overdue = Q(deadline__lt=timezone.localdate()) & ~Q(status=ProblemStatus.CLOSED)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
