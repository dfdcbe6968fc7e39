from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns.models import Division
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
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        divisions = Division.objects.all()
        if request.user.is_officer:
            divisions = divisions.filter(pk=request.user.division_id)
        return Response(district_rows(list(divisions)))
