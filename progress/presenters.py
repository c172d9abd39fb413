"""Stored Progress rows shaped into DataFrames and charts for the pages (no queries here)."""

import textwrap
from dataclasses import dataclass, replace
from datetime import date, timedelta

import pandas as pd
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext as _

from indicators.models import Indicator, Target
from indicators.units import UnitOfMeasure, unit_of_measure
from provinces.models import Province
from reference.citations import cited_text
from reports.models import ReportedValue

from . import charts
from .explanations import achievement_text, quantity
from .models import Progress
from .selectors import progress_current, progress_latest_value

POINT_COLUMNS = ["series", "year", "value", "qualifier", "hover"]
TARGET_COLUMNS = ["year", "comparator", "low", "high", "label", "hover"]
# A hover box does not wrap its lines: on a phone a target in the document's words, or a
# source, ran past both edges of the chart. Lines this long fit a phone's chart.
HOVER_LINE = 36


@dataclass(frozen=True)
class Chart:
    id: str
    json: SafeString
    label: str


def _language() -> str:
    return (get_language() or "vi").split("-")[0]


# plotly.js's own words on our charts, keyed by its English, which it looks them up by: the
# toolbar's tooltips (select and lasso are removed, static/js/charts.js) and the notices it
# shows after a zoom, a click on the legend or a download.
PLOTLY_WORDS = (
    ("Download plot as a PNG", pgettext_lazy("chart", "Download plot as a PNG")),
    ("Zoom", pgettext_lazy("chart", "Zoom")),
    ("Pan", pgettext_lazy("chart", "Pan")),
    ("Zoom in", pgettext_lazy("chart", "Zoom in")),
    ("Zoom out", pgettext_lazy("chart", "Zoom out")),
    ("Autoscale", pgettext_lazy("chart", "Autoscale")),
    ("Reset axes", pgettext_lazy("chart", "Reset axes")),
    (
        "Preparing image - this may take a few seconds",
        pgettext_lazy("chart", "Preparing image - this may take a few seconds"),
    ),
    ("Image download succeeded", pgettext_lazy("chart", "Image download succeeded")),
    (
        "Sorry, there was a problem downloading your image!",
        pgettext_lazy("chart", "Sorry, there was a problem downloading your image!"),
    ),
    ("Double-click to zoom back out", pgettext_lazy("chart", "Double-click to zoom back out")),
    (
        "Double-click on legend to isolate one trace",
        pgettext_lazy("chart", "Double-click on legend to isolate one trace"),
    ),
)


def chart_locale() -> dict[str, object] | None:
    """plotly.js's locale for the reader's language (``Plotly.register``), or None where
    its own English is the reader's."""
    dictionary = {english: str(words) for english, words in PLOTLY_WORDS if str(words) != english}
    return {"name": _language(), "dictionary": dictionary} if dictionary else None


def merger_day(province: Province, predecessors: list[Province]) -> date | None:
    """The day the unit was formed from others (1/7/2025), or the day it merged into one."""
    if predecessors and province.valid_from:
        return province.valid_from
    if province.successor_id and province.valid_to:
        return province.valid_to + timedelta(days=1)
    return None


def target_text(target: Target, unit: UnitOfMeasure | str) -> str:
    """The target as a table or chart names it: "≥ khoảng 35 MW" for Bắc Kạn's "khoảng 35
    MW", which is met from 33,25; without "khoảng" a row of 34 MW would look missed."""
    low, high = target.low, target.high
    about = "about" if target.approximate else ""
    if target.comparator == Target.Comparator.BETWEEN:
        # A range reads in the plural whatever its ends: "1–2 models", "0.5–1 models".
        return f"{quantity(low, '', about)}–{quantity(high, unit_of_measure(unit).label)}"
    if target.comparator == Target.Comparator.AT_MOST:
        return f"≤ {quantity(high, unit, about)}"
    if target.comparator == Target.Comparator.EXACT:
        return f"= {quantity(low, unit, about)}"
    if target.comparator == Target.Comparator.AT_LEAST:
        return f"≥ {quantity(low, unit, about)}"
    return str(Target.Comparator.QUALITATIVE.label)


