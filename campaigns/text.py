"""Free text from people, checked the same way everywhere before a service stores it."""

from django.core.exceptions import ValidationError


def clean_text(value, field: str, *, required: bool = False, max_length: int | None = None) -> str:
    """Return ``value`` stripped; refuse non-text, NUL bytes, a missing required value and over-long text."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError({field: ["应为文本。"]})
    if "\x00" in value:
        raise ValidationError({field: ["内容含有非法字符。"]})
    text = value.strip()
    if required and not text:
        raise ValidationError({field: ["此项为必填项。"]})
    if max_length and len(text) > max_length:
        raise ValidationError({field: [f"不能超过 {max_length} 个字。"]})
    return text
