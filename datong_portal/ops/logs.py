"""Structured logs: one JSON line per request in production, and the request's id carried into the Celery tasks it
starts, so one search finds everything one click caused.

* :class:`RequestLogMiddleware` takes the proxy's ``X-Request-ID`` (or makes one), binds it for the request, answers
  with it, and writes one ``request`` line when the response is ready: method, path (never the query string), view,
  status, duration, user id.
* Celery: :func:`connect_celery_signals` puts the id into the headers of every task sent while it is bound, and binds
  it again while the worker runs that task (with the task's name and id).
* :func:`mask_personal_data` runs on every line — ours, Django's, Celery's: ID-card numbers and mobile numbers are
  replaced before anything is written.

``settings.LOGGING`` comes from :func:`logging_config` (``LOG_FORMAT=json`` in production, readable lines otherwise).
This module reads no Django setting at import: the settings module imports it.
"""

import re
import time
import uuid

import structlog

REQUEST_ID_HEADER = "request_id"
_REQUEST_ID_OK = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# 18-digit resident ID numbers (last may be X), 15-digit old ones, and mainland mobile numbers (optionally +86).
_ID_NUMBER = re.compile(r"(?<![0-9])[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])[0-9]{2}[0-9]{3}[0-9Xx](?![0-9])")
_OLD_ID_NUMBER = re.compile(r"(?<![0-9])[1-9][0-9]{7}(?:0[1-9]|1[0-2])[0-9]{5}(?![0-9])")
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9][0-9]{9}(?![0-9])")
MASK = "[已隐去]"


def mask_text(text: str) -> str:
    for pattern in (_ID_NUMBER, _OLD_ID_NUMBER, _MOBILE):
        text = pattern.sub(MASK, text)
    return text


def _mask(value):
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {key: _mask(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_mask(item) for item in value)
    return value


def mask_personal_data(logger, method_name, event_dict):
    """structlog processor: no ID-card or mobile number leaves the process, whatever logged it."""
    return {key: _mask(value) for key, value in event_dict.items()}


def _render_stdlib_message(logger, method_name, event_dict):
    """A record from the standard library arrives with its message formatted; mask it like ours."""
    record = event_dict.get("_record")
    if record is not None and record.exc_info and "exc_info" not in event_dict:
        event_dict["exc_info"] = record.exc_info
    return event_dict


_SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def logging_config(*, level: str = "INFO", json: bool = False) -> dict:
    """The ``LOGGING`` dict: every record, structlog's or the standard library's, through one formatter."""
    renderer = structlog.processors.JSONRenderer(ensure_ascii=False) if json else structlog.dev.ConsoleRenderer()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "foreign_pre_chain": [*_SHARED, _render_stdlib_message],
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,
                    mask_personal_data,
                    renderer,
                ],
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            "django.server": {"level": "WARNING"},  # runserver's own access line; ours says more
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }


def configure_structlog() -> None:
    """structlog's loggers hand their events to the standard library, whose formatter renders them (see above)."""
    structlog.configure(
        processors=[
            *_SHARED,
            structlog.stdlib.filter_by_level,
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


access_log = structlog.get_logger("datong.request")


class RequestLogMiddleware:
    """Bind a request id for the request's duration and write one ``request`` line when it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _REQUEST_ID_OK.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        except Exception:
            access_log.exception("request", method=request.method, path=request.path, status=500)
            structlog.contextvars.clear_contextvars()
            raise
        response["X-Request-ID"] = request_id
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        access_log.info(
            "request",
            method=request.method,
            path=request.path,
            view=match.view_name if match else None,
            status=response.status_code,
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
            user_id=user.pk if user is not None and user.is_authenticated else None,
        )
        structlog.contextvars.clear_contextvars()
        return response


_task_tokens: dict[str, dict] = {}


def _task_request_id(request) -> str | None:
    return getattr(request, REQUEST_ID_HEADER, None) or (getattr(request, "headers", None) or {}).get(REQUEST_ID_HEADER)


def connect_celery_signals() -> None:
    from celery.signals import before_task_publish, task_postrun, task_prerun

    def publish(headers=None, **kwargs):
        request_id = structlog.contextvars.get_contextvars().get("request_id")
        if request_id and headers is not None and REQUEST_ID_HEADER not in headers:
            headers[REQUEST_ID_HEADER] = request_id

    def prerun(task_id=None, task=None, **kwargs):
        fields = {"task": task.name, "task_id": task_id}
        request_id = _task_request_id(task.request)
        if request_id:
            fields["request_id"] = request_id
        # Eager tasks run inside the request that sent them: bind over its context and give it back afterwards.
        _task_tokens[task_id] = structlog.contextvars.bind_contextvars(**fields)

    def postrun(task_id=None, **kwargs):
        tokens = _task_tokens.pop(task_id, None)
        if tokens:
            structlog.contextvars.reset_contextvars(**tokens)

    before_task_publish.connect(publish, weak=False, dispatch_uid="ops-logs-publish")
    task_prerun.connect(prerun, weak=False, dispatch_uid="ops-logs-prerun")
    task_postrun.connect(postrun, weak=False, dispatch_uid="ops-logs-postrun")