def series_name(row: Progress) -> str:
    """A trace's name: the unit's label, which tells a former unit's series (the old
    Thái Nguyên's) from its successor's of the same name, then how the figure was made
    ("former provinces combined") when it is not a report."""
    name = row.province.label if row.province else _("National")
    if row.origin != Progress.Origin.REPORTED:
        return f"{name} ({row.get_origin_display()})"
    return name


def _hover_lines(*lines: str) -> str:
    """Hover text of ``lines``, each broken into lines short enough for a phone's chart."""
    return "<br>".join(part for line in lines for part in textwrap.wrap(line, HOVER_LINE))


def _hover(row: Progress, unit_of_measure: UnitOfMeasure, series: str | None) -> str:
    """A point's hover text; without ``series`` the chart writes the name and year itself
    (a series chart of every unit would otherwise send each name once per year)."""
    lines = [quantity(row.value, unit_of_measure, row.qualifier)]
    # Cited as the tables cite them ("stored article 004"), not by a stored file's name.
    sources = "; ".join(cited_text(source) for source in row.sources[:2])
    if sources:
        lines.append(f"{_('Source')}: {sources[:120]}")
    if series is not None:
        lines.insert(0, f"{series} · {row.year}")
    return _hover_lines(*lines)


def _targets_frame(rows: list[Progress], unit_of_measure: UnitOfMeasure) -> pd.DataFrame:
    seen: dict[int, Target] = {}
    for row in rows:
        if row.target and row.target.comparator != Target.Comparator.QUALITATIVE:
            seen.setdefault(row.target.pk, row.target)
    return pd.DataFrame(
        [
            {
                "year": target.year,
                "comparator": target.comparator,
                "low": float(target.low) if target.low is not None else None,
                "high": float(target.high) if target.high is not None else None,
                "label": target_text(target, ""),
                "hover": _hover_lines(
                    f"{_('Target')} {target.year}: {target_text(target, unit_of_measure)}",
                    f"({target.text_vi})",
                ),
            }
            for target in seen.values()
        ],
        columns=TARGET_COLUMNS,
    )


def chart_text(unit_of_measure: UnitOfMeasure, merger_on: date | None) -> charts.ChartText:
    return charts.ChartText(
        unit=unit_of_measure.label,
        target=_("target"),
        band=_("target band"),
        required_path=_("required path"),
        projection=_("projection"),
        merger=_("merger %(day)s") % {"day": date_format(merger_on, "SHORT_DATE_FORMAT")}
        if merger_on
        else "",
        qualifiers=tuple((q.value, str(q.label)) for q in ReportedValue.Qualifier),
    )


def _outlook(rows: list[Progress], current: Progress | None) -> Progress | None:
    """The row a unit's chart draws its path and projection from: how it stands now, or,
    once that row's target year has closed (2025, seen in 2026), the nearest target still
    ahead as of the same year (2030). The closed year's row projects nothing, and the chart
    showed no outlook at all."""
    if current is None or current.year > current.as_of_year:
        return current
    ahead = [
        row
        for row in rows
        if row.as_of_year == current.as_of_year
        and row.year > current.as_of_year
        and row.required_path
    ]
    return min(ahead, key=lambda row: row.year, default=current)


