"""One translated sentence per explanation code of ``progress.engine``: "how was this computed".

A Progress row stores only a code and its numbers (``explanation_code``,
``explanation_values``); the sentence is written here at render time, so that it follows
the reader's language and number format (21,6 in Vietnamese, 21.6 in English) and a
recompute never has to run again because a wording changed.
"""

from collections.abc import Callable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from indicators.templatetags.figures import figure
from indicators.units import UnitOfMeasure, unit_of_measure
from provinces.labels import unit_label

Values = Mapping[str, Any]

# A page's sentence names this many of the units a figure lacks and counts the rest: a
# national share with one report of 34 named 33 units. The page lists them all in a
# disclosure; the exports and the API keep every name.
NAMES_SHOWN = 3


def _shown(raw: Any, places: int = 2) -> Decimal | None:
    """Stored numbers carry four places; people read at most two (one for a percentage)."""
    try:
        number = Decimal(str(raw))
    except InvalidOperation:
        return None
    if number.as_tuple().exponent < -places:  # type: ignore[operator]
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number


def _number(raw: Any, places: int = 2) -> str:
    if raw is None or raw == "":
        return "?"
    number = _shown(raw, places)
    return str(raw) if number is None else figure(number)


def percent(ratio: Any) -> str:
    """A ratio as the one-decimal percentage the pages print: 0.617 → "61,7 %"."""
    try:
        value = (Decimal(str(ratio)) * 100).quantize(Decimal("0.1"))
    except (InvalidOperation, TypeError):
        return "?"
    return f"{figure(value)} %"


def achievement_text(ratio: Any, bound: str) -> str:
    """A reported "trên 50" makes its ratio a lower bound too: "at least 43,5 %"."""

    if ratio is None or ratio == "":
        return ""
    return _bounded(percent(ratio), bound)


def _bounded(text: str, bound: Any) -> str:
    """A pace or projection from a reported bound is one too: "at least 1,88"."""
    from indicators.models import Target

    if bound == "lower":
        return f"{Target.Comparator.AT_LEAST.label} {text}"
    if bound == "upper":
        return f"{Target.Comparator.AT_MOST.label} {text}"
    return text


def _approximate(target: str, values: Values, unit: UnitOfMeasure) -> str:
    """An approximate target's number, with where it counts as met: from a threshold below
    it, or up to one above it (an at-most or decreasing target)."""
    threshold = values.get("threshold")
    if threshold in (None, ""):
        return target
    words = {"target": target, "threshold": quantity(threshold, unit)}
    goal = values.get("target", values.get("target_value"))
    if goal not in (None, "") and Decimal(str(threshold)) > Decimal(str(goal)):
        return _("about %(target)s (met up to %(threshold)s)") % words
    return _("about %(target)s (met from %(threshold)s)") % words


def quantity(raw: Any, unit: UnitOfMeasure | str = "", qualifier: str = "") -> str:
    """A value with its unit and the source's qualifier: "trên 50 triệu kWh", "1 product"."""
    from reports.models import ReportedValue

    unit = unit_of_measure(unit)
    places = 1 if unit.label == "%" else 2
    # The form follows the number as printed: 1.004 is shown as "1", so "1 product".
    text = f"{_number(raw, places)} {unit.after(_shown(raw, places))}".strip()
    if qualifier and qualifier != "exact":
        try:
            return f"{ReportedValue.Qualifier(qualifier).label} {text}"
        except ValueError:
            pass
    return text


def _year(values: Values, key: str) -> str:
    """A figure's year, with the day it stands for when that was before the year's end (an
    interim figure, ``value_as_of``): "2022 (as of 15/7/2022)"."""
    year = str(values.get(key, ""))
    day = values.get("value_as_of")
    if not day:
        return year
    return _("%(year)s (as of %(day)s)") % {
        "year": year,
        "day": date_format(date.fromisoformat(str(day)), "SHORT_DATE_FORMAT"),
    }


def value_as_of(value: Any, day: Any) -> date | None:
    """The day a row's figure stands for, from its explanation's ``value_as_of`` (``day``):
    set when the figure was counted before its year's end (Hà Nội's 80 % as of 15/7/2022),
    None for a whole year's figure. The pages, the exports and the API all read it here.

    A row without a figure of its own has no day, though its explanation may name the day
    of the earlier figure it is judged by (Hà Nội's 2024 row, with no report, by 2022's)."""
    if value is None or not day:
        return None
    return date.fromisoformat(str(day))


