"""Related fields whose choices are what the requesting user may see (campaigns/scoping.py).

Every writable related field of every serializer is a :class:`ScopedPrimaryKeyRelatedField`: an id outside the
requester's scope is answered as if it did not exist (400 ``{"field": ["志愿者不存在。"]}``), never with the
other district's row; and the browsable API's ``<select>`` lists only what the requester may see.
"""

from rest_framework import serializers


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
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
