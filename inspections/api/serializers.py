import json

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns import selectors as campaign_selectors
from campaigns.api.fields import ScopedPrimaryKeyRelatedField, StrictPrimaryKeyRelatedField
from campaigns.models import Division, Unit, User
from campaigns.scoping import divisions_visible_to
from campaigns.validators import validate_sane_date
from inspections import selectors
from inspections.models import (
    Inspection,
    InspectionResult,
    InspectionRound,
    Photo,
    Point,
    PointCategory,
    Problem,
    ProblemTransition,
    Standard,
)
from inspections.workflows import PROBLEM_WORKFLOW


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Photo
        fields = ["id", "kind", "original_name", "content_type", "size", "url"]

    def get_url(self, obj) -> str:
        return reverse("inspections-photo", args=[obj.pk])


# --- points and checklists --------------------------------------------------------------------------------------


class PointSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)
    division_name = serializers.CharField(source="division.name", read_only=True)
    responsible_unit_name = serializers.CharField(source="responsible_unit.name", read_only=True)
    latitude = serializers.FloatField(read_only=True, allow_null=True)
    longitude = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Point
        fields = [
            "id",
            "code",
            "name",
            "category",
            "category_name",
            "division",
            "division_name",
            "street",
            "community",
            "address",
            "latitude",
            "longitude",
            "responsible_unit",
            "responsible_unit_name",
            "leader",
            "leader_name",
            "is_active",
            "last_inspected_at",
        ]
        read_only_fields = fields


class PointWriteSerializer(serializers.Serializer):
    """Input of ``POST points/`` and ``PATCH points/{id}/``; the service checks the rest (range, unit, code)."""

    code = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=100)
    category = StrictPrimaryKeyRelatedField(queryset=PointCategory.objects.all())
    division = ScopedPrimaryKeyRelatedField(divisions_visible_to, model=Division)
    responsible_unit = ScopedPrimaryKeyRelatedField(campaign_selectors.units_visible_to, model=Unit)
    street = serializers.CharField(max_length=50, required=False, allow_blank=True)
    community = serializers.CharField(max_length=50, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    leader = ScopedPrimaryKeyRelatedField(
        campaign_selectors.people_visible_to, model=User, required=False, allow_null=True
    )
    leader_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class StandardSerializer(serializers.ModelSerializer):
    weight = serializers.FloatField(read_only=True)

    class Meta:
        model = Standard
        fields = ["id", "code", "aspect", "text", "weight", "indicator", "severity", "position"]
        read_only_fields = fields


class ChecklistSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="name", read_only=True)
    standards = StandardSerializer(many=True, read_only=True)

    class Meta:
        model = PointCategory
        fields = ["id", "category", "position", "standards"]
        read_only_fields = fields


# --- rounds and visits ------------------------------------------------------------------------------------------


class InspectionRoundSerializer(serializers.ModelSerializer):
    point_count = serializers.IntegerField(read_only=True)
    visit_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = InspectionRound
        fields = [
            "id",
            "name",
            "start_date",
            "end_date",
            "supervisors",
            "selection",
            "point_count",
            "visit_count",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class RoundPlanSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    start_date = serializers.DateField(validators=[validate_sane_date])
    end_date = serializers.DateField(validators=[validate_sane_date])
    supervisors = ScopedPrimaryKeyRelatedField(
        campaign_selectors.people_visible_to, model=User, many=True, required=False
    )
    categories = StrictPrimaryKeyRelatedField(queryset=PointCategory.objects.all(), many=True, required=False)
    divisions = ScopedPrimaryKeyRelatedField(divisions_visible_to, model=Division, many=True, required=False)
    sample_per_group = serializers.IntegerField(min_value=1, max_value=1000, required=False, allow_null=True)
    points = ScopedPrimaryKeyRelatedField(selectors.points_visible_to, model=Point, many=True, required=False)


class ResultSerializer(serializers.ModelSerializer):
    passed = serializers.BooleanField(
        read_only=True, allow_null=True, help_text="true 达标 / false 不达标 / null 不适用"
    )
    weight = serializers.FloatField(read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = InspectionResult
        fields = [
            "standard",
            "standard_code",
            "standard_text",
            "aspect",
            "weight",
            "passed",
            "note",
            "problem",
            "photos",
        ]
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer):
    point_name = serializers.CharField(source="point.name", read_only=True)
    division_name = serializers.CharField(source="division.name", read_only=True)
    inspector_name = serializers.StringRelatedField(source="inspector", read_only=True)
    score_rate = serializers.FloatField(read_only=True, allow_null=True, help_text="得分率（%），无适用项时为 null")
    results = ResultSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "point",
            "point_name",
            "round",
            "division",
            "division_name",
            "inspector",
            "inspector_name",
            "inspected_at",
            "note",
            "score_rate",
            "results",
        ]
        read_only_fields = fields


