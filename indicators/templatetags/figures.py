"""Figures as people read them: 21,6 and 1.234,5 in Vietnamese, 21.6 and 1,234.5 in English."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from indicators.units import UnitOfMeasure, unit_of_measure

register = template.Library()


@register.filter
def figure(value: Decimal | int | float | None) -> str:
    """A number without trailing zeros, grouped and with the language's decimal mark."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    # normalize() turns 21.6000 into 21.6 but 100 into 1E+2; quantize back to an integer then.
    number = number.normalize()
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    places = max(0, -number.as_tuple().exponent)  # type: ignore[operator]
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def unit_after(unit: UnitOfMeasure | str, value: Decimal | int | float | None) -> str:
    """The unit's form after ``value`` as ``figure`` prints it: "1 product", "2 products".
    ``figure`` rounds nothing, so the stored number is the printed one."""
    return unit_of_measure(unit).after(value)
