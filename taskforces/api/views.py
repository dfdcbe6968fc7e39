from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from campaigns.api.kept import KeptListMixin
from campaigns.api.permissions import ReadOnlyUnlessHeadquarters
from campaigns.api.serializers import BulkResultSerializer, BulkSelectionSerializer
from campaigns.bulk import bulk_apply
from campaigns.errors import NotAllowed
from taskforces import selectors, services
from taskforces.api.serializers import (
    ReminderCardSerializer,
    ReportAcceptSerializer,
    ReportOpenSerializer,
    ReportReturnSerializer,
    ReportSerializer,
    ReportSubmitSerializer,
    TaskForceSerializer,
)
from taskforces.filtersets import ReminderCardFilterSet, ReportFilterSet, TaskForceFilterSet
from taskforces.models import ReportTransition, TaskForce, TaskForceGroup


class TaskForceViewSet(KeptListMixin, viewsets.ReadOnlyModelViewSet):
    """The eight task forces with their groups. The organisation is public inside the portal."""

    serializer_class = TaskForceSerializer
    filterset_class = TaskForceFilterSet

    def get_queryset(self):
        return TaskForce.objects.select_related("leader").prefetch_related(
            "members",
            "liaison_divisions",
            Prefetch("groups", queryset=TaskForceGroup.objects.select_related("leader").prefetch_related("members")),
        )


class ReminderCardViewSet(KeptListMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Reminder cards (提示卡): read scoped (officers their own, leaders those addressed to them); headquarters issues."""

    serializer_class = ReminderCardSerializer
    filterset_class = ReminderCardFilterSet
    ordering_fields = ["issued_at", "seq"]
    permission_classes = [ReadOnlyUnlessHeadquarters]

    def get_queryset(self):
        return selectors.reminder_cards_visible_to(self.request.user).prefetch_related("tasks")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        guidance = dict(data.pop("guidance", {}) or {})
        tasks = guidance.pop("tasks", [])
        data.pop("active", None)
        serializer.instance = services.reminder_card_issue(actor=self.request.user, tasks=tasks, **data, **guidance)


class ReportViewSet(KeptListMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Weekly summaries and monthly reports. Holders PATCH drafts and submit; headquarters accepts or returns."""

    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet
    ordering_fields = ["due_at", "submitted_at", "period", "status"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.reports_visible_to(self.request.user).prefetch_related(
            Prefetch("transitions", queryset=ReportTransition.objects.select_related("actor")), "attachments"
        )

    @extend_schema(request=ReportOpenSerializer, responses=ReportSerializer)
    def create(self, request, *args, **kwargs):
        if not request.user.is_headquarters:
            raise NotAllowed("只有指挥部可以设立报送任务。")
        serializer = ReportOpenSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        report = services.report_open(actor=request.user, **serializer.validated_data)
        return Response(self._fresh(report), status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        serializer.instance = services.report_update(
            actor=self.request.user, report=serializer.instance, **serializer.validated_data
        )

    def _fresh(self, report):
        return self.get_serializer(self.get_queryset().get(pk=report.pk)).data

    @extend_schema(request=ReportSubmitSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self.get_object()
        serializer = ReportSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_submit(actor=request.user, report=report, **serializer.validated_data)
        return Response(self._fresh(report))

    @extend_schema(request=ReportAcceptSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        report = self.get_object()
        serializer = ReportAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_accept(actor=request.user, report=report, **serializer.validated_data)
        return Response(self._fresh(report))

    @extend_schema(
        request=BulkSelectionSerializer,
        responses=BulkResultSerializer,
        description="批量通过：逐条调用与单条“通过”相同的服务和权限检查，逐条返回已通过与未通过的原因。",
    )
    @action(detail=False, methods=["post"], url_path="bulk-accept")
    def bulk_accept(self, request):
        serializer = BulkSelectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = bulk_apply(
            serializer.validated_data["ids"],
            queryset=selectors.reports_visible_to(request.user),
            action=lambda report: services.report_accept(actor=request.user, report=report),
            label=selectors.report_label,
        )
        return Response(BulkResultSerializer(result.as_dict()).data)

    @extend_schema(request=ReportReturnSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        report = self.get_object()
        serializer = ReportReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_return(actor=request.user, report=report, **serializer.validated_data)
        return Response(self._fresh(report))

    @extend_schema(
        request={
            "multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
        },
        responses=ReportSerializer,
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def attachments(self, request, pk=None):
        report = self.get_object()
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": ["请选择要上传的文件。"]})
        services.report_attach(actor=request.user, report=report, upload=upload)
        return Response(self._fresh(report), status=status.HTTP_201_CREATED)
