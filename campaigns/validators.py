"""Validators every app shares."""

from datetime import date

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
