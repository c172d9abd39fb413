"""Stored progress rows as people read them, in the active language."""

from typing import Any

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from indicators.units import UnitOfMeasure
from progress import charts
from progress.explanations import explanation_sentence, missing_units_in_full, value_as_of
from progress.models import Progress
from progress.presenters import chart_locale, figure_text, ratio_text, target_text
from progress.selectors import HeatCell

register = template.Library()


@register.filter
def explain(row: Progress | None, unit: UnitOfMeasure | str = "") -> str:
    """The "how was this computed" sentence of a row, naming a few of the units it lacks;
    when there are more, all of them in a disclosure after it."""
    if row is None:
        return ""
    sentence = explanation_sentence(
        row.explanation_code, row.explanation_values, unit=unit, short=True
    )
    missing = missing_units_in_full(row.explanation_values)
    if not missing:
        return sentence
    return format_html(
        '{} <details class="missing"><summary>{}</summary>{}</details>',
        sentence,
        _("See all %(count)s missing units") % {"count": len(missing)},
        ", ".join(missing),
    )


@register.filter
def value_of(row: Progress | None, unit: UnitOfMeasure | str = "") -> str:
    return figure_text(row, unit)


@register.filter
def value_day(row: Progress | None) -> str:
    """The day an interim figure stands for ("15/7/2025"), else nothing."""
    if row is None:
        return ""
    day = value_as_of(row.value, (row.explanation_values or {}).get("value_as_of"))
    return date_format(day, "SHORT_DATE_FORMAT") if day else ""


@register.filter
def achievement(row: Progress | None) -> str:
    return ratio_text(row)


@register.filter
def glyph(status: str) -> str:
    return charts.STATUS_GLYPHS.get(status, "")


@register.filter
def status_words(status: str) -> str:
    """A status as the badges word it: "on track"."""
    try:
        return str(Progress.Status(status).label)
    except ValueError:
        return status


@register.filter
def heat_words(cell: HeatCell) -> str:
    """A heat-map cell in words, for its tooltip and a screen reader: "SCP-07: không đạt",
    then whose figure it is when not the unit's own report alone, "— Bắc Kạn (đến
    30/6/2025)"; a roll-up of former units is named as the charts' legends name it."""
    words = f"{cell.anchor}: {status_words(cell.status)}"
    if not cell.sources:
        return words
    whose = [
        f"{source.unit.label} ({Progress.Origin.PREDECESSORS.label})"
        if source.combined
        else source.unit.label
        for source in cell.sources
    ]
    return f"{words} — {', '.join(whose)}"


@register.filter
def target_words(target: Any, unit: UnitOfMeasure | str = "") -> str:
    return target_text(target, unit) if target else ""


@register.filter
def sparkline_points(points: list[tuple[int, float]]) -> str:
    return charts.sparkline(points)


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key)


@register.simple_tag
def status_badge(status: str, label: str = "") -> SafeString:
    # A simple tag rather than an included template: the overview draws hundreds of them.
    return format_html(
        '<span class="status status-{}"><span class="glyph" aria-hidden="true">{}</span> {}</span>',
        status,
        charts.STATUS_GLYPHS.get(status, ""),
        label or status_words(status),
    )


@register.simple_tag
def chart_words() -> SafeString | str:
    """The words plotly.js writes itself (its toolbar's tooltips), in the reader's language,
    for static/js/charts.js to register."""
    locale = chart_locale()
    if not locale:
        return ""
    return format_html(
        '<script type="application/json" id="chart-locale">{}</script>', charts.words_json(locale)
    )


@register.inclusion_tag("progress/_chart.html")
def chart(chart: Any) -> dict[str, Any]:
    return {"chart": chart}


@register.inclusion_tag("progress/_legend.html")
def status_legend(blank: bool = False) -> dict[str, Any]:
    """The statuses and their colours; ``blank`` adds the empty cell of a heat map, where a
    unit has neither a target nor a figure for the indicator."""
    return {"statuses": list(charts.STATUS_COLOURS), "blank": blank}
