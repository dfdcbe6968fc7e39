from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns.models import Division
from campaigns.periods import parse_period
from datong_portal.dashboard.api.serializers import DistrictRowSerializer
from datong_portal.dashboard.summary import city_summary, district_rows


def _division_for(request):
    """The ``?division=`` asked for, or an officer's own division; another division is 404 for an officer."""
    raw = request.query_params.get("division")
    user = request.user
    if raw in (None, ""):
        return user.division if user.is_officer else None
    if not raw.isdigit():
        raise Http404("区县不存在。")
    division = Division.objects.filter(pk=int(raw)).first()
    if division is None or (user.is_officer and division.pk != user.division_id):
        raise Http404("区县不存在。")
    return division


class SummaryView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("division", OpenApiTypes.INT, description="区县 id：所有数字只计该区县")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        return Response(city_summary(_division_for(request)))


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
        only = request.user.division_id if request.user.is_officer else None
        rows = district_rows(list(Division.objects.all()), period, only=only)
        if request.user.is_officer and only is None:
            rows = []
        return Response(rows)
