"""The OpenAPI schema tells the truth: every 4xx an operation can answer, and ``null`` wherever null comes back.

``PortalAutoSchema`` (``DEFAULT_SCHEMA_CLASS``) adds to each operation the error answers of the contract (API.md,
"Errors"), decided from the operation's shape so that new endpoints are documented without a line of their own:

- 401 and 403 for every operation behind a sign-in (anonymous; signed in but not allowed);
- 404 for anything with a path parameter (not found, or not visible to you) and for paginated lists (``?page=``);
- 400 for anything with a request body or query parameters (``ValidationError``: field → messages, or ``detail``);
- 409 for writes to an existing object (a workflow action or edit that does not fit the current status);
- 413 for every request with a body (``RequestSizeLimitMiddleware`` refuses oversize bodies before the view);
- 429 for the sign-in that is throttled (``auth/token/``).

A view adds codes its shape does not show with ``schema_error_codes = ["404"]`` (``?division=`` of another district),
and can still document its own answer for a code (``@extend_schema(responses={400: …})``); it is kept.

Read-only fields are marked ``nullable`` when their value can be null: a ``default=None``, or a ``source`` that
crosses a nullable relation or ends on a ``null=True`` column (``unit.division_id`` of a city-level unit).
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.permissions import AllowAny

ERROR = {
    "type": "object",
    "description": "错误：一句中文说明。",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": (
        "输入无效：字段名 → 中文错误信息列表（嵌套对象与列表按相同结构给出），或 ``detail``（一句中文说明）。"
    ),
    "additionalProperties": {
        "oneOf": [
            {"type": "string"},
            {"type": "array", "items": {}},
            {"type": "object", "additionalProperties": {}},
        ]
    },
}

ERROR_DESCRIPTIONS = {
    "400": "输入无效",
    "401": "未登录（或令牌无效、已过期）",
    "403": "已登录，但无权执行此操作",
    "404": "对象不存在或对你不可见；或页码无效",
    "409": "操作与对象的当前状态不符",
    "413": "请求内容过大",
    "429": "尝试次数过多，请稍后再试",
}

TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


class PortalAutoSchema(AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        self._error_response("400")  # both components exist for views that name them (``error_or``)
        for code in self._error_codes(operation):
            responses.setdefault(code, self._error_response(code))
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _error_codes(self, operation) -> list[str]:
        parameters = operation.get("parameters", [])
        in_path = any(p["in"] == "path" for p in parameters)
        in_query = any(p["in"] == "query" for p in parameters)
        has_body = "requestBody" in operation
        public = all(isinstance(p, AllowAny) for p in self.view.get_permissions())
        codes = list(getattr(self.view, "schema_error_codes", []))
        if not public:
            codes += ["401", "403"]
        if has_body or in_query:
            codes.append("400")
        if in_path or any(p["name"] == "page" for p in parameters):
            codes.append("404")
        if in_path and self.method in WRITES:
            codes.append("409")
        if has_body:
            codes.append("413")
        if public and self.method == "POST":
            codes.append("429")
        return codes

    def _error_response(self, code: str) -> dict:
        self.registry.register_on_missing(_component("Error", ERROR))
        component = _component("ValidationError", VALIDATION_ERROR) if code == "400" else _component("Error", ERROR)
        self.registry.register_on_missing(component)
        return {"description": ERROR_DESCRIPTIONS[code], "content": {"application/json": {"schema": component.ref}}}

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if schema.get("format") == "time":
            # DRF's times are "09:00:00": JSON Schema's "time" is RFC 3339's full-time, which needs an offset
            del schema["format"]
            schema["pattern"] = TIME_PATTERN
        return schema

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if direction == "response" and field.read_only and can_be_null(field):
            meta["nullable"] = True
        return meta


def _component(name: str, schema: dict) -> ResolvedComponent:
    return ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)


def error_or(component_name: str) -> dict:
    """A response schema for a code answered with either a body of its own or a ``ValidationError``: an import that
    imported nothing answers 400 with its result (``ImportResult``), a missing file with ``{"file": [...]}``."""
    return {
        "anyOf": [{"$ref": f"#/components/schemas/{component_name}"}, {"$ref": "#/components/schemas/ValidationError"}]
    }


def can_be_null(field) -> bool:
    """Whether a read-only field can render ``null``: an explicit ``default=None``, or a model ``source`` that crosses
    a nullable relation or ends on a nullable column."""
    if isinstance(field, serializers.ListSerializer) or getattr(field, "many", False):
        return False
    if field.default is None and field.default is not empty:
        return True
    source_attrs = getattr(field, "source_attrs", None) or (field.source or field.field_name or "").split(".")
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or source_attrs == ["*"]:
        return False
    for name in source_attrs:
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            model_field = _field_by_attname(model, name)
            if model_field is None:
                return False  # a property or method: its schema says what it returns
        if model_field.null:
            return True
        if not isinstance(model_field, models.ForeignKey | models.OneToOneField):
            return False
        model = model_field.related_model
    return False


def _field_by_attname(model, attname):
    return next((f for f in model._meta.concrete_fields if f.attname == attname), None)
