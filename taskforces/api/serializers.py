from rest_framework import serializers

from campaigns import selectors as campaign_selectors
from campaigns.api.fields import ScopedPrimaryKeyRelatedField
from campaigns.api.serializers import AllowedActionsField
from campaigns.models import Task, Unit, User
from taskforces.models import ReminderCard, Report, ReportAttachment, ReportTransition, TaskForce, TaskForceGroup
from taskforces.workflows import REPORT_WORKFLOW


class TaskForceGroupSerializer(serializers.ModelSerializer):
    leader_name = serializers.CharField(source="leader", default=None, read_only=True)

    class Meta:
        model = TaskForceGroup
        fields = ["id", "name", "responsibility", "leader", "leader_name", "members"]


class TaskForceSerializer(serializers.ModelSerializer):
    leader_name = serializers.CharField(source="leader", default=None, read_only=True)
    groups = TaskForceGroupSerializer(many=True, read_only=True)

    class Meta:
        model = TaskForce
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "field",
            "leader",
            "leader_name",
            "members",
            "liaison_divisions",
            "groups",
        ]


class GuidanceSerializer(serializers.Serializer):
    """The structured guidance manual: lists of text items, and the plan tasks (ids) the holder answers for."""

    supervision_items = serializers.ListField(child=serializers.CharField(max_length=500), required=False)
    portfolio = serializers.ListField(child=serializers.CharField(max_length=500), required=False)
    tasks = ScopedPrimaryKeyRelatedField(campaign_selectors.tasks_visible_to, model=Task, many=True, required=False)
    department_duties = serializers.ListField(child=serializers.CharField(max_length=500), required=False)
    points = serializers.ListField(child=serializers.CharField(max_length=500), required=False)
    outstanding_problems = serializers.ListField(child=serializers.CharField(max_length=500), required=False)
    hidden_risks = serializers.ListField(child=serializers.CharField(max_length=500), required=False)


class ReminderCardSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    recipient_unit = ScopedPrimaryKeyRelatedField(
        campaign_selectors.units_visible_to, model=Unit, required=False, allow_null=True
    )
    recipient_unit_name = serializers.CharField(source="recipient_unit.name", default=None, read_only=True)
    recipient_leader = ScopedPrimaryKeyRelatedField(
        campaign_selectors.leaders_visible_to, model=User, required=False, allow_null=True
    )
    recipient_leader_name = serializers.CharField(source="recipient_leader", default=None, read_only=True)
    division = serializers.IntegerField(source="recipient_unit.division_id", default=None, read_only=True)
    guidance = GuidanceSerializer(required=False)
    issued_by = serializers.PrimaryKeyRelatedField(read_only=True)
    issued_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = ReminderCard
        fields = [
            "id",
            "number",
            "title",
            "recipient_unit",
            "recipient_unit_name",
            "recipient_leader",
            "recipient_leader_name",
            "division",
            "guidance",
            "issued_by",
            "issued_at",
            "active",
        ]
        read_only_fields = ["active"]


class ReportTransitionSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor", default=None, read_only=True)

    class Meta:
        model = ReportTransition
        fields = ["action", "from_status", "to_status", "actor", "actor_name", "at", "note"]


class ReportAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportAttachment
        fields = ["id", "name", "uploaded_at"]


class FigureSerializer(serializers.Serializer):
    task = serializers.IntegerField(required=False, allow_null=True)
    value = serializers.FloatField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ReportSerializer(serializers.ModelSerializer):
    """Read: the report with its history. Write (PATCH): the holder's draft fields only."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    leader_name = serializers.CharField(source="leader", default=None, read_only=True)
    division = serializers.IntegerField(source="unit.division_id", read_only=True)
    is_missing = serializers.BooleanField(read_only=True)
    figures = FigureSerializer(many=True, required=False)
    transitions = ReportTransitionSerializer(many=True, read_only=True)
    attachments = ReportAttachmentSerializer(many=True, read_only=True)
    allowed_actions = AllowedActionsField(REPORT_WORKFLOW)

    class Meta:
        model = Report
        fields = [
            "id",
            "unit",
            "unit_name",
            "leader",
            "leader_name",
            "division",
            "kind",
            "period",
            "due_at",
            "status",
            "submitted_at",
            "submitted_by",
            "is_late",
            "is_missing",
            "summary",
            "figures",
            "problems",
            "next_plan",
            "transitions",
            "attachments",
            "allowed_actions",
        ]
        read_only_fields = [
            "unit",
            "leader",
            "kind",
            "period",
            "due_at",
            "status",
            "submitted_at",
            "submitted_by",
            "is_late",
        ]


class ReportOpenSerializer(serializers.Serializer):
    """POST reports/: headquarters opens one expected slot by hand."""

    unit = ScopedPrimaryKeyRelatedField(
        campaign_selectors.units_visible_to, model=Unit, required=False, allow_null=True
    )
    leader = ScopedPrimaryKeyRelatedField(
        campaign_selectors.leaders_visible_to, model=User, required=False, allow_null=True
    )
    kind = serializers.ChoiceField(choices=["weekly", "monthly"])
    period = serializers.CharField(max_length=10)

    def validate(self, attrs):
        if not attrs.get("unit") and not attrs.get("leader"):
            raise serializers.ValidationError({"unit": ["请指定报送单位或市领导。"]})
        return attrs


class ReportSubmitSerializer(serializers.Serializer):
    summary = serializers.CharField(required=False, allow_blank=True)
    figures = FigureSerializer(many=True, required=False)
    problems = serializers.CharField(required=False, allow_blank=True)
    next_plan = serializers.CharField(required=False, allow_blank=True)


class ReportAcceptSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ReportReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
