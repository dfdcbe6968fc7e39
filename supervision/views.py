"""Thin pages over the same services and selectors the API uses."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_http_methods, require_POST

from campaigns.api.authentication import token_or_session_required
from campaigns.exports import export_filtered, wants_export
from campaigns.pages import filtered, service_errors
from campaigns.pdf import pdf_response
from campaigns.registry import linked_panels
from supervision import selectors, services
from supervision.choices import EXTENSION_OPEN_STATUSES, FINISHED_STATUSES, CardAction, ExtensionStatus
from supervision.filtersets import SupervisionCardFilterSet
from supervision.forms import (
    AcknowledgeForm,
    CardIssueForm,
    ExtensionDecideForm,
    ExtensionRequestForm,
    SubmitForm,
    VerifyForm,
    WithdrawForm,
)
from supervision.models import CardAttachment, ExtensionRequest
from supervision.workflows import EXTENSION_WORKFLOW, SUPERVISION_CARD_WORKFLOW


def _visible_card(request, pk):
    return get_object_or_404(
        selectors.supervision_cards_with_history(selectors.supervision_cards_visible_to(request.user)), pk=pk
    )


@login_required
def card_list(request):
    filterset = SupervisionCardFilterSet(
        request.GET, queryset=selectors.supervision_cards_visible_to(request.user), request=request
    )
    if wants_export(request):
        response = export_filtered(request, filterset, "supervision-cards")
        if response is not None:
            return response
    cards, status = filtered(request, filterset)
    page = Paginator(cards, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    template = "supervision/_card_table.html" if request.headers.get("HX-Request") else "supervision/card_list.html"
    return render(
        request,
        template,
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "totals": selectors.supervision_card_totals(filterset.queryset),
            "may_issue": SUPERVISION_CARD_WORKFLOW.may_create(CardAction.ISSUE, request.user),
        },
        status=status,
    )


@login_required
def supervision_card_inbox(request):
    cards = selectors.supervision_card_inbox(request.user)
    page = Paginator(cards, 50).get_page(request.GET.get("page"))
    return render(request, "supervision/card_inbox.html", {"page": page, "query": ""})


@login_required
@require_http_methods(["GET", "POST"])
def supervision_card_issue(request):
    if not SUPERVISION_CARD_WORKFLOW.may_create(CardAction.ISSUE, request.user):
        raise PermissionDenied(SUPERVISION_CARD_WORKFLOW.move(CardAction.ISSUE).refusal)
    form = CardIssueForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(request, form):
            card = services.supervision_card_issue(actor=request.user, **form.cleaned_data)
            messages.success(request, f"督办卡 {card.number} 已下发。")
            return redirect("supervision-card-detail", pk=card.pk)
    return render(request, "supervision/card_form.html", {"form": form})


@login_required
def card_detail(request, pk):
    card = _visible_card(request, pk)
    # The buttons come from the declared workflows, the same the services enforce and the API lists.
    actions = {move.action for move in SUPERVISION_CARD_WORKFLOW.allowed_actions(request.user, card)}
    extensions = list(card.extensions.all())
    pending = next((e for e in extensions if e.status == ExtensionStatus.PENDING), None)
    if pending is not None:
        actions |= {move.action for move in EXTENSION_WORKFLOW.allowed_actions(request.user, pending)}
    elif card.status in EXTENSION_OPEN_STATUSES and EXTENSION_WORKFLOW.may_create(
        "request", request.user, ExtensionRequest(card=card)
    ):
        actions.add("request")
    return render(
        request,
        "supervision/card_detail.html",
        {
            "card": card,
            "linked_panels": linked_panels(request, card),
            "transitions": list(card.transitions.all()),
            "extensions": extensions,
            "pending_extension": pending,
            "actions": actions,
            "can_acknowledge": CardAction.ACKNOWLEDGE in actions,
            "can_submit": CardAction.SUBMIT in actions,
            "can_verify": CardAction.CLOSE in actions,
            "can_withdraw": CardAction.WITHDRAW in actions,
            "can_request_extension": "request" in actions,
            "can_decide_extension": "approve" in actions or "refuse" in actions,
            "acknowledge_form": AcknowledgeForm(),
            "submit_form": SubmitForm(),
            "verify_form": VerifyForm(),
            "withdraw_form": WithdrawForm(),
            "extension_form": ExtensionRequestForm(),
            "decide_form": ExtensionDecideForm(),
            "is_closed": card.status in FINISHED_STATUSES,
            "upload_limit_mb": settings.UPLOAD_IMAGE_MAX_BYTES // (1024 * 1024),
        },
    )


def _act(request, pk, form_class, perform, success):
    """Run one workflow action from a card page form; refusals come back as a message on the card page."""
    card = _visible_card(request, pk)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, "；".join(errors) or "提交的内容无效。")
        return redirect("supervision-card-detail", pk=card.pk)
    with service_errors(request):
        perform(card, form.cleaned_data)
        messages.success(request, success)
    return redirect("supervision-card-detail", pk=card.pk)


@login_required
@require_POST
def supervision_card_acknowledge(request, pk):
    return _act(
        request,
        pk,
        AcknowledgeForm,
        lambda card, data: services.supervision_card_acknowledge(actor=request.user, card=card, note=data["note"]),
        "已签收督办卡。",
    )


@login_required
@require_POST
def supervision_card_submit(request, pk):
    return _act(
        request,
        pk,
        SubmitForm,
        lambda card, data: services.supervision_card_submit(
            actor=request.user,
            card=card,
            feedback=data["feedback"],
            before_photos=data["before_photos"],
            after_photos=data["after_photos"],
        ),
        "整改情况已反馈，等待审核。",
    )


@login_required
@require_POST
def supervision_card_verify(request, pk):
    return _act(
        request,
        pk,
        VerifyForm,
        lambda card, data: services.supervision_card_verify(
            actor=request.user, card=card, approved=data["decision"] == "close", comment=data["comment"]
        ),
        "审核意见已提交。",
    )


@login_required
@require_POST
def supervision_card_withdraw(request, pk):
    return _act(
        request,
        pk,
        WithdrawForm,
        lambda card, data: services.supervision_card_withdraw(actor=request.user, card=card, reason=data["reason"]),
        "督办卡已撤销，编号和办理记录保留。",
    )


@login_required
@require_POST
def extension_request(request, pk):
    return _act(
        request,
        pk,
        ExtensionRequestForm,
        lambda card, data: services.extension_request(
            actor=request.user, card=card, reason=data["reason"], new_deadline=data["new_deadline"]
        ),
        "延期申请已提交。",
    )


@login_required
@require_POST
def extension_decide(request, pk, extension_pk):
    def perform(card, data):
        extension = get_object_or_404(card.extensions.all(), pk=extension_pk)
        services.extension_decide(
            actor=request.user, extension=extension, approved=data["decision"] == "approve", comment=data["comment"]
        )

    return _act(request, pk, ExtensionDecideForm, perform, "延期申请已审批。")


@login_required
def card_pdf(request, pk):
    card = _visible_card(request, pk)
    return pdf_response(
        "supervision/card_pdf.html",
        {"card": card, "transitions": list(card.transitions.all())},
        filename=f"{card.number}.pdf",
        request=request,
    )


@token_or_session_required
def attachment(request, pk):
    """Serve a photo only to someone who may see its card; everyone else gets 404."""
    item = get_object_or_404(CardAttachment.objects.select_related("card"), pk=pk)
    if not selectors.supervision_cards_visible_to(request.user).filter(pk=item.card_id).exists():
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=item.content_type)
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{escape_uri_path(item.original_name or 'photo')}"
    response["Cache-Control"] = "private, max-age=3600"
    return response