def _unit_named(values: Values, key: str) -> str:
    """A unit named with its dates, as ``progress.compute`` stores them (``unit``,
    ``unit_from``, ``unit_until``): "Bắc Kạn (until 30/6/2025)", "Thái Nguyên (from
    1/7/2025)", since the old and the new Thái Nguyên share a name. A unit that ended is
    named by its end, as every page labels it (``unit_label``), which sets it apart from
    the unit it became part of."""
    name = str(values.get(key, ""))
    end, start = values.get(f"{key}_until"), values.get(f"{key}_from")
    if end:
        return unit_label(name, date.fromisoformat(str(end)))
    if start:
        return _("%(name)s (from %(day)s)") % {"name": name, "day": _short_date(start)}
    return name


def _short_date(raw: Any) -> str:
    return date_format(date.fromisoformat(str(raw)), "SHORT_DATE_FORMAT")


def _status_label(raw: Any) -> str:
    from .models import Progress

    try:
        return str(Progress.Status(raw).label)
    except ValueError:
        return str(raw)


def _position(raw: Any) -> str:
    return {
        "below": pgettext("band position", "below the band"),
        "within": pgettext("band position", "within the band"),
        "above": pgettext("band position", "above the band"),
    }.get(str(raw), str(raw))


def _names(values: Values, key: str) -> list[str]:
    """The units the engine named under ``key``, joined with ", " (no unit's name has a
    comma), each as every page labels it: one that ended by its name and last day
    (``until``, as ``progress.compute`` stores them), "Thái Nguyên (until 30/6/2025)",
    which the new Thái Nguyên's figure lacks, not the new unit itself. A row stored before
    a recompute wrote ``until`` names them bare."""
    ends = values.get("until") or {}
    return [
        unit_label(name, date.fromisoformat(ends[name]) if name in ends else None)
        for name in str(values.get(key) or "").split(", ")
        if name
    ]


def _units(values: Values) -> str:
    """``units``: the count of units in force (``share_of_units``), or the former units
    shown side by side, by name (``shares_not_combinable``)."""
    units = values.get("units", "")
    return ", ".join(_names(values, "units")) if isinstance(units, str) else str(units)


def _shortened(names: list[str]) -> bool:
    # Two more names read better than "and 2 other units".
    return len(names) > NAMES_SHOWN + 2


def _missing(values: Values, short: bool) -> str:
    names = _names(values, "missing")
    if not names:
        return "—"
    if short and _shortened(names):
        return _("%(names)s and %(count)s other units") % {
            "names": ", ".join(names[:NAMES_SHOWN]),
            "count": len(names) - NAMES_SHOWN,
        }
    return ", ".join(names)


def missing_units_in_full(values: Values | None) -> list[str]:
    """Every unit the figure lacks where its short sentence (``short=True``) names only a
    few of them; empty where it names them all."""
    values = values or {}
    found: list[str] = []
    for part in (values, values.get("achievement"), values.get("derivation")):
        if not isinstance(part, Mapping):
            continue
        names = _names(part, "missing")
        if _shortened(names):
            found += [name for name in names if name not in found]
    return found


