from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from campaigns.api.kept import KeptListMixin, kept_list
from campaigns.api.parsers import DepthLimitedJSONParser
from campaigns.api.permissions import WritesByHeadquartersOrOfficer
from campaigns.api.schema import error_or
from volunteers import imports, privacy, selectors, services
from volunteers.api.pagination import CappedCountPagination
from volunteers.api.serializers import (
    ImportJobSerializer,
    ImportResultSerializer,
    PracticeSiteSerializer,
    RejectSerializer,
    ServiceProjectSerializer,
    ServiceRecordSerializer,
    VolunteerSerializer,
    VolunteerTeamSerializer,
    service_record_rows,
    volunteer_rows,
)
from volunteers.filtersets import (
    PracticeSiteFilterSet,
    ServiceProjectFilterSet,
    ServiceRecordFilterSet,
    VolunteerFilterSet,
    VolunteerTeamFilterSet,
)
from volunteers.models import ImportJob, PersonalDataAccess


def _visible(queryset, pk):
    """The object if the user may see it, else 404 — never 403, never leak another district's rows."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


class PracticeSiteViewSet(KeptListMixin, viewsets.ReadOnlyModelViewSet):
    """实践阵地：中心 → 所 → 站，按区县可见。"""

    serializer_class = PracticeSiteSerializer
    filterset_class = PracticeSiteFilterSet
    ordering_fields = ["name", "level"]

    def get_queryset(self):
        return selectors.sites_visible_to(self.request.user)


class VolunteerTeamViewSet(KeptListMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = VolunteerTeamSerializer
    filterset_class = VolunteerTeamFilterSet
    permission_classes = [WritesByHeadquartersOrOfficer]
    ordering_fields = ["name", "members_count"]

    def get_queryset(self):
        return selectors.teams_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.team_create(actor=self.request.user, **serializer.validated_data)


class VolunteerViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """志愿者。``count`` 精确到 10,000 条，超过时为数据库估算值（``count_exact`` 为 false）；``search`` 匹配姓名或编号开头。"""

    serializer_class = VolunteerSerializer
    filterset_class = VolunteerFilterSet
    pagination_class = CappedCountPagination
    permission_classes = [WritesByHeadquartersOrOfficer]
    ordering_fields = ["id", "registered_at", "confirmed_hours"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.volunteers_visible_to(self.request.user).prefetch_related("teams")

    @kept_list
    def list(self, request, *args, **kwargs):
        # The rows as VolunteerSerializer gives them, built without its per-field machinery (serializers.py).
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(volunteer_rows(page, request.user))

    def retrieve(self, request, *args, **kwargs):
        """One volunteer: full ID number and phone for those volunteers/privacy.py allows, and the read is logged."""
        volunteer = self.get_object()
        revealed = privacy.may_read_personal_data(request.user, volunteer)
        if revealed:
            privacy.log_access(user=request.user, via=PersonalDataAccess.Via.API, volunteer=volunteer)
        context = {**self.get_serializer_context(), "reveal_personal_data": revealed}
        return Response(self.get_serializer_class()(volunteer, context=context).data)

    def perform_create(self, serializer):
        serializer.instance = services.volunteer_register(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.volunteer_update(
            actor=self.request.user, volunteer=serializer.instance, **serializer.validated_data
        )

    @extend_schema(
        request={
            "multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
        },
        parameters=[OpenApiParameter("partial", OpenApiTypes.BOOL, description="1：只导入无错误的行")],
        responses={200: ImportResultSerializer, 202: OpenApiTypes.OBJECT, 400: error_or("ImportResult")},
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_roster(self, request):
        """导入花名册 .xlsx；有错误行时默认一行不导入（``?partial=1`` 只导入正确的行）。大文件转入后台任务，返回 202。"""
        return _import(request, "roster")


def _import(request, kind):
    """Shared by rosters and hour sheets: 200 with the result, 400 when nothing was imported, 202 for a Celery job."""
    upload = request.FILES.get("file")
    if upload is None:
        return Response({"file": ["请上传 .xlsx 文件。"]}, status=status.HTTP_400_BAD_REQUEST)
    partial = request.query_params.get("partial") in ("1", "true")
    try:
        job = imports.job_create(actor=request.user, upload=upload, partial=partial, kind=kind)
    except imports.RosterFileError as error:
        return Response({"file": [error.message]}, status=status.HTTP_400_BAD_REQUEST)
    job = imports.job_start(job)
    if job.finished_at is None:
        return Response({"job": job.pk, "status": job.status, "total": job.total}, status=status.HTTP_202_ACCEPTED)
    body = {"created": job.created, "updated": job.updated, "errors": job.errors}
    return Response(body, status=status.HTTP_200_OK if not job.errors or job.created or job.updated else 400)


class ServiceProjectViewSet(KeptListMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ServiceProjectSerializer
    filterset_class = ServiceProjectFilterSet
    permission_classes = [WritesByHeadquartersOrOfficer]
    ordering_fields = ["start_date", "title"]

    def get_queryset(self):
        return selectors.projects_visible_to(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data["team"] = _visible(selectors.teams_visible_to(self.request.user), data["team"].pk)
        serializer.instance = services.project_create(actor=self.request.user, **data)


class ServiceRecordViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ServiceRecordSerializer
    filterset_class = ServiceRecordFilterSet
    pagination_class = CappedCountPagination
    permission_classes = [WritesByHeadquartersOrOfficer]
    ordering_fields = ["date", "hours"]

    def get_queryset(self):
        return selectors.records_visible_to(self.request.user)

    def _decide(self, decide, **fields) -> Response:
        """Confirm or reject the record of the URL. The service looks for it among the records the user may see in
        the query that locks it, so there is no separate read for ``get_object``: a key that is not a number, or not
        a record the user may see (``NotVisible``), is the same 404."""
        try:
            pk = int(self.kwargs["pk"])
        except ValueError as not_a_key:
            raise Http404 from not_a_key
        record = decide(actor=self.request.user, record=pk, **fields)
        return Response(service_record_rows([record], self.request.user)[0])

    @kept_list
    def list(self, request, *args, **kwargs):
        # The rows as ServiceRecordSerializer gives them, built without its per-field machinery (serializers.py).
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(service_record_rows(page, request.user))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data["project"] = _visible(selectors.projects_visible_to(self.request.user), data["project"].pk)
        serializer.instance = services.record_create(actor=self.request.user, **data)

    @extend_schema(
        request={
            "multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
        },
        parameters=[OpenApiParameter("partial", OpenApiTypes.BOOL, description="1：只导入无错误的行")],
        responses={200: ImportResultSerializer, 202: OpenApiTypes.OBJECT, 400: error_or("ImportResult")},
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_hours(self, request):
        """导入服务时长表 .xlsx（志愿者编号、项目编号、服务日期、开始时间、结束时间），记录为待确认。"""
        return _import(request, "hours")

    @extend_schema(request=None, responses=ServiceRecordSerializer)
    @action(detail=True, methods=["post"], parser_classes=[DepthLimitedJSONParser, FormParser])
    def confirm(self, request, pk=None):
        """确认服务时长（项目组织方：服务队队长、本区县创城办或指挥部）。"""
        return self._decide(services.record_confirm)

    @extend_schema(request=RejectSerializer, responses=ServiceRecordSerializer)
    @action(detail=True, methods=["post"], parser_classes=[DepthLimitedJSONParser, FormParser])
    def reject(self, request, pk=None):
        """驳回服务记录，可附原因。"""
        body = RejectSerializer(data=request.data if isinstance(request.data, dict) else {})
        body.is_valid(raise_exception=True)
        return self._decide(services.record_reject, reason=body.validated_data.get("reason", ""))


class ImportJobViewSet(viewsets.ReadOnlyModelViewSet):
    """The uploader's own import jobs: poll ``progress`` (0–100) and read the result of a large import."""

    serializer_class = ImportJobSerializer
    permission_classes = [WritesByHeadquartersOrOfficer]
    filter_backends = []
    queryset = ImportJob.objects.none()  # for the schema's path parameter type; get_queryset() decides what is seen

    def get_queryset(self):
        return ImportJob.objects.filter(created_by=self.request.user)
