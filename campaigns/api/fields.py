"""Input fields shared by the apps' serializers."""

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
