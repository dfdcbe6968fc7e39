import django_filters
from django.db.models import Q
from django.utils import timezone

from campaigns.choices import TaskStatus, UnitKind
from campaigns.filters import IdFilter
from campaigns.models import Division, ImprovementAction, Task, Unit, User


class TaskFilterSet(django_filters.FilterSet):
    """The battle map's filters, shared by the page and ``/api/v1/tasks/``."""

    q = django_filters.CharFilter(label="关键词", method="filter_q")
    action = django_filters.ModelChoiceFilter(
        label="提升行动", queryset=ImprovementAction.objects.all(), empty_label="全部行动"
    )
    lead_unit = django_filters.ModelChoiceFilter(
        label="牵头单位", queryset=Unit.objects.filter(led_tasks__isnull=False).distinct(), empty_label="全部单位"
    )
    unit = IdFilter(label="涉及单位", method="filter_unit")
    division = django_filters.ModelChoiceFilter(
        label="区县", queryset=Division.objects.all(), field_name="lead_unit__division"
    )
    owner = django_filters.ModelChoiceFilter(
        label="责任人", queryset=User.objects.filter(owned_tasks__isnull=False).distinct(), empty_label="全部责任人"
    )
    status = django_filters.ChoiceFilter(label="状态", choices=TaskStatus.choices, empty_label="全部状态")
    overdue = django_filters.BooleanFilter(label="已逾期", method="filter_overdue")
    deadline_after = django_filters.DateFilter(label="时限起", field_name="deadline", lookup_expr="gte")
    deadline_before = django_filters.DateFilter(label="时限止", field_name="deadline", lookup_expr="lte")

    class Meta:
        model = Task
        fields = ["action", "lead_unit", "division", "owner", "status"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def filter_unit(self, queryset, name, value: int):
        """Tasks the unit leads or works on as a co-unit."""
        co = Task.co_units.through.objects.filter(unit_id=value).values("task_id")
        return queryset.filter(Q(lead_unit_id=value) | Q(pk__in=co))

    def filter_overdue(self, queryset, name, value):
        overdue = Q(deadline__lt=timezone.localdate()) & ~Q(status=TaskStatus.DONE)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class UnitFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label="类型", choices=UnitKind.choices)
    division = django_filters.ModelChoiceFilter(label="区县", queryset=Division.objects.all())
    parent = IdFilter(label="上级单位", field_name="parent_id")

    class Meta:
        model = Unit
        fields = ["kind", "division", "parent"]
