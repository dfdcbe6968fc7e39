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


class DistrictRowSerializer(serializers.Serializer):
    """One division's row of the league table, best first; ``null``: no records to compute that rate from yet."""

    division = serializers.IntegerField()
    division_name = serializers.CharField()
    division_code = serializers.CharField()
    score_rate = _rate(allow_null=True)
    on_time_closure_rate = _rate(allow_null=True)
    supervision_on_time_rate = _rate(allow_null=True)
    supervision_overdue = serializers.IntegerField()
    report_punctuality = _rate(allow_null=True)
    activity_rate = _rate(allow_null=True)
    rank = serializers.IntegerField(help_text="名次，1 为最好；平均率相同者名次相同")
