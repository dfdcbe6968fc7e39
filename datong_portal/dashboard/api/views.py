from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns.scoping import division_in_view, divisions_visible_to
from datong_portal.dashboard.api.serializers import DashboardSummarySerializer, DistrictRowSerializer
from datong_portal.dashboard.summary import city_summary, district_rows


class SummaryView(APIView):
    schema_error_codes = ["404"]  # ?division= of a division not visible to you

    @extend_schema(
        parameters=[OpenApiParameter("division", OpenApiTypes.INT, description="区县 id：所有数字只计该区县")],
        responses=DashboardSummarySerializer,
    )
    def get(self, request):
        return Response(city_summary(division_in_view(request.user, request.query_params.get("division"))))


class DistrictsView(APIView):
    @extend_schema(responses=DistrictRowSerializer(many=True))
    def get(self, request):
        return Response(district_rows(list(divisions_visible_to(request.user))))
