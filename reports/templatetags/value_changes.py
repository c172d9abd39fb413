"""A reported value as its officer entered it, for the change log of a report."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from indicators.templatetags.figures import figure
from reports.models import ReportedValue

register = template.Library()


@register.filter
def as_entered(stored: Mapping[str, Any] | None) -> str:
    """One side of a logged change: "khoảng 90", "90 (45/50)", "80 · tính đến 15/7/2022",
    "— · đánh giá: đúng tiến độ"; the qualifier, the share's parts, the day and the
    assessment change as often as the number."""
    if not stored:
        return ""
    text = figure(stored.get("value")) or "—"
    qualifier = stored.get("qualifier") or ReportedValue.Qualifier.EXACT
    if qualifier != ReportedValue.Qualifier.EXACT and qualifier in ReportedValue.Qualifier.values:
        text = f"{ReportedValue.Qualifier(qualifier).label} {text}"
    if stored.get("numerator") and stored.get("denominator"):
        text += f" ({figure(stored['numerator'])}/{figure(stored['denominator'])})"
    if stored.get("as_of"):
        # A figure dated mid-year reads differently from the year's: a change of day is
        # a change of what the figure says, even with the same number.
        text += " · " + _("as of %(day)s") % {"day": iso_day(stored["as_of"])}
    # A qualitative result has no number: the ministry's assessment is what a review changes.
    assessment = stored.get("qualitative_status")
    if assessment in ReportedValue.QualitativeStatus.values:
        label = ReportedValue.QualitativeStatus(assessment).label
        text += " · " + _("assessed: %(status)s") % {"status": label}
    return text


@register.filter
def iso_day(text: str | None) -> str:
    """A day as a logged or previewed value holds it ("2024-07-15"), as pages write days."""
    if not text:
        return ""
    return date_format(date.fromisoformat(text), "SHORT_DATE_FORMAT")