def _fields(values: Values, unit: UnitOfMeasure, short: bool = False) -> dict[str, str]:
    """Every number of ``values`` formatted for the active language, with its unit;
    ``short`` names only the first few missing units."""
    qualifier = str(values.get("qualifier", ""))

    def q(key: str, with_qualifier: bool = False) -> str:
        return quantity(values.get(key), unit, qualifier if with_qualifier else "")

    return {
        "year": _year(values, "year"),
        "as_of_year": str(values.get("as_of_year", "")),
        "target_year": str(values.get("target_year", "")),
        "period_end": str(values.get("period_end", "")),
        "latest_year": _year(values, "latest_year"),
        "start_year": str(values.get("start_year", "")),
        "baseline_year": str(values.get("baseline_year", "")),
        "value": q("value", with_qualifier=True),
        "latest_value": q("latest_value", with_qualifier=True),
        "target_value": _approximate(q("target_value"), values, unit),
        "start_value": q("start_value"),
        # The number to reach: the band's low end, or a decreasing form's target.
        "low": q("low") if "target" in values else _approximate(q("low"), values, unit),
        "high": q("high"),
        "target": _approximate(q("target"), values, unit),
        "baseline": q("baseline"),
        "threshold": q("threshold"),
        "projection": _bounded(q("projection"), values.get("projection_bound")),
        "observed_slope": q("observed_slope"),
        "required_slope": q("required_slope"),
        "ratio": achievement_text(values.get("ratio"), str(values.get("bound", ""))),
        # As stored, to the engine's three places: two would print 0,945 (at risk) as 0,95,
        # the on-track threshold, and a lower bound 1,875 as "at least 1,88".
        "pace_ratio": _bounded(_number(values.get("pace_ratio"), 3), values.get("pace_bound")),
        "tolerance": percent(values.get("tolerance")),
        "position": _position(values.get("position")),
        "status": _status_label(values.get("status")),
        "numerator": _number(values.get("numerator")),
        "denominator": _number(values.get("denominator")),
        "count": _number(values.get("count")),
        "units": _units(values),
        "plans": str(values.get("plans", "")) or "—",
        "units_reported": _number(values.get("units_reported")),
        "units_expected": _number(values.get("units_expected")),
        "national_entries": _number(values.get("national_entries")),
        "missing": _missing(values, short),
        "missing_count": _number(values.get("missing_count")),
        "reported_count": _number(values.get("reported_count")),
        "reported_year": str(values.get("reported_year", "")),
        "unit": _unit_named(values, "unit"),
        "successor": _unit_named(values, "successor"),
    }