class ResultInputSerializer(serializers.Serializer):
    standard = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    passed = serializers.BooleanField(allow_null=True, help_text="true 达标 / false 不达标 / null 不适用")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


@extend_schema_field(ResultInputSerializer(many=True))
class ResultsField(serializers.Field):
    """The visit's results: a JSON list, or (in a multipart upload with photos) that list as a JSON string."""

    default_error_messages = {"invalid": "测评结果应为列表，每项含 standard、passed、note。"}

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError:
                self.fail("invalid")
        if not isinstance(data, list) or not data:
            self.fail("invalid")
        rows = ResultInputSerializer(data=data, many=True)
        if not rows.is_valid():
            raise serializers.ValidationError(rows.errors)
        return [dict(row) for row in rows.validated_data]

    def to_representation(self, value):
        return value


class InspectionRecordSerializer(serializers.Serializer):
    """Input of ``POST inspections/``. Photos of a standard go in a multipart upload as ``photos_<standard id>``."""

    point = ScopedPrimaryKeyRelatedField(selectors.points_visible_to, model=Point)
    round = ScopedPrimaryKeyRelatedField(
        selectors.rounds_visible_to, model=InspectionRound, required=False, allow_null=True
    )
    results = ResultsField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    inspected_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    client_key = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=64, default=None)


# --- problems ---------------------------------------------------------------------------------------------------


class ProblemTransitionSerializer(serializers.ModelSerializer):
    actor_name = serializers.StringRelatedField(source="actor", read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = ProblemTransition
        fields = ["id", "action", "from_status", "to_status", "actor", "actor_name", "at", "note", "photos"]
        read_only_fields = fields


class ProblemSerializer(serializers.ModelSerializer):
    point_name = serializers.CharField(source="point.name", read_only=True)
    standard_code = serializers.CharField(source="standard.code", read_only=True)
    standard_text = serializers.CharField(source="standard.text", read_only=True)
    division_name = serializers.CharField(source="division.name", read_only=True)
    responsible_unit_name = serializers.CharField(source="responsible_unit.name", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    days_overdue = serializers.IntegerField(read_only=True)
    supervision_card_number = serializers.CharField(
        source="supervision_card.number", read_only=True, default=None, allow_null=True
    )
    transitions = ProblemTransitionSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Problem
        fields = [
            "id",
            "point",
            "point_name",
            "standard",
            "standard_code",
            "standard_text",
            "description",
            "severity",
            "status",
            "responsible_unit",
            "responsible_unit_name",
            "division",
            "division_name",
            "found_by",
            "found_at",
            "occurrences",
            "last_found_at",
            "deadline",
            "is_overdue",
            "days_overdue",
            "dispatched_at",
            "rectified_by",
            "rectified_at",
            "closed_at",
            "rework_count",
            "is_recurrence",
            "recurrence_of",
            "supervision_card",
            "supervision_card_number",
            "transitions",
            "allowed_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, obj) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        return [move.action for move in PROBLEM_WORKFLOW.allowed_actions(request.user, obj)]


class ProblemCreateSerializer(serializers.Serializer):
    point = ScopedPrimaryKeyRelatedField(selectors.points_visible_to, model=Point)
    standard = StrictPrimaryKeyRelatedField(queryset=Standard.objects.all())
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    photos = serializers.ListField(child=serializers.FileField(allow_empty_file=True), required=False)


class DispatchSerializer(serializers.Serializer):
    responsible_unit = ScopedPrimaryKeyRelatedField(
        campaign_selectors.units_visible_to, model=Unit, required=False, allow_null=True
    )
    deadline = serializers.DateField(
        required=False, allow_null=True, validators=[validate_sane_date], help_text="不填则按问题等级的整改时限"
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class RectifySerializer(serializers.Serializer):
    feedback = serializers.CharField(max_length=5000)
    photos = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True), required=False, help_text="整改后照片"
    )


class RecheckSerializer(serializers.Serializer):
    approved = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class RaiseCardSerializer(serializers.Serializer):
    deadline = serializers.DateField(required=False, allow_null=True, validators=[validate_sane_date])
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    requirement = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
