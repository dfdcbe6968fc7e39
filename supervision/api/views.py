from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from campaigns.api.kept import KeptListMixin
from campaigns.api.parsers import DepthLimitedJSONParser
from campaigns.registry import prefetch_linked
from supervision import selectors, services
from supervision.api.serializers import (
    AcknowledgeSerializer,
    CardIssueSerializer,
    ExtensionDecideSerializer,
    ExtensionRequestSerializer,
    ExtensionSerializer,
    SubmitSerializer,
    SupervisionCardSerializer,
    VerifySerializer,
    WithdrawSerializer,
)
from supervision.choices import CardAction
from supervision.filtersets import SupervisionCardFilterSet
from supervision.workflows import SUPERVISION_CARD_WORKFLOW


class SupervisionCardViewSet(KeptListMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """督办卡：下发、签收、反馈、审核销号或退回、延期申请与审批。每一步都记入 ``transitions``。"""

    serializer_class = SupervisionCardSerializer
    filterset_class = SupervisionCardFilterSet
    ordering_fields = ["deadline", "issued_at", "sequence", "status"]
    parser_classes = [DepthLimitedJSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        cards = selectors.supervision_cards_with_history(selectors.supervision_cards_visible_to(self.request.user))
        return prefetch_linked(cards, self.request.user)

    def _card(self):
        # Looked up through the visible queryset: another district's card is 404, never 403.
        return self.get_object()

    def _answer(self, card, status_code=status.HTTP_200_OK):
        card = self.get_queryset().get(pk=card.pk)
        return Response(
            self.get_serializer_class()(card, context=self.get_serializer_context()).data, status=status_code
        )

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=CardIssueSerializer, responses={201: SupervisionCardSerializer})
    def create(self, request, *args, **kwargs):
        SUPERVISION_CARD_WORKFLOW.check_creation(CardAction.ISSUE, actor=request.user)
        card = services.supervision_card_issue(actor=request.user, **self._input(CardIssueSerializer))
        return self._answer(card, status.HTTP_201_CREATED)

    @extend_schema(request=AcknowledgeSerializer, responses=SupervisionCardSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        card = self._card()
        card = services.supervision_card_acknowledge(
            actor=request.user, card=card, **self._input(AcknowledgeSerializer)
        )
        return self._answer(card)

    @extend_schema(
        request={"multipart/form-data": SubmitSerializer, "application/json": SubmitSerializer},
        responses=SupervisionCardSerializer,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        card = self._card()
        data = self._input(SubmitSerializer)
        card = services.supervision_card_submit(
            actor=request.user,
            card=card,
            feedback=data["feedback"],
            before_photos=data.get("before_photos", []),
            after_photos=data.get("after_photos", []) + data.get("photos", []),
        )
        return self._answer(card)

    @extend_schema(request=VerifySerializer, responses=SupervisionCardSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        card = self._card()
        card = services.supervision_card_verify(actor=request.user, card=card, **self._input(VerifySerializer))
        return self._answer(card)

    @extend_schema(request=WithdrawSerializer, responses=SupervisionCardSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """撤销督办卡（下发人或指挥部，须说明原因）：编号与流转记录保留，不再计入未办结、逾期。"""
        card = self._card()
        card = services.supervision_card_withdraw(actor=request.user, card=card, **self._input(WithdrawSerializer))
        return self._answer(card)

    @extend_schema(
        methods=["POST"], request=ExtensionRequestSerializer, responses={201: ExtensionSerializer}, summary="申请延期"
    )
    @extend_schema(methods=["GET"], responses=ExtensionSerializer(many=True), summary="延期申请列表")
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def extensions(self, request, pk=None):
        card = self._card()
        if request.method == "GET":
            context = self.get_serializer_context()
            return Response(ExtensionSerializer(card.extensions.all(), many=True, context=context).data)
        extension = services.extension_request(actor=request.user, card=card, **self._input(ExtensionRequestSerializer))
        context = self.get_serializer_context()
        return Response(ExtensionSerializer(extension, context=context).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ExtensionDecideSerializer, responses=SupervisionCardSerializer, summary="审批延期申请")
    @action(
        detail=True,
        methods=["post"],
        url_path=r"extensions/(?P<extension_id>[0-9]+)/decide",
        url_name="extension-decide",
    )
    def decide_extension(self, request, pk=None, extension_id=None):
        card = self._card()
        extension = get_object_or_404(card.extensions.all(), pk=extension_id)
        services.extension_decide(actor=request.user, extension=extension, **self._input(ExtensionDecideSerializer))
        return self._answer(card)
