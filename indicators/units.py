"""A unit of measure as it reads after a figure: "1 product", "2 products", "21,6 MW".

English count nouns take the singular after exactly one. Vietnamese has no plural ("1 sản
phẩm", "2 sản phẩm"), and symbols and mass nouns ("MW", "%", "million kWh") never change, so
only an English unit with a singular of its own has two forms. No ORM here: the indicator
hands its unit over (``Indicator.unit_of_measure``) and the presenters choose the form.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import get_language


def is_one(number: Any) -> bool:
    """Whether a figure reads as exactly one, the only number that takes the singular.

    Exactly one and nothing else: "0.5 products", "1.5 products"; and a range is plural
    whatever its ends ("1–2 models", which callers write with the plain label).

    Decide on the number as printed. The pages never print trailing zeros (``figure`` turns
    the stored 1.0000 into "1"), so a stored 1.0000 reads "1 product"; CLDR's English rule
    would make a printed "1.0" plural, but no page prints one. A caller that rounds before
    printing passes the rounded number: 1.004 shown as "1" reads "1 product".
    """
    if number is None or isinstance(number, bool):
        return False
    try:
        return Decimal(str(number)) == 1
    except InvalidOperation:
        return False


@dataclass(frozen=True)
class UnitOfMeasure:
    """A unit in one language: ``label`` names it on its own ("products", a chart's axis) and
    follows every figure but one; ``singular`` ("product") follows exactly one, and is empty
    where the unit does not change."""

    label: str
    singular: str = ""

    def __str__(self) -> str:
        # Templates print a unit on its own ("SCP-05 … (models)") as they printed the string.
        return self.label

    def __bool__(self) -> bool:
        return bool(self.label)

    def after(self, number: Any) -> str:
        """The form that follows ``number`` as printed: "product" after 1, else "products"."""
        return self.singular if self.singular and is_one(number) else self.label


def unit_of_measure(unit: "UnitOfMeasure | str") -> UnitOfMeasure:
    """A plain string is a unit with one form ("MW", "%"), as callers without an indicator
    (the chart labels, the tests of the sentences) pass it."""
    return unit if isinstance(unit, UnitOfMeasure) else UnitOfMeasure(unit)


def unit_in_language(unit: str, unit_en: str, unit_en_singular: str = "") -> UnitOfMeasure:
    """An indicator's unit in the reader's language: "mô hình" after any number; "model" /
    "models" in English; "MW" either way. English falls back to the Vietnamese unit where the
    indicator has no English one, which then has no singular either."""
    if get_language() == "en" and unit_en:
        return UnitOfMeasure(unit_en, unit_en_singular)
    return UnitOfMeasure(unit)
