from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns.models import Division
from campaigns.periods import parse_period
from campaigns.scoping import division_in_view, divisions_visible_to
from datong_portal.dashboard.api.serializers import (
    CockpitSerializer,
    DashboardSummarySerializer,
    DistrictRowSerializer,
)
from datong_portal.dashboard.cockpit import cockpit, cockpit_scope
from datong_portal.dashboard.summary import city_summary, district_rows


class SummaryView(APIView):
    schema_error_codes = ["404"]  # ?division= of a division not visible to you

    @extend_schema(
        parameters=[OpenApiParameter("division", OpenApiTypes.INT, description="区县 id：所有数字只计该区县")],
        responses=DashboardSummarySerializer,
    )
    def get(self, request):
        return Response(city_summary(division_in_view(request.user, request.query_params.get("division"))))


class CockpitView(APIView):
    schema_error_codes = ["404"]  # ?division= of a division not visible to you

    @extend_schema(
        summary="驾驶舱",
        description=(
            "首页驾驶舱与指挥大屏的数据：各项数字及较上周的变化、近八周的图表、今日待办与本周红黑榜（含名次变化）。"
            "每个数字和待办都带 url：其背后记录的列表页（已带筛选条件）。区县创城办只看到本区县。"
        ),
        parameters=[OpenApiParameter("division", OpenApiTypes.INT, description="区县 id：只看该区县")],
        responses=CockpitSerializer,
    )
    def get(self, request):
        return Response(cockpit(cockpit_scope(request.user, request.query_params.get("division"))))


class DistrictsView(APIView):
    @extend_schema(
        summary="区县红黑榜",
        description=(
            "每个区县一行：测评得分率、问题按期销号率、督办卡按期办结率、报告按时率、志愿者活跃度与名次（按各项比率的平均值）。"
            "带 ?period= 时各列按该周期计算，并给出上一周期的名次 previous_rank 和名次变化 movement。"
            "区县创城办只看到本区县一行（名次仍为全市排名）。"
        ),
        parameters=[
            OpenApiParameter(
                "period", OpenApiTypes.STR, description="周期：ISO 周 2022-W34 或月份 2022-08（年份 2000–2100）"
            )
        ],
        responses={200: DistrictRowSerializer(many=True), 400: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        raw = request.query_params.get("period")
        period = parse_period(raw) if raw not in (None, "") else None
        # Ranks are always among all ten divisions; the rows shown are the ones the user may see (campaigns.scoping).
        visible = set(divisions_visible_to(request.user).values_list("pk", flat=True))
        rows = district_rows(list(Division.objects.all()), period)
        return Response([row for row in rows if row["division"] in visible])
