"""Input fields shared by the apps' serializers.

Every writable related field of every serializer is a :class:`ScopedPrimaryKeyRelatedField` (or, where anything may
be picked, a :class:`StrictPrimaryKeyRelatedField`): an id is an integer, never truncated, and an id outside the
requester's scope (campaigns/scoping.py) is answered as if it did not exist (400 ``{"field": ["志愿者不存在。"]}``),
never with the other district's row; the browsable API's ``<select>`` lists only what the requester may see.
"""

from rest_framework import serializers


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id is an integer or a string of ASCII digits: ``22.5`` (which Django's ``int()`` made unit 22), ``true`` or
    ``"２２"`` are refused, not truncated."""

    def to_internal_value(self, data):
        integer = isinstance(data, int) and not isinstance(data, bool)
        digits = isinstance(data, str) and data.isascii() and data.isdigit()
        if not (integer or digits):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class ScopedPrimaryKeyRelatedField(StrictPrimaryKeyRelatedField):
    """``ScopedPrimaryKeyRelatedField(selectors.volunteers_visible_to, model=Volunteer)``.

    ``selector(user)`` returns the queryset the user may pick from; ``model`` types the field for the schema.
    """

    def __init__(self, selector, *, model, **kwargs):
        self.selector = selector
        name = str(model._meta.verbose_name)
        kwargs.setdefault("queryset", model._default_manager.none())
        kwargs.setdefault(
            "error_messages",
            {
                "does_not_exist": f"{name}不存在。",
                "incorrect_type": f"{name}不存在。",
                "required": "该字段是必填项。",
                "null": "该字段不能为空。",
            },
        )
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.selector(getattr(request, "user", None))
