"""REG-5: the ID number is validated: 18 characters, a real birth date and the GB 11643
check character."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from miniport.core.errors import CoreError, PlatformError
from miniport.core.validators import make_id_number, parse_id_number

regions = st.integers(min_value=110000, max_value=659999).map(str)
births = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))
sequences = st.integers(min_value=0, max_value=999)
CHECK_CHARACTERS = "0123456789X"


def assert_invalid(raw):
    with pytest.raises(PlatformError) as caught:
        parse_id_number(raw)
    assert caught.value.code == CoreError.ID_NUMBER_INVALID
    assert caught.value.field == "id_number"


@given(region=regions, born=births, sequence=sequences)
def test_every_generated_id_number_passes_and_yields_its_birth_date(region, born, sequence):
    """REG-5: any checksum-valid number with a real birth date is accepted."""
    number = make_id_number(born, region=region, sequence=sequence)
    assert parse_id_number(number) == (number, born)


@given(region=regions, born=births, sequence=sequences, data=st.data())
def test_a_changed_check_character_always_fails(region, born, sequence, data):
    """REG-5: the last character must be the GB 11643 check character."""
    number = make_id_number(born, region=region, sequence=sequence)
    wrong = data.draw(st.sampled_from([c for c in CHECK_CHARACTERS if c != number[-1]]))
    assert_invalid(number[:-1] + wrong)


@given(region=regions, born=births, sequence=sequences, data=st.data())
def test_any_single_changed_digit_fails(region, born, sequence, data):
    """REG-5: the weights are prime to 11, so one changed digit always breaks the check."""
    number = make_id_number(born, region=region, sequence=sequence)
    position = data.draw(st.integers(min_value=0, max_value=16))
    digit = data.draw(st.sampled_from([d for d in "0123456789" if d != number[position]]))
    assert_invalid(number[:position] + digit + number[position + 1 :])


def test_a_lower_case_x_is_read_as_the_check_character_x():
    """REG-5: numbers ending in X may be typed with a lower-case x."""
    number = next(
        make_id_number(date(1990, 1, 1), sequence=s)
        for s in range(1000)
        if make_id_number(date(1990, 1, 1), sequence=s).endswith("X")
    )
    assert parse_id_number(number.lower())[0] == number


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "11010119900101123",
        "1101011990010112345",
        "01010119900101123X",
        "11010119900101123Y",
        "11010119900101 234",
    ],
)
def test_numbers_of_the_wrong_shape_fail(raw):
    """REG-5: 18 characters, digits with an optional final X, not starting with 0."""
    assert_invalid(raw)


def test_an_impossible_birth_date_fails_even_with_a_valid_check_character():
    """REG-5: 30 February is no birth date."""
    first17 = "110101" + "19900230" + "123"
    from miniport.core.validators import id_number_check_char

    assert_invalid(first17 + id_number_check_char(first17))