# Each code of the tables in progress/engine.py's docstring, with its sentence. The test
# reads those tables, so a code added to the engine without a sentence fails the suite.
SENTENCES: dict[str, Callable[[], str]] = {
    # Achievement
    "at_least_ratio": lambda: _(
        "%(value)s in %(year)s against a target of at least %(low)s: %(ratio)s of the target."
    ),
    "between_ratio": lambda: _(
        "%(value)s in %(year)s against a target of %(low)s to %(high)s, %(position)s: "
        "%(ratio)s of its lower end."
    ),
    "exact_ratio": lambda: _(
        "%(value)s in %(year)s against a target of exactly %(low)s: %(ratio)s, achieved only "
        "when equal."
    ),
    "exact_ratio_approximate": lambda: _(
        "%(value)s in %(year)s against a target of about %(low)s: %(ratio)s, achieved within "
        "%(tolerance)s of it either side."
    ),
    "decrease_from_baseline": lambda: _(
        "From %(baseline)s in %(baseline_year)s down to %(value)s in %(year)s, against a target "
        "of %(target)s: %(ratio)s of the reduction required."
    ),
    "decrease_from_baseline_approximate": lambda: _(
        "From %(baseline)s in %(baseline_year)s down to %(value)s in %(year)s, against a target "
        "of %(target)s: %(ratio)s of the reduction required; the tolerance of %(tolerance)s is "
        "of the reduction, not of the target."
    ),
    "decrease_without_baseline": lambda: _(
        "No baseline is given, so the target %(target)s is divided by the value %(value)s "
        "(%(year)s): %(ratio)s; achieved when the value is at or below the target."
    ),
    "decrease_baseline_not_above_target": lambda: _(
        "The baseline %(baseline)s already met the target %(target)s, so the target is divided "
        "by the value %(value)s (%(year)s): %(ratio)s."
    ),
    "zero_target": lambda: _(
        "The target is zero, so there is no percentage: %(value)s in %(year)s either meets it "
        "or not."
    ),
    "target_below_zero": lambda: _(
        "The target, %(low)s, is below zero, which zero itself already meets, so there is no "
        "percentage: %(value)s in %(year)s either meets it or not."
    ),
    "reduction_from_zero": lambda: _(
        "The target %(target)s is below zero, a reduction from zero: %(value)s in %(year)s is "
        "%(ratio)s of the reduction required."
    ),
    "value_below_zero": lambda: _(
        "The value in %(year)s, %(value)s, is below zero, so the target %(target)s cannot be "
        "divided by it: no percentage, only whether it is met."
    ),
    "zero_value": lambda: _(
        "The value in %(year)s is zero, so the target cannot be divided by it: no percentage."
    ),
    "qualitative_assessed": lambda: _(
        "A qualitative target: the reviewer assessed it as “%(status)s”."
    ),
    "qualitative_pending": lambda: _("A qualitative target that no reviewer has assessed yet."),
    # Assessment
    "no_target": lambda: _("No target is in force for this year, so nothing is judged."),
    "no_own_target": lambda: _(
        "%(unit)s has no plan of its own setting a target for this indicator, so nothing is judged."
    ),
    "no_own_target_national": lambda: _(
        "%(unit)s has no plan of its own setting a target for this indicator; the national "
        "target for %(target_year)s is judged on the national figure, not on a province's."
    ),
    "plan_ended": lambda: _(
        "No target is in force for %(as_of_year)s, so nothing is judged: the last target, "
        "for %(target_year)s, was set by a plan that ran to %(period_end)s."
    ),
    "no_observations": lambda: _(
        "Nothing was reported up to %(as_of_year)s for the %(target_year)s target."
    ),
    "target_year_achieved": lambda: _(
        "%(latest_value)s in %(latest_year)s against the %(target_year)s target of "
        "%(target_value)s: the target was met."
    ),
    "target_year_not_achieved": lambda: _(
        "%(latest_value)s in %(latest_year)s against the %(target_year)s target of "
        "%(target_value)s: the target was missed."
    ),
    "target_year_bound_unproven": lambda: _(
        "The value reported for %(latest_year)s, %(latest_value)s, is only a bound and cannot "
        "prove the %(target_year)s target of %(target_value)s met."
    ),
    "target_year_interim": lambda: _(
        "%(latest_value)s in %(latest_year)s is a figure from before the year ended, so it is "
        "not the year's outcome against the %(target_year)s target of %(target_value)s: at "
        "risk until the figure for the whole year is reported."
    ),
    "target_year_no_report": lambda: _(
        "Nothing was reported for %(target_year)s, so whether its target of %(target_value)s "
        "was met is not known; the latest value is %(latest_value)s in %(latest_year)s."
    ),
    "achieved_early": lambda: _(
        "%(latest_value)s in %(latest_year)s already meets the %(target_year)s target of "
        "%(target_value)s."
    ),
    "flow_level_reached": lambda: _(
        "The yearly amount, %(latest_value)s in %(latest_year)s, is already at the "
        "%(target_year)s level of %(target_value)s; the target is the amount in "
        "%(target_year)s itself."
    ),
    "bound_inconclusive": lambda: _(
        "%(latest_value)s in %(latest_year)s is a bound at or past the target of "
        "%(target_value)s: it proves neither success nor shortfall, so a reviewer should look."
    ),
    "insufficient_points": lambda: _(
        "Only one value (%(latest_value)s in %(latest_year)s) and no baseline: no pace can be "
        "measured towards %(target_value)s in %(target_year)s."
    ),
    "nothing_after_baseline": lambda: _(
        "The plan measures from %(baseline_year)s and the latest value is %(latest_value)s "
        "in %(latest_year)s: no pace can be measured towards %(target_value)s in "
        "%(target_year)s before a later year is reported."
    ),
    "regressed_past_start": lambda: _(
        "%(start_value)s in %(start_year)s already met the target of %(target_value)s, but "
        "%(latest_value)s in %(latest_year)s falls short."
    ),
    "pace_bound_inconclusive": lambda: _(
        "From %(start_value)s in %(start_year)s to %(latest_value)s in %(latest_year)s, a "
        "value is only a bound, so the pace it gives cannot show whether %(target_value)s "
        "will be reached by %(target_year)s: a reviewer should look."
    ),
    "pace_ratio": lambda: _(
        "From %(start_value)s in %(start_year)s to %(latest_value)s in %(latest_year)s is "
        "%(observed_slope)s a year; reaching %(target_value)s by %(target_year)s needs "
        "%(required_slope)s a year: pace ratio %(pace_ratio)s, projected %(projection)s."
    ),
    # Roll-ups
    "sum_over_units": lambda: _(
        "Summed over the units that reported (%(units_reported)s of %(units_expected)s) "
        "and the national entries (%(national_entries)s): %(value)s; missing: "
        "%(missing)s."
    ),
    "predecessors_summed": lambda: _(
        "The former units' values added up (%(units_reported)s reported): %(value)s; "
        "missing: %(missing)s."
    ),
    "predecessors_pooled_share": lambda: _(
        "The former units' numerators over their denominators, %(numerator)s of "
        "%(denominator)s: %(value)s; missing: %(missing)s."
    ),
    "share_of_units": lambda: _("%(count)s of the %(units)s units in force: %(value)s."),
    "share_of_units_partial": lambda: _(
        "%(count)s of the %(units)s units in force: %(value)s, only a floor: "
        "%(missing_count)s of them did not report into it; missing: %(missing)s."
    ),
    "plan_register": lambda: _(
        "The register holds a plan for %(count)s of the %(units)s units in force "
        "(%(plans)s): %(value)s."
    ),
    "nothing_reported": lambda: _("No unit reported anything, so there is no value."),
    # Not the engine's: the pages say a national no_observations so where units have
    # reported their own figures (progress.selectors._national_silences_said).
    "ministry_not_reported": lambda: _(
        "The ministry has reported no national figure up to %(as_of_year)s for the "
        "%(target_year)s target; units that have reported their own figures: "
        "%(units_reported)s."
    ),
    "nothing_reported_in_force": lambda: _(
        "No unit in force reported a value for %(year)s, so there is no sum."
    ),
    "area_in_successor_missing": lambda: _(
        "%(unit)s reported %(value)s for its own area; that is part of the figure of "
        "%(successor)s, which has not been reported, so it is not added on its own."
    ),
    "area_in_successor": lambda: _(
        "%(unit)s reported %(value)s for its own area; that is already part of the figure "
        "of %(successor)s, so it is not added again."
    ),
    "partial_start_unjudged": lambda: _(
        "%(start_value)s in %(start_year)s, where the pace starts, lacks "
        "%(missing_count)s of the units, so it cannot show how the %(target_year)s target "
        "of %(target_value)s stands."
    ),
    "partial_unjudged": lambda: _(
        "%(latest_value)s in %(latest_year)s lacks %(missing_count)s of the units, so it "
        "cannot show how the %(target_year)s target of %(target_value)s stands."
    ),
    "register_incomplete": lambda: _(
        "In %(reported_year)s the register of plans covers fewer units (%(count)s) than "
        "the %(reported_count)s the ministry reported then: it is missing plans, so "
        "%(latest_value)s in %(latest_year)s is only a floor and cannot show how the "
        "%(target_year)s target of %(target_value)s stands."
    ),
    "shares_not_combinable": lambda: _(
        "A former unit gave a percentage without numerator and denominator; averaging would be "
        "wrong, so each former unit (%(units)s) is shown on its own."
    ),
    "qualitative_not_combinable": lambda: _(
        "Qualitative results cannot be merged, so each former unit (%(units)s) is shown on its own."
    ),
}


