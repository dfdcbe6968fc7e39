from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns import selectors
from campaigns.api.fields import ScopedPrimaryKeyRelatedField
from campaigns.models import Division, ImprovementAction, Task, ThematicActivity, Unit, User
from campaigns.validators import validate_sane_date
from campaigns.workflows import TASK_WORKFLOW


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class AllowedActionsField(serializers.Field):
    """The actions the requesting user may take on the object now, read from its workflow's declaration — the same
    list the page draws its buttons from (``Workflow.allowed_actions``)."""

    def __init__(self, workflow, **kwargs):
        kwargs.update(read_only=True, source="*")
        kwargs.setdefault("help_text", "当前用户现在可以执行的操作")
        super().__init__(**kwargs)
        self.workflow = workflow

    def to_representation(self, obj) -> list[str]:
        request = self.context.get("request")
        return [move.action for move in self.workflow.allowed_actions(getattr(request, "user", None), obj)]


class LinkedRecordSerializer(serializers.Serializer):
    """关联到本记录的另一模块的一条记录（campaigns/registry.py ``LinkedRecords``）。"""

    id = serializers.IntegerField()
    label = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField()
    url = serializers.CharField(help_text="该记录的页面")


@extend_schema_field(
    serializers.DictField(
        child=LinkedRecordSerializer(many=True),
        help_text="其他模块关联到本记录的记录，按类别（如 problems：由点位测评问题升级而来的问题）",
    )
)
class LinkedRecordsField(serializers.Field):
    """The records other apps link to this one, by the registry's ``LinkedRecords``: ``{"problems": [...]}``, only
    those the requesting user may see. The record's app names no other app."""

    def __init__(self, model_label: str, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)
        self.model_label = model_label

    def to_representation(self, obj) -> dict:
        from campaigns.registry import linked_records_for

        user = getattr(self.context.get("request"), "user", None)
        return {link.name: link.rows(obj, user) for link in linked_records_for(self.model_label)}


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


class TaskMoveSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TaskSerializer(serializers.ModelSerializer):
    """Validates input and renders output; the writes themselves go through campaigns.services."""

    action_name = serializers.CharField(source="action.name", read_only=True)
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True)
    owner_name = serializers.StringRelatedField(source="owner", read_only=True)
    division = serializers.IntegerField(source="lead_unit.division_id", read_only=True)
    progress = serializers.FloatField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    action = ScopedPrimaryKeyRelatedField(selectors.actions_visible_to, model=ImprovementAction)
    activity = ScopedPrimaryKeyRelatedField(
        selectors.activities_visible_to, model=ThematicActivity, required=False, allow_null=True
    )
    lead_unit = ScopedPrimaryKeyRelatedField(selectors.units_visible_to, model=Unit)
    co_units = ScopedPrimaryKeyRelatedField(selectors.units_visible_to, model=Unit, many=True, required=False)
    owner = ScopedPrimaryKeyRelatedField(selectors.people_visible_to, model=User, required=False, allow_null=True)
    status = serializers.CharField(
        read_only=True,
        help_text="not_started 未开始 / in_progress 推进中 / done 已完成：随完成值变化，指挥部可办结（close）或重新打开（reopen）",
    )
    allowed_actions = AllowedActionsField(TASK_WORKFLOW)

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
            "allowed_actions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {
            "done": {"min_value": Decimal("0")},
            "target": {"min_value": Decimal("0.01")},
            "deadline": {"validators": [validate_sane_date]},
        }


class BulkSelectionSerializer(serializers.Serializer):
    """The rows a bulk action is asked for (``campaigns.bulk``)."""

    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        allow_empty=False,
        max_length=200,
        error_messages={"empty": "请至少选择一条记录。", "max_length": "一次最多处理 200 条。"},
    )


class BulkRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()


class BulkRefusedRowSerializer(BulkRowSerializer):
    detail = serializers.CharField(help_text="未能处理的原因")


class BulkResultSerializer(serializers.Serializer):
    """What a bulk action did and what it refused, row by row."""

    done = BulkRowSerializer(many=True)
    refused = BulkRefusedRowSerializer(many=True)
