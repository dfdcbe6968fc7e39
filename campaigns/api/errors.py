"""Turn the services' errors into the contract's status codes, always with a Chinese message.

:func:`api_not_found`, :func:`page_not_found` and :func:`bad_request` (``handler404``, ``handler400``) answer what
never reaches a DRF view — a URL nothing matches under ``/api/`` (``tasks/1.5/``), a body over the size limit — in
the same Chinese JSON, with ``DEBUG`` on or off.
"""

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from campaigns.errors import IllegalTransition, NotAllowed, NotVisible

NOT_FOUND = "未找到。"
BAD_REQUEST = "请求无效。"
TOO_BIG = "请求内容过大。"


def _chinese_json(detail: str, status_code: int) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status_code, json_dumps_params={"ensure_ascii": False})


def api_not_found(request, *args, **kwargs):
    """The last pattern under ``/api/``: a path no route matches is a Chinese JSON 404 (Django's debug page is not)."""
    return _chinese_json(NOT_FOUND, status.HTTP_404_NOT_FOUND)


def page_not_found(request, exception=None):
    """``handler404``: Chinese JSON under ``/api/``, the site's page elsewhere."""
    if request.path.startswith("/api/"):
        return api_not_found(request)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception=None):
    """``handler400``: Chinese JSON under ``/api/``, the site's page elsewhere."""
    if request.path.startswith("/api/"):
        return _chinese_json(TOO_BIG if isinstance(exception, RequestDataTooBig) else BAD_REQUEST, 400)
    return defaults.bad_request(request, exception)


def _django_validation_detail(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        return {field: [str(m) for e in errors for m in e.messages] for field, errors in error.error_dict.items()}
    return {"detail": "；".join(error.messages)}


def portal_exception_handler(exc, context):
    if isinstance(exc, IllegalTransition):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, NotVisible):
        return Response({"detail": exc.message}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, NotAllowed):
        return Response({"detail": exc.message}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DjangoValidationError):
        return Response(_django_validation_detail(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):  # get_object_or_404's "No Task matches the given query." is English
        exc = exceptions.NotFound(NOT_FOUND)
    if isinstance(exc, RequestDataTooBig):
        return Response({"detail": TOO_BIG}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, SuspiciousOperation):
        return Response({"detail": BAD_REQUEST}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.ParseError) and not any("\u4e00" <= ch <= "\u9fff" for ch in str(exc.detail)):
        exc = exceptions.ParseError("请求内容不是有效的 JSON 或表单数据。")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        exc = exceptions.UnsupportedMediaType(context["request"].content_type, detail="不支持的请求内容类型。")
    return exception_handler(exc, context)
