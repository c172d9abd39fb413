"""How a page names a unit: one label for a unit wherever a person reads its name."""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _


def unit_label(name: str, valid_to: date | None) -> str:
    """A unit in force by its name; a former unit by its name and last day, "Bắc Kạn (đến
    30/6/2025)" / "Bắc Kạn (until 30 Jun 2025)", the same on every page, chart, error
    message and explanation: the old and the new Thái Nguyên share a name, and a flag such
    as "former" would not say until when the unit reported."""
    if valid_to is None:
        return name
    return _("%(name)s (until %(day)s)") % {
        "name": name,
        "day": date_format(valid_to, "SHORT_DATE_FORMAT"),
    }
