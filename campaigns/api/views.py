from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns import selectors, services, throttle
from campaigns.api.authentication import revoke_tokens, token_expired
from campaigns.api.kept import KeptListMixin, kept_list
from campaigns.api.permissions import WritesByHeadquartersOrOfficer
from campaigns.api.serializers import (
    BulkResultSerializer,
    BulkSelectionSerializer,
    DivisionSerializer,
    ImprovementActionSerializer,
    MeSerializer,
    TaskMoveSerializer,
    TaskSerializer,
    UnitSerializer,
)
from campaigns.filtersets import DivisionFilterSet, TaskFilterSet, UnitFilterSet
from campaigns.models import Division, ImprovementAction


class TokenView(APIView):
    """Exchange a username and password for an API token. Throttled like the login page."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        request=inline_serializer(
            "TokenRequest", {"username": serializers.CharField(), "password": serializers.CharField()}
        ),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request):
        data = request.data if isinstance(request.data, dict) else {}
        username, password = data.get("username"), data.get("password")
        if not isinstance(username, str) or not isinstance(password, str) or not username or not password:
            return Response({"detail": "请提供用户名和密码。"}, status=status.HTTP_400_BAD_REQUEST)
        if "\x00" in username or "\x00" in password or len(username) > 150:
            return Response({"detail": "用户名或密码错误。"}, status=status.HTTP_400_BAD_REQUEST)
        address = throttle.client_address(request)
        if throttle.is_locked(username, address):
            return Response({"detail": "登录失败次数过多，请稍后再试。"}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        user = authenticate(request, username=username, password=password)
        if user is None:
            throttle.record_failure(username, address)
            return Response({"detail": "用户名或密码错误。"}, status=status.HTTP_400_BAD_REQUEST)
        throttle.clear(username, address)
        token, _created = Token.objects.get_or_create(user=user)
        if token_expired(token):  # a stale token is replaced, never handed out again
            token.delete()
            token = Token.objects.create(user=user)
        return Response({"token": token.key})


class TokenRevokeView(APIView):
    """End the caller's API token (every token of theirs); ``auth/token/`` issues a new one on the next sign-in."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        revoke_tokens(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class NotificationMarkReadView(APIView):
    """Mark the caller's chosen notices read, answered row by row (campaigns.bulk)."""

    @extend_schema(
        request=BulkSelectionSerializer,
        responses=BulkResultSerializer,
        description="批量标为已读：逐条处理，逐条返回已标记与未能标记的原因；不是本人的通知按“不存在”拒绝，已读的通知计为已处理。",
    )
    def post(self, request):
        from campaigns.notifications import notifications_mark_read_many

        serializer = BulkSelectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = notifications_mark_read_many(user=request.user, notification_ids=serializer.validated_data["ids"])
        return Response(BulkResultSerializer(result.as_dict()).data)


class DivisionViewSet(KeptListMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Division.objects.all()
    serializer_class = DivisionSerializer
    filterset_class = DivisionFilterSet
    ordering_fields = ["code", "name"]


class UnitViewSet(KeptListMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    ordering_fields = ["name", "kind"]

    def get_queryset(self):
        return selectors.units_visible_to(self.request.user)


class ImprovementActionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ImprovementActionSerializer
    pagination_class = None
    filter_backends = []

    queryset = ImprovementAction.objects.select_related("lead_unit")

    @kept_list
    def list(self, request, *args, **kwargs):
        actions = selectors.actions_with_progress(selectors.tasks_visible_to(request.user))
        return Response(self.get_serializer(actions, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        action = self.get_object()
        actions = selectors.actions_with_progress(selectors.tasks_visible_to(request.user).filter(action=action))
        return Response(self.get_serializer(next(a for a in actions if a.pk == action.pk)).data)


class TaskViewSet(KeptListMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet
    ordering_fields = ["deadline", "title", "status", "updated_at"]
    permission_classes = [WritesByHeadquartersOrOfficer]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.tasks_visible_to(self.request.user).prefetch_related("co_units")

    def perform_create(self, serializer):
        serializer.instance = services.task_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.task_update(
            actor=self.request.user, task=serializer.instance, **serializer.validated_data
        )

    def _take(self, request, perform):
        task = self.get_object()
        body = TaskMoveSerializer(data=request.data if isinstance(request.data, dict) else {})
        body.is_valid(raise_exception=True)
        task = perform(actor=request.user, task=task, note=body.validated_data["note"])
        return Response(self.get_serializer(self.get_queryset().get(pk=task.pk)).data)

    @extend_schema(request=TaskMoveSerializer, responses=TaskSerializer, summary="办结任务（指挥部）")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """指挥部办结任务（无论完成值如何）；已完成的任务答 409。"""
        return self._take(request, services.task_close)

    @extend_schema(request=TaskMoveSerializer, responses=TaskSerializer, summary="重新打开任务（指挥部）")
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """指挥部重新打开已完成的任务；未完成的任务答 409。"""
        return self._take(request, services.task_reopen)
