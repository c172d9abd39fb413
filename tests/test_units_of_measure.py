"""The form a unit of measure takes after a figure: "1 product", "2 products", "1 sản phẩm"."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from indicators.models import Indicator
from indicators.units import UnitOfMeasure, is_one

PRODUCTS = UnitOfMeasure("products", "product")


@pytest.mark.parametrize(
    "number",
    # A stored count comes back as 1.0000 and prints "1"; a rounded 1 is printed "1".
    [1, Decimal("1"), Decimal("1.0000"), 1.0, "1", "1.00"],
)
def test_exactly_one_takes_the_singular(number: object) -> None:
    assert is_one(number)
    assert PRODUCTS.after(number) == "product"


@pytest.mark.parametrize(
    "number",
    [0, 2, Decimal("0.5"), Decimal("1.5"), Decimal("0.9999"), Decimal("1.0001"), -1, None, "",
     "—", True],
)  # fmt: skip
def test_every_other_number_takes_the_plural(number: object) -> None:
    assert not is_one(number)
    assert PRODUCTS.after(number) == "products"


def test_a_unit_without_a_singular_never_changes() -> None:
    assert UnitOfMeasure("MW").after(1) == "MW"
    assert UnitOfMeasure("sản phẩm").after(1) == UnitOfMeasure("sản phẩm").after(2) == "sản phẩm"


def test_a_unit_on_its_own_reads_as_its_label() -> None:
    assert str(PRODUCTS) == "products"
    assert PRODUCTS and not UnitOfMeasure("")


@pytest.mark.django_db
def test_an_indicators_unit_has_a_singular_only_in_english() -> None:
    ocop = Indicator.objects.get(code="BK-OCOP-5S")
    with translation.override("vi"):
        assert ocop.unit_of_measure == UnitOfMeasure("sản phẩm")
        assert ocop.unit_label == "sản phẩm"
    with translation.override("en"):
        assert ocop.unit_of_measure == UnitOfMeasure("products", "product")
        assert ocop.unit_label == "products"


@pytest.mark.django_db
def test_without_an_english_unit_english_falls_back_to_the_vietnamese_without_a_singular() -> None:
    ocop = Indicator.objects.get(code="BK-OCOP-5S")
    ocop.unit_en = ""
    with translation.override("en"):
        assert ocop.unit_of_measure == UnitOfMeasure("sản phẩm")


@pytest.mark.django_db
def test_a_singular_without_the_english_unit_is_refused() -> None:
    """It would never be shown: without ``unit_en`` the page reads the Vietnamese unit."""
    ocop = Indicator.objects.get(code="BK-OCOP-5S")
    ocop.unit_en = ""
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        ocop.full_clean()
    assert "An English singular needs the English unit of measure." in str(refused.value)
