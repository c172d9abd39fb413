"""Chart builders: a pandas DataFrame in, a Plotly figure out.

They live in ``progress`` because every chart draws Progress rows (values, targets, the
required path, the projection); the views only embed ``figure_json(fig)`` and
static/js/charts.js hands it to ``Plotly.newPlot``. Every label a builder needs comes in
already translated and formatted (``hover`` columns), so the builders know no language
but the number separators.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go
from django.utils.html import _json_script_escapes  # type: ignore[attr-defined]
from django.utils.safestring import SafeString, mark_safe

# Okabe & Ito's palette, safe for the common colour-vision deficiencies; every status is also
# written out (and has a glyph), so nothing depends on colour alone, in print either.
STATUS_COLOURS: dict[str, str] = {
    "achieved": "#009E73",
    "on_track": "#56B4E9",
    "at_risk": "#E69F00",
    "off_track": "#D55E00",
    "not_achieved": "#CC79A7",
    "qualitative_pending": "#F0E442",
    "no_data": "#FFFFFF",
    "no_target": "#EEEEEE",
}
STATUS_GLYPHS: dict[str, str] = {
    "achieved": "✓",
    "on_track": "↗",
    "at_risk": "!",
    "off_track": "↘",
    "not_achieved": "✗",
    "qualitative_pending": "?",
    "no_data": "–",
    "no_target": "○",
}
# A qualifier is drawn as a marker shape as well as said in the hover text.
QUALIFIER_SYMBOLS: dict[str, str] = {
    "exact": "circle",
    "more_than": "triangle-up",
    "less_than": "triangle-down",
    "about": "diamond",
}
# The default template adds ~7 KB of styling to every figure; ours set what they need.
_EMPTY_TEMPLATE = go.layout.Template()
# plotly's mode bar (its buttons, 25 px high at the top right) shows while the pointer is on a
# chart, and after a tap on a phone until the next; the figures' top margin holds it, so that
# it covers nothing they draw, such as the label of a target in the last year, at the top right.
MODEBAR_ROOM = 32
# A target's label stands above its mark; a mark at the top of the axis puts it in the margin.
LABEL_ROOM = 16
SERIES_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
TARGET_COLOUR = "#000000"


def separators(language: str) -> str:
    """Plotly's decimal mark then thousands separator: 21,6 and 1.234 in Vietnamese."""
    return ",." if language == "vi" else ".,"


