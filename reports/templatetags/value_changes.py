"""A reported value as its officer entered it, for the change log of a report."""

from collections.abc import Mapping
from typing import Any

from django import template

from indicators.templatetags.figures import figure
from reports.models import ReportedValue

register = template.Library()


@register.filter
def as_entered(stored: Mapping[str, Any] | None) -> str:
    """One side of a logged change: "khoảng 90", "90 (45/50)"; the qualifier and the share's
    parts are what changed as often as the number."""
    if not stored:
        return ""
    text = figure(stored.get("value")) or "—"
    qualifier = stored.get("qualifier") or ReportedValue.Qualifier.EXACT
    if qualifier != ReportedValue.Qualifier.EXACT and qualifier in ReportedValue.Qualifier.values:
        text = f"{ReportedValue.Qualifier(qualifier).label} {text}"
    if stored.get("numerator") and stored.get("denominator"):
        text += f" ({figure(stored['numerator'])}/{figure(stored['denominator'])})"
    return text
