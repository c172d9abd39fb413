"""Numbers as officers type them: Vietnamese "21,6" and "1.234,5", English "21.6" and "1,234.5";
and days: Vietnamese "15/7/2024", ISO "2024-07-15"."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from indicators.templatetags.figures import figure_typed

_GROUPED = re.compile(r"^[+-]?\d{1,3}([.,\s]\d{3})+([.,]\d+)?$")
_GROUPED_ONLY = re.compile(r"^[+-]?\d{1,3}(?:(\.)\d{3}(?:\.\d{3})+|(,)\d{3}(?:,\d{3})+)$")
_NUMBER_TEXT = re.compile(r"^[+-]?[\d.,\s]*\d[\d.,\s]*$")
# One mark before exactly three digits, after a whole part that a group of thousands could
# follow: Vietnamese write 1500 as "1.500", English as "1,500", and either may mean 1,5.
_ONE_GROUP = re.compile(r"^[+-]?[1-9]\d{0,2}[.,]\d{3}$")
# The documents' words before a figure, and the qualifier that holds each (the labels
# of ReportedValue.Qualifier).
_QUALIFIER_WORDS = {
    "trên": "more than",
    "hơn": "more than",
    "more than": "more than",
    ">": "more than",
    "dưới": "less than",
    "less than": "less than",
    "<": "less than",
    "khoảng": "about",
    "about": "about",
    "~": "about",
}
_WORDED = re.compile(
    r"^(trên|hơn|more than|>|dưới|less than|<|khoảng|about|~)\s*"
    r"([+-]?[\d.,\s]*\d[\d.,\s]*?)\s*%?$",
    re.IGNORECASE,
)


# What a value, numerator or denominator keeps (the columns are 20 digits, 4 of them
# decimals); services.value_errors refuses a number that does not fit.
VALUE_DECIMALS = 4
VALUE_WHOLE_DIGITS = 16


class NumberError(ValueError):
    pass


def parse_number(text: str) -> Decimal | None:
    """A decimal from either convention; blank is None.

    With both marks present, the last one is the decimal mark (1.234,5 and 1,234.5);
    with one mark, it is the decimal mark (21,6 and 21.6), since a lone thousands
    separator cannot be told from a decimal one and a figure read 1000 times too large
    is worse than one the officer sees corrected in the preview.
    """
    typed = text.strip()
    text = typed.replace("\u00a0", " ")
    if not text:
        return None
    # The message names what the person typed, not the text as rewritten below.
    error = NumberError(_("%(text)r is not a number") % {"text": typed})
    if worded := _WORDED.match(text):
        # "trên 50", "khoảng 35": the documents' words, which the qualifier holds.
        raise NumberError(
            _(
                "%(text)r is not a number: write the number alone (%(number)s) and choose "
                "“%(word)s” as the qualifier"
            )
            % {
                "text": typed,
                "word": _(_QUALIFIER_WORDS[worded.group(1).lower()]),
                "number": worded.group(2),
            }
        )
    if text.endswith("%") and _NUMBER_TEXT.match(text[:-1].strip()):
        raise NumberError(
            _("%(text)r is not a number: write it without the %% sign (%(number)s)")
            % {"text": typed, "number": text[:-1].strip()}
        )
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        if not _GROUPED.match(text):
            raise error
        text = text.replace(group_mark, "").replace(" ", "").replace(decimal_mark, ".")
    elif text.count(".") > 1 or text.count(",") > 1:
        # A mark written twice groups thousands: 1.234.567 in Vietnamese, 1,234,567 in
        # English. Only whole groups of three are read.
        if not _GROUPED_ONLY.match(text):
            raise error
        text = text.replace(".", "").replace(",", "")
    else:
        if " " in text and not _GROUPED.match(text):
            raise error
        text = text.replace(" ", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise error from None
    if not number.is_finite():
        raise error
    return number


def reads_two_ways(text: str) -> bool:
    """Whether ``text`` is a lone mark before three digits ("1.500", "1,200"), which
    ``parse_number`` reads as a decimal mark but a person may have typed as thousands."""
    return bool(_ONE_GROUP.match(text.strip()))


def two_way_question(text: str, *, kept: str = "", grouping_possible: bool = True) -> str | None:
    """What to ask a person who typed ``text`` that ``reads_two_ways``, in the active
    language; None when there is nothing to ask.

    Not asked of ``kept``, the stored figure as its field shows it (21,125 MW) given back
    unchanged, nor where 1500 cannot be meant (``grouping_possible`` false: a share). The
    form, the API and the import all ask: the import's preview would show 1,5, but beside
    a thousand other rows a figure a thousand times too small is easily confirmed. The
    import does not ask of an .xlsx number cell, whose "1.500" is its format's."""
    typed = text.strip()
    if not grouping_possible or typed == kept or not reads_two_ways(typed):
        return None
    whole = typed.replace(".", "").replace(",", "")
    decimal = figure_typed(parse_number(typed))
    if reads_two_ways(decimal):
        # 2,025 is its own shortest spelling, and advising it would ask again: a fourth
        # decimal, which no group of thousands has, leaves one reading.
        decimal += "0"
    return _(
        "%(text)r could be read as %(whole)s or as %(decimal)s: write %(whole)s, "
        "without a thousands separator, or %(decimal)s"
    ) % {"text": typed, "whole": whole, "decimal": decimal}


# Day first, as Vietnamese write it (15/7/2024, 15-07-2024, 15.07.2024), or ISO. A time of
# day after it (Excel's "15/07/2024 10:30" saved as CSV, a system's "2024-07-15T00:00:00")
# stands for its day: the figure is dated, not timed.
_TIME = r"(?:[ T](?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?)?"
_DAY_FIRST = re.compile(rf"^(\d{{1,2}})([/.-])(\d{{1,2}})\2(\d{{4}}){_TIME}$")
_ISO_DAY = re.compile(rf"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){_TIME}$")


class DayError(ValueError):
    pass


def parse_day(text: str) -> date | None:
    """A day written dd/mm/yyyy or yyyy-mm-dd, with or without a time of day; blank is None.

    Never month first: 7/5/2024 is 7 May. A two-digit year is refused rather than
    guessed.
    """
    typed = text.strip()
    if not typed:
        return None
    if found := _DAY_FIRST.match(typed):
        day, month, year = int(found.group(1)), int(found.group(3)), int(found.group(4))
    elif found := _ISO_DAY.match(typed):
        year, month, day = (int(part) for part in found.groups())
    else:
        raise DayError(
            _("%(text)r is not a day: write it as dd/mm/yyyy, e.g. 15/07/2024") % {"text": typed}
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise DayError(
            _("%(text)r is not a day of the calendar: write it as dd/mm/yyyy, e.g. 15/07/2024")
            % {"text": typed}
        ) from None