def explanation_sentence(
    code: str, values: Values | None, *, unit: UnitOfMeasure | str = "", short: bool = False
) -> str:
    """The sentence for one explanation, with how its achievement figure was reached and a
    derived value's derivation after it; ``short`` names only the first few missing units
    (``missing_units_in_full`` lists them all). Each figure takes the form of ``unit`` its
    number needs: "from 1 model in 2022 to 3 models in 2024"."""
    values = values or {}
    unit = unit_of_measure(unit)
    if code not in SENTENCES:
        return ""
    sentence = _with_notes(code, values, unit, short)
    # How the achievement figure was reached, then how a derived value was derived.
    for part in ("achievement", "derivation"):
        found = values.get(part)
        if isinstance(found, Mapping) and found.get("code") in SENTENCES:
            sentence += " " + _with_notes(found["code"], found, unit, short)
    return sentence


def _with_notes(code: str, values: Values, unit: UnitOfMeasure, short: bool) -> str:
    """One part's sentence, then its notes (``areas``: the former units' area values a sum
    leaves out).

    A sentence may open with a figure that opens with its qualifier ("more than 50 million
    kWh in 2022 against …", "trên 50 triệu kWh năm 2022 so với …"): each starts a capital."""
    sentence = capfirst(SENTENCES[code]() % _fields(values, unit, short))
    for note in values.get("areas") or ():
        if isinstance(note, Mapping) and note.get("code") in SENTENCES:
            sentence += " " + capfirst(SENTENCES[note["code"]]() % _fields(note, unit, short))
    return sentence
