"""GB 11643-1999 citizen identity numbers: 17 digits and a check character (0–9 or X) computed mod 11."""

from datetime import date

from django.core.exceptions import ValidationError

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def weighted_sum(digits: str, position: int) -> int:
    """The check sum's share of ``digits`` standing at ``position`` (0-based) of the 17: sums of parts add up."""
    return sum(int(d) * w for d, w in zip(digits, WEIGHTS[position:], strict=False))


def check_char(first17: str) -> str:
    return CHECK_CHARS[weighted_sum(first17, 0) % 11]


def normalise(value: str) -> str:
    return (value or "").strip().upper()


def birth_date_of(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def validate_id_number(value: str) -> str:
    """Return the normalised number or raise ValidationError with a Chinese reason."""
    number = normalise(value)
    if len(number) != 18:
        raise ValidationError("身份证号应为18位。", code="length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError("身份证号前17位应为数字，末位为数字或X。", code="format")
    try:
        born = birth_date_of(number)
    except ValueError:
        raise ValidationError("身份证号中的出生日期无效。", code="birth") from None
    if born > date.today() or born.year < 1900:
        raise ValidationError("身份证号中的出生日期无效。", code="birth")
    if check_char(number[:17]) != number[17]:
        raise ValidationError("身份证号校验位错误。", code="check")
    return number


def gender_of(number: str) -> str:
    return "M" if int(number[16]) % 2 else "F"


def make_id_number(area: str, born: date, serial: int) -> str:
    """A valid number for seeding: six-digit area code, birth date, three-digit serial, check character."""
    first17 = f"{area[:6]}{born:%Y%m%d}{serial % 1000:03d}"
    return first17 + check_char(first17)
