"""The shapes of ``dashboard/summary/`` and ``dashboard/districts/``, for the schema (API.md, "Dashboard summary").

Rates are percentages with one decimal; a rate with nothing to divide by yet is ``null`` in the district table.
"""

from rest_framework import serializers


def _rate(**kwargs):
    return serializers.FloatField(help_text="百分比，一位小数", **kwargs)


class VolunteerFiguresSerializer(serializers.Serializer):
    registered = serializers.IntegerField()
    with_service_hours = serializers.IntegerField()
    activity_rate = _rate()
    teams = serializers.IntegerField()
    projects = serializers.IntegerField()
    satisfaction_rate = _rate()


class PracticeSiteFiguresSerializer(serializers.Serializer):
    centre = serializers.IntegerField()
    institute = serializers.IntegerField()
    station = serializers.IntegerField()


class SupervisionCardFiguresSerializer(serializers.Serializer):
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    closed = serializers.IntegerField()
    on_time_rate = _rate()


class ReportFiguresSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="本周应报的周报所总结的 ISO 周，如 2022-W34")
    expected = serializers.IntegerField()
    submitted = serializers.IntegerField()
    late = serializers.IntegerField()
    missing = serializers.IntegerField()


class ProblemFiguresSerializer(serializers.Serializer):
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    closed = serializers.IntegerField()
    on_time_closure_rate = _rate()


class InspectionFiguresSerializer(serializers.Serializer):
    score_rate = _rate(allow_null=True)


class DashboardSummarySerializer(serializers.Serializer):
    """Each part comes from the app that owns the figures; ``problems`` and ``inspections`` once that app gives them."""

    volunteers = VolunteerFiguresSerializer()
    practice_sites = PracticeSiteFiguresSerializer()
    supervision_cards = SupervisionCardFiguresSerializer()
    reports = ReportFiguresSerializer()
    problems = ProblemFiguresSerializer(required=False)
    inspections = InspectionFiguresSerializer(required=False)


class _Rate(serializers.FloatField):
    """A percentage with one decimal (50.3 means 50.3 %)."""


class DistrictRowSerializer(serializers.Serializer):
    """One division's row of the league table."""

    division = serializers.IntegerField(help_text="区县 id")
    division_name = serializers.CharField()
    division_code = serializers.CharField()
    score_rate = _Rate(allow_null=True, help_text="测评得分率（%）；该区县（该周期）尚无测评记录时为 null")
    on_time_closure_rate = _Rate(
        allow_null=True, help_text="问题按期销号率 = 按期销号 ÷（已销号 + 逾期未销号）（%）；尚无问题时为 null"
    )
    supervision_on_time_rate = _Rate(allow_null=True, help_text="督办卡按期办结率（%）；尚无办结或逾期的卡时为 null")
    report_punctuality = _Rate(allow_null=True, help_text="报告按时率（%）；尚无到期报告时为 null")
    activity_rate = _Rate(allow_null=True, help_text="志愿者活跃度（%），按当前数据；尚无注册志愿者时为 null")
    supervision_overdue = serializers.IntegerField(help_text="逾期未办结督办卡")
    visits = serializers.IntegerField(help_text="测评次数（该周期）")
    problems_open = serializers.IntegerField(help_text="未销号问题（周期末）")
    problems_overdue = serializers.IntegerField(help_text="逾期未销号问题（周期末）")
    rank = serializers.IntegerField(help_text="名次，1 为最好；各项比率平均值相同者名次相同")
    previous_rank = serializers.IntegerField(
        required=False, allow_null=True, help_text="上一周期（同为周或月）的名次；仅带 ?period= 时出现"
    )
    movement = serializers.IntegerField(
        required=False, allow_null=True, help_text="名次变化 = previous_rank − rank（正数为上升）；仅带 ?period= 时出现"
    )


class CockpitFigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.FloatField(
        allow_null=True, help_text="数值；比率为百分数（一位小数）；尚无可计算的数据时为 null"
    )
    previous = serializers.FloatField(allow_null=True, help_text="一周前的同一数字；未保留历史的数字为 null")
    change = serializers.FloatField(allow_null=True, help_text="较上周的变化 = value − previous")
    unit = serializers.CharField(allow_blank=True, help_text="% 或空")
    better = serializers.ChoiceField(choices=["up", "down"], help_text="up：上升为好；down：上升为坏")
    url = serializers.CharField(help_text="该数字背后的记录：带筛选条件的列表页")


class CockpitDatasetSerializer(serializers.Serializer):
    label = serializers.CharField()
    data = serializers.ListField(child=serializers.FloatField(allow_null=True))
    backgroundColor = serializers.CharField(required=False)  # noqa: N815 — the portal's chart JSON


class CockpitChartSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=["bar", "stacked", "hbar", "line", "doughnut"])
    labels = serializers.ListField(child=serializers.CharField())
    datasets = CockpitDatasetSerializer(many=True)
    max = serializers.FloatField(allow_null=True)
    url = serializers.CharField()


class CockpitTodoItemSerializer(serializers.Serializer):
    label = serializers.CharField()
    note = serializers.CharField(allow_blank=True)
    url = serializers.CharField()


class CockpitTodoSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    count = serializers.IntegerField()
    items = CockpitTodoItemSerializer(many=True, help_text="最早到期的前几条；url 打开全部")
    url = serializers.CharField()


class CockpitLeagueRowSerializer(serializers.Serializer):
    division = serializers.IntegerField()
    division_name = serializers.CharField()
    rank = serializers.IntegerField()
    previous_rank = serializers.IntegerField(allow_null=True)
    movement = serializers.IntegerField(allow_null=True, help_text="名次变化 = previous_rank − rank（正数为上升）")
    score_rate = _Rate(allow_null=True)
    on_time_closure_rate = _Rate(allow_null=True)
    report_punctuality = _Rate(allow_null=True)
    supervision_on_time_rate = _Rate(allow_null=True)
    activity_rate = _Rate(allow_null=True)


class CockpitLeagueSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="本周 ISO 周，如 2022-W34")
    period_display = serializers.CharField()
    rows = CockpitLeagueRowSerializer(many=True)


class CockpitScopeSerializer(serializers.Serializer):
    division = serializers.IntegerField(allow_null=True, help_text="区县 id；全市为 null")
    leader = serializers.IntegerField(allow_null=True, help_text="市领导本人的分管领域时为其用户 id，否则为 null")
    name = serializers.CharField()


class CockpitSerializer(serializers.Serializer):
    """The cockpit (驾驶舱) and its command-room screen (大屏): figures with the change since last week, charts, to-do
    lists and the league table with rank movement."""

    scope = CockpitScopeSerializer()
    as_of = serializers.DateTimeField()
    figures = CockpitFigureSerializer(many=True)
    charts = CockpitChartSerializer(many=True)
    todo = CockpitTodoSerializer(many=True)
    league = CockpitLeagueSerializer()
