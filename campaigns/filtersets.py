from collections.abc import Callable, Iterator

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from campaigns.choices import TaskStatus, UnitKind
from campaigns.models import Division, ImprovementAction, Task, ThematicActivity, Unit, User


class IdFilter(django_filters.NumberFilter):
    """An id in a query (``?unit=22``): an integer, so ``22.5`` is a 400 rather than unit 22."""

    field_class = forms.IntegerField


class PortalFilterSet(django_filters.FilterSet):
    """One FilterSet per listable model serves its page and its API alike (NetBox's habit).

    ``?search=`` is every list's one text search (API.md): a FilterSet names the fields it matches in
    ``search_fields`` (case-insensitive contains), or overrides :meth:`filter_search` for a faster rule.
    """

    search = django_filters.CharFilter(label="关键词", method="filter_search")
    search_fields: tuple[str, ...] = ()
    #: the list's ``.xlsx`` export, once per model: (column header, ``value(obj, user)``)
    export_columns: tuple[tuple[str, Callable], ...] = ()
    #: the keyword options every export column of this FilterSet accepts
    export_options: frozenset[str] = frozenset()

    def export_table(self, user, **options) -> tuple[list[str], Iterator[tuple]]:
        """Headers and rows of the filtered list's export, streamed in chunks. ``options`` (``revealed=True`` for the
        logged unmasked export) reach the columns that take them (:attr:`export_options`)."""
        headers = [header for header, _value in self.export_columns]
        options = {key: value for key, value in options.items() if key in self.export_options}
        rows = (
            tuple(value(obj, user, **options) for _header, value in self.export_columns)
            for obj in self.qs.iterator(chunk_size=2000)
        )
        return headers, rows

    def filter_search(self, queryset, name, value):
        value = value.replace("\x00", "").strip()
        if not value or not self.search_fields:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


class DivisionFilterSet(PortalFilterSet):
    search_fields = ("name", "code", "pinyin")

    class Meta:
        model = Division
        fields = ["kind", "code"]


class TaskFilterSet(PortalFilterSet):
    """The battle map's filters, shared by the page and ``/api/v1/tasks/``."""

    search_fields = ("title", "description")
    action = django_filters.ModelChoiceFilter(
        label="提升行动", queryset=ImprovementAction.objects.all(), empty_label="全部行动"
    )
    activity = django_filters.ModelChoiceFilter(
        label="主题活动", queryset=ThematicActivity.objects.all(), empty_label="全部活动"
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

    export_columns = (
        ("任务", lambda t, user: t.title),
        ("提升行动", lambda t, user: str(t.action)),
        ("主题活动", lambda t, user: str(t.activity) if t.activity_id else ""),
        ("牵头单位", lambda t, user: t.lead_unit.name),
        ("区县", lambda t, user: t.lead_unit.division.name if t.lead_unit.division_id else ""),
        ("配合单位", lambda t, user: "、".join(unit.name for unit in t.co_units.all())),
        ("责任人", lambda t, user: str(t.owner) if t.owner_id else ""),
        ("完成时限", lambda t, user: t.deadline),
        ("目标值", lambda t, user: t.target),
        ("完成值", lambda t, user: t.done),
        ("计量单位", lambda t, user: t.measure),
        ("进度（%）", lambda t, user: t.progress),
        ("状态", lambda t, user: t.get_status_display()),
        ("逾期", lambda t, user: "是" if t.is_overdue else ""),
    )

    class Meta:
        model = Task
        fields = ["action", "activity", "lead_unit", "division", "owner", "status"]

    def filter_unit(self, queryset, name, value: int):
        """Tasks the unit leads or works on as a co-unit."""
        co = Task.co_units.through.objects.filter(unit_id=value).values("task_id")
        return queryset.filter(Q(lead_unit_id=value) | Q(pk__in=co))

    def filter_overdue(self, queryset, name, value):
        overdue = Q(deadline__lt=timezone.localdate()) & ~Q(status=TaskStatus.DONE)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class UnitFilterSet(PortalFilterSet):
    search_fields = ("name", "short_name")
    kind = django_filters.ChoiceFilter(label="类型", choices=UnitKind.choices)
    division = django_filters.ModelChoiceFilter(label="区县", queryset=Division.objects.all())
    parent = IdFilter(label="上级单位", field_name="parent_id")

    class Meta:
        model = Unit
        fields = ["kind", "division", "parent"]
