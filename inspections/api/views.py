import re

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from campaigns.api.kept import KeptListMixin
from campaigns.api.serializers import BulkResultSerializer, BulkSelectionSerializer
from campaigns.bulk import bulk_apply
from campaigns.errors import NotAllowed
from inspections import selectors, services
from inspections.api.serializers import (
    ChecklistSerializer,
    DispatchSerializer,
    InspectionRecordSerializer,
    InspectionRoundSerializer,
    InspectionSerializer,
    PointSerializer,
    PointWriteSerializer,
    ProblemCreateSerializer,
    ProblemSerializer,
    RaiseCardSerializer,
    RecheckSerializer,
    RectifySerializer,
    RoundPlanSerializer,
)
from inspections.filtersets import InspectionFilterSet, PointFilterSet, ProblemFilterSet


class _Inputs:
    def _input(self, serializer_class, *, partial=False):
        serializer = serializer_class(data=self.request.data, partial=partial, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class PointViewSet(
    KeptListMixin, _Inputs, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """点位：列表、详情、新增（指挥部或本区县创城办）、修改（PATCH）。区县创城办只看到本区县的点位。"""

    serializer_class = PointSerializer
    filterset_class = PointFilterSet
    ordering_fields = ["code", "name", "last_inspected_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.points_visible_to(self.request.user)

    def _answer(self, point, status_code=status.HTTP_200_OK):
        point = self.get_queryset().get(pk=point.pk)
        return Response(PointSerializer(point, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(request=PointWriteSerializer, responses={201: PointSerializer})
    def create(self, request, *args, **kwargs):
        if not services.may_edit_points(request.user):
            raise NotAllowed("只有指挥部或区县创城办可以新增点位。")
        point = services.point_create(actor=request.user, **self._input(PointWriteSerializer))
        return self._answer(point, status.HTTP_201_CREATED)

    @extend_schema(request=PointWriteSerializer, responses=PointSerializer)
    def partial_update(self, request, *args, **kwargs):
        point = self.get_object()
        point = services.point_update(
            actor=request.user, point=point, **self._input(PointWriteSerializer, partial=True)
        )
        return self._answer(point)


class ChecklistViewSet(KeptListMixin, viewsets.ReadOnlyModelViewSet):
    """测评标准：每类点位一份，按五个方面分组的标准（编号、内容、分值、对应测评指标）。"""

    serializer_class = ChecklistSerializer
    filterset_class = None
    ordering_fields = ["position"]

    def get_queryset(self):
        return selectors.checklists()


class InspectionRoundViewSet(KeptListMixin, _Inputs, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """测评轮次：指挥部安排（日期、督导人员、点位：按类别全部或按类别和区县随机抽样），及其测评结果。"""

    serializer_class = InspectionRoundSerializer
    ordering_fields = ["start_date", "name"]

    def get_queryset(self):
        return selectors.rounds_visible_to(self.request.user)

    @extend_schema(request=RoundPlanSerializer, responses={201: InspectionRoundSerializer})
    def create(self, request, *args, **kwargs):
        if not services.may_plan_rounds(request.user):
            raise NotAllowed("只有指挥部可以安排测评轮次。")
        round_ = services.round_plan(actor=request.user, **self._input(RoundPlanSerializer))
        round_ = self.get_queryset().get(pk=round_.pk)
        return Response(InspectionRoundSerializer(round_).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: dict}, summary="本轮测评结果：按点位、类别、方面、区县，失分最多的标准")
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def results(self, request, pk=None):
        round_ = self.get_object()
        data = selectors.round_results(round_, request.user)
        for row in data["most_lost"]:
            row["lost"] = float(row["lost"])
        for key in ("by_point", "by_category", "by_aspect", "by_division"):
            for row in data[key]:
                row["passed"] = float(row["passed"] or 0)
                row["applicable"] = float(row["applicable"] or 0)
        return Response(data)


PHOTO_FIELD = re.compile(r"^photos_(\d+)$")


class InspectionViewSet(KeptListMixin, _Inputs, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """测评记录：``POST`` 录入一次完成的实地测评；每项不达标的标准生成（或并入）一个问题。"""

    serializer_class = InspectionSerializer
    filterset_class = InspectionFilterSet
    ordering_fields = ["inspected_at", "score_rate"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.inspections_with_results(selectors.inspections_visible_to(self.request.user))

    @extend_schema(
        request={"application/json": InspectionRecordSerializer, "multipart/form-data": InspectionRecordSerializer},
        responses={201: InspectionSerializer},
    )
    def create(self, request, *args, **kwargs):
        if not services.may_inspect(request.user):
            raise NotAllowed("只有指挥部和督导组可以录入测评结果。")
        data = self._input(InspectionRecordSerializer)
        photos = {}
        for name in getattr(request, "FILES", {}):
            match = PHOTO_FIELD.match(name)
            if match:
                photos[int(match.group(1))] = request.FILES.getlist(name)
        results = [{**row, "photos": photos.get(row["standard"], [])} for row in data.pop("results")]
        inspection = services.inspection_record(actor=request.user, results=results, **data)
        inspection = self.get_queryset().get(pk=inspection.pk)
        return Response(
            InspectionSerializer(inspection, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class ProblemViewSet(KeptListMixin, _Inputs, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """问题：发现 → 派发 → 整改 → 复核（销号或退回重新整改）；可升级为督办卡。每一步都记入 ``transitions``。"""

    serializer_class = ProblemSerializer
    filterset_class = ProblemFilterSet
    ordering_fields = ["found_at", "deadline", "status"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.problems_with_history(selectors.problems_listed_to(self.request.user))

    def _answer(self, problem, status_code=status.HTTP_200_OK):
        problem = self.get_queryset().get(pk=problem.pk)
        return Response(ProblemSerializer(problem, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(
        request={"application/json": ProblemCreateSerializer, "multipart/form-data": ProblemCreateSerializer},
        responses={201: ProblemSerializer},
    )
    def create(self, request, *args, **kwargs):
        if not services.may_inspect(request.user):
            raise NotAllowed("只有指挥部和督导组可以登记问题。")
        problem = services.problem_create(actor=request.user, **self._input(ProblemCreateSerializer))
        return self._answer(problem, status.HTTP_201_CREATED)

    @extend_schema(
        request=BulkSelectionSerializer,
        responses=BulkResultSerializer,
        summary="批量派发",
        description="逐条调用与单条“派发”相同的服务和权限检查（责任单位为问题的责任单位、按问题等级的默认时限），"
        "逐条返回已派发与未派发的原因。",
    )
    @action(detail=False, methods=["post"], url_path="bulk-dispatch")
    def bulk_dispatch(self, request):
        serializer = BulkSelectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = bulk_apply(
            serializer.validated_data["ids"],
            queryset=selectors.problems_visible_to(request.user).select_related("point"),
            action=lambda problem: services.problem_dispatch(actor=request.user, problem=problem),
            label=lambda problem: f"{problem.point.name}：{problem.description[:30]}",
        )
        return Response(BulkResultSerializer(result.as_dict()).data)

    @extend_schema(request=DispatchSerializer, responses=ProblemSerializer, summary="派发")
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_problem(self, request, pk=None):  # not ``dispatch``: that is the view's own entry point
        problem = self.get_object()
        problem = services.problem_dispatch(actor=request.user, problem=problem, **self._input(DispatchSerializer))
        return self._answer(problem)

    @extend_schema(
        request={"multipart/form-data": RectifySerializer, "application/json": RectifySerializer},
        responses=ProblemSerializer,
        summary="反馈整改（附整改后照片）",
    )
    @action(detail=True, methods=["post"])
    def rectify(self, request, pk=None):
        problem = self.get_object()
        data = self._input(RectifySerializer)
        problem = services.problem_rectify(
            actor=request.user, problem=problem, feedback=data["feedback"], photos=data.get("photos", [])
        )
        return self._answer(problem)

    @extend_schema(request=RecheckSerializer, responses=ProblemSerializer, summary="复核：销号或退回")
    @action(detail=True, methods=["post"])
    def recheck(self, request, pk=None):
        problem = self.get_object()
        problem = services.problem_recheck(actor=request.user, problem=problem, **self._input(RecheckSerializer))
        return self._answer(problem)

    @extend_schema(request=RaiseCardSerializer, responses=ProblemSerializer, summary="升级为督办卡")
    @action(detail=True, methods=["post"], url_path="raise-card", url_name="raise-card")
    def raise_card(self, request, pk=None):
        problem = self.get_object()
        services.problem_raise_card(actor=request.user, problem=problem, **self._input(RaiseCardSerializer))
        return self._answer(problem)
