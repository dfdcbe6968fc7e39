from django.urls import reverse
from rest_framework import serializers

from campaigns import selectors as campaign_selectors
from campaigns.api.fields import ScopedPrimaryKeyRelatedField
from campaigns.api.serializers import AllowedActionsField, LinkedRecordsField
from campaigns.models import Unit, User
from campaigns.validators import validate_sane_date
from supervision.choices import CardSource
from supervision.models import CardAttachment, CardTransition, ExtensionRequest, SupervisionCard
from supervision.workflows import EXTENSION_WORKFLOW, SUPERVISION_CARD_WORKFLOW


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = CardAttachment
        fields = ["id", "kind", "original_name", "content_type", "size", "url"]

    def get_url(self, obj) -> str:
        return reverse("supervision-attachment", args=[obj.pk])


class TransitionSerializer(serializers.ModelSerializer):
    # Plain strings in the schema: the card's status enum is documented once, on the card's ``status``.
    from_status = serializers.CharField(read_only=True, help_text="原状态（下发时为空）")
    to_status = serializers.CharField(read_only=True, help_text="新状态")
    actor_name = serializers.StringRelatedField(source="actor", read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = CardTransition
        fields = ["id", "action", "from_status", "to_status", "actor", "actor_name", "at", "note", "attachments"]


class ExtensionSerializer(serializers.ModelSerializer):
    requested_by_name = serializers.StringRelatedField(source="requested_by", read_only=True)
    status = serializers.CharField(read_only=True, help_text="pending 待审批 / approved 已批准 / refused 未批准")
    allowed_actions = AllowedActionsField(EXTENSION_WORKFLOW)

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "requested_by",
            "requested_by_name",
            "requested_at",
            "reason",
            "old_deadline",
            "new_deadline",
            "status",
            "decided_by",
            "decided_at",
            "comment",
            "allowed_actions",
        ]


class SupervisionCardSerializer(serializers.ModelSerializer):
    issued_by_name = serializers.StringRelatedField(source="issued_by", read_only=True)
    assignee_unit_name = serializers.CharField(source="assignee_unit.name", read_only=True)
    division_name = serializers.CharField(source="division.name", read_only=True, default=None)
    is_overdue = serializers.BooleanField(read_only=True)
    days_overdue = serializers.IntegerField(read_only=True)
    flagged = serializers.SerializerMethodField()
    listed_for_circular = serializers.SerializerMethodField()
    transitions = TransitionSerializer(many=True, read_only=True)
    extensions = ExtensionSerializer(many=True, read_only=True)
    allowed_actions = AllowedActionsField(SUPERVISION_CARD_WORKFLOW)
    linked_refs = serializers.CharField(read_only=True, help_text="关联说明（文字备注）；关联的问题见 linked")
    linked = LinkedRecordsField("supervision.SupervisionCard")

    class Meta:
        model = SupervisionCard
        fields = [
            "id",
            "number",
            "title",
            "description",
            "requirement",
            "source",
            "instruction_leader",
            "instruction_text",
            "linked_refs",
            "linked",
            "issued_by",
            "issued_by_name",
            "issued_at",
            "assignee_unit",
            "assignee_unit_name",
            "division",
            "division_name",
            "responsible_leader",
            "deadline",
            "original_deadline",
            "status",
            "is_overdue",
            "days_overdue",
            "closed_at",
            "rework_count",
            "extension_count",
            "flagged",
            "listed_for_circular",
            "transitions",
            "extensions",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_flagged(self, obj) -> bool:
        return obj.flagged_at is not None

    def get_listed_for_circular(self, obj) -> bool:
        return obj.circular_listed_at is not None


class CardIssueSerializer(serializers.Serializer):
    """Input of ``POST supervision-cards/``; the service checks the rest (role, unit kind, deadline)."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    source = serializers.ChoiceField(choices=CardSource.choices, error_messages={"invalid_choice": "来源无效。"})
    assignee_unit = ScopedPrimaryKeyRelatedField(campaign_selectors.units_visible_to, model=Unit)
    deadline = serializers.DateField(validators=[validate_sane_date])
    requirement = serializers.CharField(required=False, allow_blank=True, default="")
    instruction_leader = serializers.CharField(required=False, allow_blank=True, default="", max_length=50)
    instruction_text = serializers.CharField(required=False, allow_blank=True, default="")
    linked_refs = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    responsible_leader = ScopedPrimaryKeyRelatedField(
        campaign_selectors.people_visible_to, model=User, required=False, allow_null=True, default=None
    )


class AcknowledgeSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SubmitSerializer(serializers.Serializer):
    feedback = serializers.CharField()
    before_photos = serializers.ListField(child=serializers.FileField(allow_empty_file=True), required=False)
    after_photos = serializers.ListField(child=serializers.FileField(allow_empty_file=True), required=False)
    photos = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),
        required=False,
        help_text="整改后照片（after_photos 的别名）",
    )


class VerifySerializer(serializers.Serializer):
    approved = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ExtensionRequestSerializer(serializers.Serializer):
    reason = serializers.CharField()
    new_deadline = serializers.DateField(validators=[validate_sane_date])


class ExtensionDecideSerializer(serializers.Serializer):
    approved = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")
