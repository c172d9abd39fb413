"""A reported value as its officer entered it, for the change log of a report."""

from collections.abc import Mapping
from datetime import date
from pathlib import PurePosixPath
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


# What ``as_entered`` leaves out, each named as the form names it: an officer asked to add a
# source or evidence changes only these, and the log read "88 → 88".
ASIDE_FIELDS = ("note", "source", "evidence_url", "evidence_file")


@register.filter
def aside_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> list[str]:
    """The changes of a logged value besides its figure: "nguồn: thêm “Báo cáo 12/BC-SCT”",
    "tệp minh chứng: “a.pdf” → “b.pdf”"; none for a value removed, whose "removed" says it."""
    if not new:
        return []
    old = old or {}
    lines = []
    for name in ASIDE_FIELDS:
        before, after = _aside(name, old.get(name)), _aside(name, new.get(name))
        if before == after:
            continue
        label = ReportedValue._meta.get_field(name).verbose_name
        if not before:
            lines.append(_("%(field)s: added “%(new)s”") % {"field": label, "new": after})
        elif not after:
            lines.append(_("%(field)s: removed “%(old)s”") % {"field": label, "old": before})
        else:
            lines.append(
                _("%(field)s: “%(old)s” → “%(new)s”")
                % {"field": label, "old": before, "new": after}
            )
    return lines


def _aside(name: str, text: str | None) -> str:
    # A stored file is named under its upload folder (evidence/2026/bien-ban.pdf): the
    # officer chose "bien-ban.pdf".
    if name == "evidence_file" and text:
        return PurePosixPath(text).name
    return text or ""


@register.filter
def iso_day(text: str | None) -> str:
    """A day as a logged or previewed value holds it ("2024-07-15"), as pages write days."""
    if not text:
        return ""
    return date_format(date.fromisoformat(text), "SHORT_DATE_FORMAT")
