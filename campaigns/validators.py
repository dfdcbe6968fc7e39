"""Validators every app shares.

The date window (2000 … ten years ahead) is said once, in :func:`validate_sane_date`: the API's serializers name it in
their ``validators``, and every page form takes its dates through :class:`SaneDateField`, which runs the same function
(tests/campaigns/test_date_window.py walks the forms so a new date field without it fails).
"""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

FIRST_YEAR = 2000  # the portal holds nothing older; 0001-01-01 is a typo or a probe
YEARS_AHEAD = 10  # a deadline or a project ten years out is already a guess


def sane_years() -> tuple[int, int]:
    """The first and last year a deadline, a project date or a report period may fall in."""
    return FIRST_YEAR, timezone.localdate().year + YEARS_AHEAD


def validate_sane_date(value: date) -> None:
    """Refuse dates outside 2000 … ten years ahead (deadlines, project dates), in Chinese."""
    first, last = sane_years()
    if value is not None and not (first <= value.year <= last):
        raise ValidationError(f"日期应在 {first} 年至 {last} 年之间。", code="date_out_of_range")


class SaneDateInput(forms.DateInput):
    """The browser's date picker, bounded to the window as of the moment the page is drawn (not at import)."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):
        # The picker reads and writes ISO dates, whatever the locale's first input format (zh-hans: 2022/08/22).
        super().__init__(attrs, format or "%Y-%m-%d")

    def get_context(self, name, value, attrs):
        first, last = sane_years()
        return super().get_context(name, value, {"min": f"{first}-01-01", "max": f"{last}-12-31", **(attrs or {})})


class SaneDateField(forms.DateField):
    """A page form's date, bounded like the API's by :func:`validate_sane_date`."""

    default_validators = [validate_sane_date]
    widget = SaneDateInput
