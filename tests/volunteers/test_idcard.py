from datetime import date

import pytest
from django.core.exceptions import ValidationError

from volunteers.idcard import make_id_number, validate_id_number


def test_valid_number_passes_and_is_normalised():
    number = make_id_number("140213", date(1990, 3, 7), 123)
    assert validate_id_number(f" {number} ") == number


def test_x_as_check_character_is_accepted_in_either_case():
    # The standard's own example: its check character is X.
    assert validate_id_number("11010519491231002X") == "11010519491231002X"
    assert validate_id_number("11010519491231002x") == "11010519491231002X"


def test_bad_check_digit_is_refused():
    with pytest.raises(ValidationError, match="校验位"):
        validate_id_number("110105194912310021")


@pytest.mark.parametrize("value", ["11010519491231002", "11010519491231002X1", "", "110105491231002"])
def test_wrong_length_is_refused(value):
    with pytest.raises(ValidationError, match="18位"):
        validate_id_number(value)


def test_letters_inside_and_impossible_birth_dates_are_refused():
    with pytest.raises(ValidationError, match="数字"):
        validate_id_number("1101051949A231002X")
    first17 = "14021319901332123"  # month 13
    from volunteers.idcard import check_char

    with pytest.raises(ValidationError, match="出生日期"):
        validate_id_number(first17 + check_char(first17))
