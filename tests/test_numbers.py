"""Numbers as officers type them (reports.numbers.parse_number)."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from reports.numbers import NumberError, parse_number, two_way_question


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("21,6", Decimal("21.6")),
        ("21.6", Decimal("21.6")),
        ("1.234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("1 234,5", Decimal("1234.5")),
        # A mark written twice groups thousands: how Vietnamese writes a million.
        ("1.234.567", Decimal("1234567")),
        ("1,234,567", Decimal("1234567")),
        ("-1.234.567", Decimal("-1234567")),
        ("", None),
    ],
)
def test_numbers_are_read_in_either_convention(text: str, number: Decimal | None) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["1.23.567", "12,34,567", "1.234.56", "1.234.567.", "abc", "NaN"])
def test_what_is_not_a_number_is_refused_naming_what_was_typed(text: str) -> None:
    with translation.override("en"), pytest.raises(NumberError) as error:
        parse_number(text)
    assert str(error.value) == f"{text!r} is not a number"


@pytest.mark.parametrize(
    ("text", "language", "message"),
    [
        (
            "trên 50",
            "vi",
            "'trên 50' không phải là số: hãy ghi riêng con số (50) và chọn cách diễn đạt “trên”",
        ),
        (
            "khoảng 21,6 %",
            "en",
            "'khoảng 21,6 %' is not a number: write the number alone (21,6) and choose "
            "“about” as the qualifier",
        ),
        ("50%", "en", "'50%' is not a number: write it without the % sign (50)"),
    ],
)
def test_a_qualifier_or_a_percent_sign_typed_with_the_number_is_explained(
    text: str, language: str, message: str
) -> None:
    """The documents write "trên 50" and "khoảng 35": typed so, the reason says where the
    word goes instead of only that it is not a number."""
    with translation.override(language), pytest.raises(NumberError) as error:
        parse_number(text)
    assert str(error.value) == message


@given(
    whole=st.integers(1, 999),
    decimals=st.integers(0, 999),
    mark=st.sampled_from(".,"),
    language=st.sampled_from(["vi", "en"]),
)
def test_the_decimal_spelling_a_two_way_question_advises_is_taken_as_meant(
    whole: int, decimals: int, mark: str, language: str
) -> None:
    """Typed "2,025", the advice was "write 2025, …, or 2,025": the text refused, so a
    figure with three decimals could not be entered at all."""
    typed = f"{whole}{mark}{decimals:03d}"
    with translation.override(language):
        question = two_way_question(typed)
        assert question is not None
        advised = question.rsplit(" ", 1)[1]
        assert two_way_question(advised) is None, question
        assert parse_number(advised) == parse_number(typed)