def year_position(day: date) -> float:
    """A date on a year axis: 1/7/2025 sits just before the middle of 2025."""
    start = date(day.year, 1, 1)
    length = (date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


@dataclass(frozen=True)
class ChartText:
    """The translated words a chart shows."""

    unit: str = ""
    target: str = "target"
    band: str = "target band"
    required_path: str = "required path"
    projection: str = "projection"
    merger: str = ""
    qualifiers: tuple[tuple[str, str], ...] = ()


def _base_layout(language: str, *, height: int, y_title: str = "", top: int = MODEBAR_ROOM) -> dict:
    # A white, template-free layout: small to embed, and readable when printed.
    return {
        "template": _EMPTY_TEMPLATE,
        "separators": separators(language),
        "height": height,
        "margin": {"l": 56, "r": 16, "t": top, "b": 40},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "font": {"family": "Noto Sans, Segoe UI, Roboto, Arial, sans-serif", "size": 12},
        "hoverlabel": {"bgcolor": "#ffffff"},
        # Shown for a lone series too, as for several: plotly hides a one-trace legend, and
        # a chart of Bắc Kạn's values alone said nowhere whose they were.
        "showlegend": True,
        "legend": {"orientation": "h", "y": -0.18},
        "yaxis": {
            "title": {"text": y_title},
            "gridcolor": "#dddddd",
            "zerolinecolor": "#999999",
            "rangemode": "tozero",
        },
    }


def _year_axis(fig: go.Figure) -> dict:
    """A lone year gets half a year either side. Left to plotly, a lone 2022 sat between 2021
    and 2023 at the very edges: "2023" cut off at the right, "2021" touching the value axis's
    "0". Over two years or more plotly pads the ends for the markers itself."""
    years = {x for trace in fig.data for x in (trace.x or ()) if x is not None}
    years |= {shape.x0 for shape in fig.layout.shapes if shape.xref == "x"}
    # "d": a year is never grouped, whatever the thousands separator (2022, not 2.022).
    axis = {"tickformat": "d", "dtick": 1, "gridcolor": "#eeeeee", "showline": True}
    if len(years) == 1:
        (year,) = years
        axis["range"] = [year - 0.5, year + 0.5]
    return axis


def indicator_figure(
    points: pd.DataFrame,
    targets: pd.DataFrame,
    *,
    language: str,
    text: ChartText,
    path: Sequence[tuple[int, float]] = (),
    projection: tuple[int, float, int, float] | None = None,
    merger_on: date | None = None,
) -> go.Figure:
    """One indicator of one unit over the years.

    ``points``: series, year, value, qualifier, hover — one row per reported value, a series
    per unit (the unit itself, its former units, or their combination).
    ``targets``: year, comparator, low, high, label, hover — a mark for at_least / at_most /
    exact, a band for between.
    ``path``: the required path to the target; ``projection``: (from year, from value, to
    year, value) at the observed pace.
    """
    fig = go.Figure(
        layout=_base_layout(language, height=320, y_title=text.unit, top=MODEBAR_ROOM + LABEL_ROOM)
    )
    for n, (series, group) in enumerate(points.groupby("series", sort=False)):
        group = _every_year(group.sort_values("year"))
        fig.add_trace(
            go.Scatter(
                x=group["year"].tolist(),
                y=group["value"].tolist(),
                name=str(series),
                mode="lines+markers",
                line={"color": SERIES_COLOURS[n % len(SERIES_COLOURS)], "width": 2},
                # Later series (a merged unit's combined figures) are open and larger, so
                # a point equal to a former unit's stays visible around it.
                marker={
                    "size": 10 if n == 0 else 15,
                    "symbol": [
                        QUALIFIER_SYMBOLS.get(q or "exact", "circle") + ("" if n == 0 else "-open")
                        for q in group["qualifier"]
                    ],
                    "line": {"width": 2},
                },
                customdata=group["hover"].tolist(),
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    present = set(points["qualifier"]) if not points.empty else set()
    for qualifier, label in text.qualifiers:
        # A legend entry per marker shape actually used, so "trên 50" reads as a bound.
        if qualifier in present and qualifier != "exact":
            fig.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    name=label,
                    mode="markers",
                    marker={"symbol": QUALIFIER_SYMBOLS[qualifier], "size": 10, "color": "#555"},
                    hoverinfo="skip",
                )
            )
    if not targets.empty:
        bands = targets[targets["comparator"] == "between"]
        marks = targets[targets["comparator"].isin(["at_least", "at_most", "exact"])]
        for row in bands.itertuples():
            fig.add_trace(
                go.Scatter(
                    x=[
                        row.year - 0.3,
                        row.year + 0.3,
                        row.year + 0.3,
                        row.year - 0.3,
                        row.year - 0.3,
                    ],
                    y=[row.low, row.low, row.high, row.high, row.low],
                    name=text.band,
                    legendgroup="target",
                    showlegend=bool(row.Index == bands.index[0]),
                    mode="lines",
                    fill="toself",
                    fillcolor="rgba(0,0,0,0.12)",
                    line={"color": TARGET_COLOUR, "width": 1, "dash": "dot"},
                    text=row.hover,
                    hoveron="fills",
                    hoverinfo="text",
                )
            )
        if not marks.empty:
            fig.add_trace(
                go.Scatter(
                    x=marks["year"].tolist(),
                    y=[
                        row.high if row.comparator == "at_most" else row.low
                        for row in marks.itertuples()
                    ],
                    name=text.target,
                    legendgroup="target",
                    mode="markers+text",
                    marker={
                        "symbol": "line-ew-open",
                        "size": 26,
                        "color": TARGET_COLOUR,
                        "line": {"width": 3, "color": TARGET_COLOUR},
                    },
                    # The mark is labelled with its bound, so it reads in black and white.
                    text=marks["label"].tolist(),
                    textposition="top center",
                    cliponaxis=False,
                    customdata=marks["hover"].tolist(),
                    hovertemplate="%{customdata}<extra></extra>",
                )
            )
    if path:
        fig.add_trace(
            go.Scatter(
                x=[year for year, _ in path],
                y=[value for _, value in path],
                name=text.required_path,
                mode="lines",
                line={"color": "#666666", "dash": "dash", "width": 1.5},
                hovertemplate="%{x}: %{y}<extra>" + text.required_path + "</extra>",
            )
        )
    if projection:
        start_year, start_value, end_year, end_value = projection
        fig.add_trace(
            go.Scatter(
                x=[start_year, end_year],
                y=[start_value, end_value],
                name=text.projection,
                mode="lines+markers",
                line={"color": "#0072B2", "dash": "dot", "width": 2},
                marker={"symbol": ["circle", "circle-open"], "size": 8},
                hovertemplate="%{x}: %{y}<extra>" + text.projection + "</extra>",
            )
        )
    if merger_on:
        merger_line = {"color": "#000000", "dash": "longdash", "width": 1}
        fig.add_vline(x=year_position(merger_on), line=merger_line)
        # Named in the legend, not written beside the line: on a phone's chart the words ran
        # over four years of the plot, into the later targets' labels.
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                name=text.merger,
                mode="lines",
                line=merger_line,
                hoverinfo="skip",
            )
        )
    fig.update_layout(xaxis=_year_axis(fig))
    return fig


