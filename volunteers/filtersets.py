"""One FilterSet per listable model, shared by the HTML lists and the API."""

import django_filters
from django.db.models import Q

from campaigns.filtersets import IdFilter, PortalFilterSet
from campaigns.models import Division
from volunteers import privacy
from volunteers.choices import Gender, RecordStatus, SiteLevel, TeamLevel
from volunteers.models import PracticeSite, ServiceProject, ServiceRecord, Volunteer, VolunteerTeam

STAR_CHOICES = [(0, "未评星"), (1, "一星"), (2, "二星"), (3, "三星"), (4, "四星"), (5, "五星")]


class PracticeSiteFilterSet(PortalFilterSet):
    search_fields = ("name",)
    level = django_filters.ChoiceFilter(label="层级", choices=SiteLevel.choices, empty_label="全部层级")
    division = django_filters.ModelChoiceFilter(label="区县", queryset=Division.objects.all(), empty_label="全部区县")
    parent = IdFilter(label="上级阵地", field_name="parent_id")

    class Meta:
        model = PracticeSite
        fields = ["level", "division", "parent"]


class VolunteerTeamFilterSet(PortalFilterSet):
    search_fields = ("name",)
    export_columns = (
        ("服务队", lambda t, user: t.name),
        ("级别", lambda t, user: t.get_level_display()),
        ("区县", lambda t, user: t.division.name),
        ("实践阵地", lambda t, user: str(t.practice_site or "")),
        ("队长", lambda t, user: t.leader_name),
        ("队员数", lambda t, user: t.members_count),
    )
    division = django_filters.ModelChoiceFilter(label="区县", queryset=Division.objects.all(), empty_label="全部区县")
    level = django_filters.ChoiceFilter(label="级别", choices=TeamLevel.choices, empty_label="全部级别")
    practice_site = IdFilter(label="实践阵地", field_name="practice_site_id")

    class Meta:
        model = VolunteerTeam
        fields = ["division", "level", "practice_site"]


class VolunteerFilterSet(PortalFilterSet):
    """``search`` matches the start of the name or the volunteer number (both indexed with LIKE 'x%' indexes)."""

    search = django_filters.CharFilter(label="姓名/编号", method="filter_search")
    # Masked for everyone; the logged unmasked export (volunteers.views.volunteer_export_unmasked) passes revealed.
    export_options = frozenset({"revealed"})
    export_columns = (
        ("志愿者编号", lambda v, user, **o: v.volunteer_no),
        ("姓名", lambda v, user, **o: v.name),
        ("性别", lambda v, user, **o: v.get_gender_display()),
        ("区县", lambda v, user, **o: v.division.name),
        ("身份证号", lambda v, user, **o: privacy.shown_id_number(user, v, **o)),
        ("手机号", lambda v, user, **o: privacy.shown_phone(user, v, **o)),
        ("注册日期", lambda v, user, **o: v.registered_at),
        ("累计时长", lambda v, user, **o: float(v.confirmed_hours)),
        ("星级", lambda v, user, **o: v.star),
    )
    division = django_filters.ModelChoiceFilter(label="区县", queryset=Division.objects.all(), empty_label="全部区县")
    team = IdFilter(label="服务队", method="filter_team")
    star = django_filters.ChoiceFilter(label="星级", field_name="star", choices=STAR_CHOICES, empty_label="全部星级")
    star_min = django_filters.NumberFilter(label="最低星级", field_name="star", lookup_expr="gte")
    gender = django_filters.ChoiceFilter(label="性别", choices=Gender.choices, empty_label="全部")
    active = django_filters.ChoiceFilter(
        label="有服务时长", choices=[("true", "有"), ("false", "无")], empty_label="全部", method="filter_active"
    )
    registered_after = django_filters.DateFilter(label="注册起", field_name="registered_at", lookup_expr="gte")
    registered_before = django_filters.DateFilter(label="注册止", field_name="registered_at", lookup_expr="lte")

    class Meta:
        model = Volunteer
        fields = ["division", "star", "gender"]

    def filter_search(self, queryset, name, value):
        value = value.replace("\x00", "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__startswith=value) | Q(volunteer_no__startswith=value.upper()))

    def filter_team(self, queryset, name, value):
        return queryset.filter(memberships__team_id=value)

    def filter_active(self, queryset, name, value: str):
        return queryset.filter(confirmed_hours__gt=0) if value == "true" else queryset.filter(confirmed_hours=0)


class ServiceProjectFilterSet(PortalFilterSet):
    search_fields = ("title",)
    division = django_filters.ModelChoiceFilter(label="区县", queryset=Division.objects.all(), empty_label="全部区县")
    team = IdFilter(label="服务队", field_name="team_id")

    class Meta:
        model = ServiceProject
        fields = ["division", "team"]


class ServiceRecordFilterSet(PortalFilterSet):
    export_columns = (
        ("志愿者编号", lambda r, user: r.volunteer.volunteer_no),
        ("姓名", lambda r, user: r.volunteer.name),
        ("项目", lambda r, user: r.project.title),
        ("日期", lambda r, user: r.date),
        ("开始", lambda r, user: str(r.start_time)),
        ("结束", lambda r, user: str(r.end_time)),
        ("时长", lambda r, user: float(r.hours)),
        ("状态", lambda r, user: r.get_status_display()),
    )

    status = django_filters.ChoiceFilter(label="状态", choices=RecordStatus.choices, empty_label="全部状态")
    division = django_filters.ModelChoiceFilter(label="区县", queryset=Division.objects.all(), empty_label="全部区县")
    volunteer = IdFilter(label="志愿者", field_name="volunteer_id")
    project = IdFilter(label="项目", field_name="project_id")
    team = IdFilter(label="服务队", field_name="project__team_id")
    date_after = django_filters.DateFilter(label="日期起", field_name="date", lookup_expr="gte")
    date_before = django_filters.DateFilter(label="日期止", field_name="date", lookup_expr="lte")

    class Meta:
        model = ServiceRecord
        fields = ["status", "division", "volunteer", "project"]
