"""Figures as people read them: 21,6 and 1.234,5 in Vietnamese, 21.6 and 1,234.5 in English."""

from decimal import Decimal

from django import template
from django.utils import numberformat
from django.utils.formats import get_format, number_format

from indicators.units import UnitOfMeasure, unit_of_measure

register = template.Library()


def _trimmed(value: Decimal | int | float) -> tuple[Decimal, int]:
    """The number without trailing zeros, and its decimal places."""
    # normalize() turns 21.6000 into 21.6 but 100 into 1E+2; quantize back to an integer then.
    number = Decimal(str(value)).normalize()
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    return number, max(0, -number.as_tuple().exponent)  # type: ignore[operator]


@register.filter
def figure(value: Decimal | int | float | None) -> str:
    """A number without trailing zeros, grouped and with the language's decimal mark."""
    if value is None or value == "":
        return ""
    number, places = _trimmed(value)
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def figure_typed(value: Decimal | None) -> str:
    """A number as a form field shows it to be typed over: ``figure`` without grouping.
    A lone mark reads as the decimal mark (``reports.numbers.parse_number``), so 1500
    shown "1.500" would be saved back as 1,5."""
    if value is None:
        return ""
    number, places = _trimmed(value)
    return numberformat.format(
        number, get_format("DECIMAL_SEPARATOR"), decimal_pos=places, grouping=0
    )


@register.filter
def unit_after(unit: UnitOfMeasure | str, value: Decimal | int | float | None) -> str:
    """The unit's form after ``value`` as ``figure`` prints it: "1 product", "2 products".
    ``figure`` rounds nothing, so the stored number is the printed one."""
    return unit_of_measure(unit).after(value)