def comparison_figure(
    latest: pd.DataFrame, *, language: str, unit: str, national_target: float | None, text: str
) -> go.Figure:
    """Every unit's latest value against its own target, sorted, with the national target.

    ``latest``: unit, value, target, status, label (the status in words), hover.
    """
    latest = latest.sort_values("value", ascending=True)
    height = max(260, 22 * len(latest) + 120)
    fig = go.Figure(layout=_base_layout(language, height=height))
    fig.add_trace(
        go.Bar(
            y=latest["unit"].tolist(),
            x=latest["value"].tolist(),
            orientation="h",
            marker={
                "color": [STATUS_COLOURS.get(s, "#999999") for s in latest["status"]],
                "line": {"color": "#333333", "width": 1},
            },
            # The status is written on every bar: the colour only repeats it.
            text=latest["label"].tolist(),
            textposition="auto",
            customdata=latest["hover"].tolist(),
            hovertemplate="%{customdata}<extra></extra>",
            name=unit,
            showlegend=False,
        )
    )
    with_target = latest.dropna(subset=["target"])
    if not with_target.empty:
        fig.add_trace(
            go.Scatter(
                y=with_target["unit"].tolist(),
                x=with_target["target"].tolist(),
                mode="markers",
                marker={"symbol": "line-ns-open", "size": 18, "line": {"width": 3}},
                name=text,
                hovertemplate="%{x}<extra>" + text + "</extra>",
                marker_color=TARGET_COLOUR,
            )
        )
    if national_target is not None:
        fig.add_vline(x=national_target, line={"color": "#000000", "dash": "dash", "width": 1.5})
    fig.update_layout(
        xaxis={"title": {"text": unit}, "gridcolor": "#dddddd", "rangemode": "tozero"},
        yaxis={"automargin": True, "title": {"text": ""}},
        # The legend's one entry (the units' own target) on a line of its own under the axis
        # title: placed as a share of the plot's height, it sat on the title on a phone.
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
        margin={"l": 120, "r": 16, "t": MODEBAR_ROOM, "b": 72},
    )
    return fig


def _every_year(group: pd.DataFrame) -> pd.DataFrame:
    """A series' rows with an empty row for each year missing between its first and last:
    plotly breaks the line there, where a line drawn on would show figures nobody gave
    (Hà Nội's 2022 joined to its 2025 across 2023 and 2024)."""
    years = range(int(group["year"].min()), int(group["year"].max()) + 1)
    if len(group) == len(years):
        return group
    full = group.set_index("year").reindex(years).rename_axis("year").reset_index()
    return full.astype(object).where(full.notna(), None)


def series_figure(series: pd.DataFrame, *, language: str, unit: str) -> go.Figure:
    """Values over the years, one line per unit. ``series``: series, year, value, hover
    (the figure and its source; the trace's name and the year are added here)."""
    fig = go.Figure(layout=_base_layout(language, height=360, y_title=unit))
    for n, (name, group) in enumerate(series.groupby("series", sort=False)):
        group = _every_year(group.sort_values("year"))
        fig.add_trace(
            go.Scatter(
                x=group["year"].tolist(),
                y=group["value"].tolist(),
                name=str(name),
                mode="lines+markers",
                line={"color": SERIES_COLOURS[n % len(SERIES_COLOURS)], "width": 1.5},
                # Open markers after the first series: equal values stay visible.
                marker={"symbol": n % 24 + (100 if n else 0), "size": 7 if n == 0 else 10},
                customdata=group["hover"].tolist(),
                hovertemplate="%{fullData.name} · %{x}<br>%{customdata}<extra></extra>",
            )
        )
    fig.update_layout(xaxis=_year_axis(fig))
    return fig


def sparkline(points: Sequence[tuple[int, float]], *, width: int = 96, height: int = 24) -> str:
    """An SVG polyline's points for a small trend: drawn without JavaScript, tiny to send."""
    if not points:
        return ""
    years = [year for year, _ in points]
    values = [value for _, value in points]
    x0, x1 = min(years), max(years)
    y0, y1 = min(values), max(values)
    span_x = (x1 - x0) or 1
    span_y = (y1 - y0) or 1
    return " ".join(
        f"{2 + (year - x0) / span_x * (width - 4):.1f},"
        f"{height - 2 - (value - y0) / span_y * (height - 4):.1f}"
        for year, value in points
    )


def figure_json(fig: go.Figure) -> SafeString:
    """The figure as JSON safe inside <script type="application/json">."""
    return mark_safe(fig.to_json().translate(_json_script_escapes))  # noqa: S308


def words_json(words: dict[str, object]) -> SafeString:
    """Words as JSON safe inside <script type="application/json">, Vietnamese as written
    rather than escaped, which would make it three times the size."""
    text = json.dumps(words, ensure_ascii=False)
    return mark_safe(text.translate(_json_script_escapes))  # noqa: S308
