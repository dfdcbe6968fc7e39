from decimal import Decimal

from rest_framework import serializers

from campaigns.api.fields import StrictPrimaryKeyRelatedField
from campaigns.models import Division, ImprovementAction, Task, Unit, User
from campaigns.validators import validate_sane_date


class MeSerializer(serializers.ModelSerializer):
    division = serializers.SerializerMethodField()
    unit_name = serializers.CharField(source="unit.name", default=None, read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "role", "role_display", "unit", "unit_name", "division"]

    def get_division(self, user) -> int | None:
        return user.division_id


class DivisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Division
        fields = ["id", "code", "name", "pinyin", "kind", "urban"]


class UnitSerializer(serializers.ModelSerializer):
    division_name = serializers.CharField(source="division.name", default=None, read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "short_name", "kind", "division", "division_name", "parent", "leader_name"]


class ImprovementActionSerializer(serializers.ModelSerializer):
    lead_unit_name = serializers.CharField(source="lead_unit.name", default=None, read_only=True)
    progress = serializers.FloatField(read_only=True)
    task_count = serializers.IntegerField(read_only=True)
    overdue_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ImprovementAction
        fields = ["id", "no", "name", "lead_unit", "lead_unit_name", "progress", "task_count", "overdue_count"]


class TaskSerializer(serializers.ModelSerializer):
    """Validates input and renders output; the writes themselves go through campaigns.services."""

    action_name = serializers.CharField(source="action.name", read_only=True)
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True)
    owner_name = serializers.StringRelatedField(source="owner", read_only=True)
    division = serializers.IntegerField(source="lead_unit.division_id", read_only=True)
    progress = serializers.FloatField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    co_units = StrictPrimaryKeyRelatedField(many=True, queryset=Unit.objects.all(), required=False)
    serializer_related_field = StrictPrimaryKeyRelatedField  # lead_unit, action, owner: ids, never truncated

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "description",
            "action",
            "action_name",
            "activity",
            "lead_unit",
            "lead_unit_name",
            "co_units",
            "owner",
            "owner_name",
            "division",
            "deadline",
            "target",
            "done",
            "measure",
            "status",
            "progress",
            "is_overdue",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {
            "done": {"min_value": Decimal("0")},
            "target": {"min_value": Decimal("0.01")},
            "deadline": {"validators": [validate_sane_date]},
        }