def unit_indicator_chart(
    *,
    chart_id: str,
    indicator: Indicator,
    rows: list[Progress],
    unit: Province,
    merger_on: date | None,
) -> Chart:
    """One indicator of a unit: its values (and its former units'), targets, path, projection."""
    unit_of_measure = indicator.unit_of_measure
    points = pd.DataFrame(
        [
            {
                "series": series_name(row),
                "year": row.year,
                "value": float(row.value),
                "qualifier": row.qualifier or "exact",
                "hover": _hover(row, unit_of_measure, series_name(row)),
            }
            for row in rows
            if row.value is not None
        ],
        columns=POINT_COLUMNS,
    )
    # The path and the projection of the series that says how the unit stands now.
    own = [row for row in rows if row.province_id == unit.pk] or rows
    current = _outlook(own, progress_current(own))
    path: list[tuple[int, float]] = []
    projection = None
    text = chart_text(unit_of_measure, merger_on)
    if current and current.required_path:
        path = [(int(year), float(value)) for year, value in current.required_path]
    values = current.explanation_values if current else {}
    if current and current.projection is not None and values.get("latest_year"):
        projection = (
            int(values["latest_year"]),
            float(values["latest_value"]),
            int(values.get("target_year") or current.year),
            float(current.projection),
        )
        bound = values.get("projection_bound")
        if bound:
            # As the sentence beside it says: "dự báo tối thiểu 90 %".
            words = _("projection (at least)") if bound == "lower" else _("projection (at most)")
            text = replace(text, projection=words)
    figure = charts.indicator_figure(
        points,
        _targets_frame(rows, unit_of_measure),
        language=_language(),
        text=text,
        path=path,
        projection=projection,
        merger_on=merger_on,
    )
    return Chart(chart_id, charts.figure_json(figure), indicator.name)


@dataclass(frozen=True)
class UnitLatest:
    province: Province
    # Shown with its own target (``row.target``), the one it was judged against: Hà Nội's
    # 80 % of 2022 against 266/KH-UBND's 2022 target, not 263/KH-UBND's later 2024 one.
    row: Progress


def indicator_latest_by_unit(rows: list[Progress]) -> list[UnitLatest]:
    """Each unit's latest value, highest first."""
    by_unit: dict[int, list[Progress]] = {}
    for row in rows:
        if row.province_id is not None:
            by_unit.setdefault(row.province_id, []).append(row)
    latest = []
    for unit_rows in by_unit.values():
        row = progress_latest_value(unit_rows)
        if row is None:
            continue
        latest.append(UnitLatest(row.province, row))  # type: ignore[arg-type]
    return sorted(latest, key=lambda item: item.row.value, reverse=True)  # type: ignore[arg-type, return-value]


def _target_mark(target: Target | None) -> float | None:
    """Where a target is drawn on a bar chart: the floor of "at least" and of a band, the
    ceiling of "at most"; a qualitative target has no mark."""
    if target is None:
        return None
    mark = target.high if target.comparator == Target.Comparator.AT_MOST else target.low
    return float(mark) if mark is not None else None


def indicator_charts(
    *,
    indicator: Indicator,
    latest: list[UnitLatest],
    rows: list[Progress],
    national_target: Target | None,
) -> list[Chart]:
    unit_of_measure = indicator.unit_of_measure
    language = _language()
    frame = pd.DataFrame(
        [
            {
                "unit": item.province.label,
                "value": float(item.row.value),  # type: ignore[arg-type]
                "target": _target_mark(item.row.target),
                "status": item.row.status,
                "label": f"{item.row.year} · {item.row.get_status_display()}",
                "hover": _hover(item.row, unit_of_measure, item.province.label),
            }
            for item in latest
        ],
        columns=["unit", "value", "target", "status", "label", "hover"],
    )
    comparison = charts.comparison_figure(
        frame,
        language=language,
        unit=unit_of_measure.label,
        national_target=_target_mark(national_target),
        text=_("own target"),
    )
    series = pd.DataFrame(
        [
            {
                "series": series_name(row),
                "year": row.year,
                "value": float(row.value),
                "hover": _hover(row, unit_of_measure, None),
            }
            for row in rows
            if row.value is not None
        ],
        columns=["series", "year", "value", "hover"],
    )
    over_years = charts.series_figure(series, language=language, unit=unit_of_measure.label)
    return [
        Chart("chart-latest", charts.figure_json(comparison), _("Latest value of each unit")),
        Chart("chart-series", charts.figure_json(over_years), _("Values over the years")),
    ]


def figure_text(row: Progress | None, unit_of_measure: UnitOfMeasure | str) -> str:
    if row is None or row.value is None:
        return ""
    return quantity(row.value, unit_of_measure, row.qualifier)


def ratio_text(row: Progress | None) -> str:
    if row is None:
        return ""
    return achievement_text(row.ratio, row.bound)
