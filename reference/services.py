"""Loading the shipped reference data (reference/data/*.csv) into the database.

The load is all-or-nothing: every row is parsed, every reference between files
is resolved, and only when nothing is wrong does anything stay written. Rows are
matched on their natural keys, so a second run changes nothing.

A row already in the database is left as it is unless the load is asked to update: the
loader runs at every start of the app, and a restart must not undo a target the ministry
corrected in the admin, nor re-approve a report it returned.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from indicators.models import Indicator, Target
from programmes.models import Document
from provinces.models import Province
from provinces.selectors import reporting_day
from reports.models import Report, ReportedValue, ReportTransition, ValueChange

from . import parsing as p
from .errors import RowError

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # differs from the files, and left as the app holds it


@dataclass
class LoadSummary:
    update: bool = False
    counts: dict[type[models.Model], Counts] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values())


def _upsert(
    model: type[models.Model],
    existing: dict[Any, models.Model],
    key: Any,
    values: dict[str, Any],
    counts: Counts,
    *,
    update: bool,
) -> models.Model:
    """Create the row for ``key``, or, with ``update``, bring it to ``values``, saving only
    what differs."""
    instance = existing.get(key)
    if instance is None:
        instance = model(**values)
        instance.save()
        existing[key] = instance
        counts.created += 1
        return instance
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed and not update:
        counts.kept += 1
    elif changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.save(update_fields=changed)
        counts.updated += 1
    else:
        counts.unchanged += 1
    return instance


class _ProvinceIndex:
    """Resolves a code as of a day, the rule that makes codes unambiguous across 2025."""

    def __init__(self, provinces: Iterable[Province]) -> None:
        self._by_code: dict[str, list[Province]] = defaultdict(list)
        for province in provinces:
            self._by_code[province.code].append(province)

    def on(self, code: str, day: date) -> Province | None:
        return next((p for p in self._by_code.get(code, []) if p.in_force_on(day)), None)


ADMIN_UNITS = {
    "code": p.unit_code,
    "name_vi": p.required,
    "kind": p.choice([k.value for k in Province.Kind]),
    "valid_from": p.optional_date,
    "valid_to": p.optional_date,
    "successor_code": p.unit_code,
    "former_names": p.text,
    "note": p.text,
    "source": p.required,
}
DOCUMENTS = {
    "document": p.required,
    "kind": p.choice([k.value for k in Document.Kind]),
    "unit_code": p.unit_code,
    "issued_on": p.required_date,
    "period_start": p.year,
    "period_end": p.year,
    "title_vi": p.required,
    "title_en": p.required,
    "issuer": p.required,
    "implements": p.text,
    "source": p.required,
}
INDICATORS = {
    "code": p.required,
    "programme": p.required,
    "parent_code": p.text,
    "name_vi": p.required,
    "name_en": p.required,
    "unit": p.text,
    "unit_en": p.text,
    "unit_en_singular": p.text,
    "measure": p.choice([k.value for k in Indicator.Measure]),
    "direction": p.choice([k.value for k in Indicator.Direction], blank=True),
    "accumulation": p.choice([k.value for k in Indicator.Accumulation], blank=True),
    "rollup": p.choice([k.value for k in Indicator.Rollup if k.value], blank=True),
    "note": p.text,
    "note_en": p.text,
    "source": p.required,
}
TARGETS = {
    "document": p.required,
    "unit_code": p.unit_code,
    "indicator_code": p.required,
    "year": p.year,
    "comparator": p.choice([k.value for k in Target.Comparator]),
    "low": p.optional_decimal,
    "high": p.optional_decimal,
    "approximate": p.yes_no,
    "text_vi": p.required,
    "note": p.text,
    "note_en": p.text,
    "source": p.required,
}
RESULTS = {
    "unit_code": p.unit_code,
    "indicator_code": p.required,
    "year": p.year,
    "value": p.optional_decimal,
    "qualifier": p.choice([k.value for k in ReportedValue.Qualifier]),
    "numerator": p.optional_decimal,
    "denominator": p.optional_decimal,
    "as_of": p.optional_date,
    "note": p.text,
    "source": p.required,
}


def reference_data_load(*, directory: Path = DATA_DIR, update: bool = False) -> LoadSummary:
    """Load every reference file; raise ReferenceDataError, with nothing written, on a bad row.

    Rows missing from the database are created, except a figure missing from a report the
    review workflow has touched: someone removed it there. With ``update`` (a release corrects the
    shipped figures), rows that differ are brought to the files too, except a report the
    review workflow has touched and its values: those are the province's and the ministry's
    now (``_reports_in_review``)."""
    errors: list[RowError] = []
    rows = {
        name: list(p.read_rows(directory / f"{name}.csv", schema, errors))
        for name, schema in [
            ("admin_units", ADMIN_UNITS),
            ("documents", DOCUMENTS),
            ("indicators", INDICATORS),
            ("targets", TARGETS),
            ("results", RESULTS),
        ]
    }
    p.raise_if_any(errors)
    summary = LoadSummary(update=update)
    with transaction.atomic():
        provinces = _load_provinces(rows["admin_units"], errors, summary)
        documents = _load_documents(rows["documents"], provinces, errors, summary)
        indicators = _load_indicators(rows["indicators"], documents, errors, summary)
        _load_targets(rows["targets"], documents, indicators, provinces, errors, summary)
        _load_results(rows["results"], indicators, provinces, errors, summary)
        # Raising inside the atomic block undoes whatever the good rows wrote.
        p.raise_if_any(errors)
    return summary


def _parents_first(
    items: list[tuple[int, dict[str, Any]]], key: str, parent: str
) -> list[tuple[int, dict[str, Any]]]:
    """Order rows so that each comes after the row it refers to (a successor, a parent).

    Rows whose parent is not among the rows keep their place at the end; the
    caller reports them as unknown.
    """
    placed: set[Any] = set()
    ordered: list[tuple[int, dict[str, Any]]] = []
    pending = list(items)
    keys = {row[key] for _line, row in items}
    while pending:
        ready = [
            (line, row)
            for line, row in pending
            if row[parent] is None or row[parent] in placed or row[parent] not in keys
        ]
        if not ready:
            # A cycle: leave the rest in file order, the caller reports them.
            ordered.extend(pending)
            break
        ordered.extend(ready)
        placed.update(row[key] for _line, row in ready)
        pending = [item for item in pending if item not in ready]
    return ordered


def _load_provinces(
    rows: list[tuple[int, dict[str, Any]]], errors: list[RowError], summary: LoadSummary
) -> _ProvinceIndex:
    counts = summary.counts.setdefault(Province, Counts())
    # Successor codes are resolved on the rows themselves first, so that every
    # unit is written once, with its successor, after that successor.
    drafts = _ProvinceIndex(
        Province(code=row["code"], valid_from=row["valid_from"], valid_to=row["valid_to"])
        for _line, row in rows
    )
    seen: set[tuple[str, date | None]] = set()
    keyed: list[tuple[int, dict[str, Any]]] = []
    for line, row in rows:
        key = (row["code"], row["valid_from"])

        def error(column: str, reason: str, line: int = line) -> None:
            errors.append(RowError("admin_units.csv", line, column, reason))

        if not row["code"]:
            error("code", _("a value is required"))
            continue
        if key in seen:
            error("code", _("this unit appears twice"))
            continue
        seen.add(key)
        if row["valid_from"] and row["valid_to"] and row["valid_from"] > row["valid_to"]:
            error("valid_to", _("the unit ends before it starts"))
            continue
        successor_key = None
        if row["successor_code"]:
            if row["valid_to"] is None:
                error("successor_code", _("a unit still in force cannot have a successor"))
                continue
            day = row["valid_to"] + timedelta(days=1)
            successor = drafts.on(row["successor_code"], day)
            if successor is None:
                error(
                    "successor_code",
                    _("no unit %(code)s is in force on %(day)s")
                    % {"code": row["successor_code"], "day": day.isoformat()},
                )
                continue
            successor_key = (successor.code, successor.valid_from)
        keyed.append((line, {**row, "key": key, "successor_key": successor_key}))

    existing = {(u.code, u.valid_from): u for u in Province.objects.all()}
    for _line, row in _parents_first(keyed, "key", "successor_key"):
        values = {
            "code": row["code"],
            "name": row["name_vi"],
            "kind": row["kind"],
            "valid_from": row["valid_from"],
            "valid_to": row["valid_to"],
            "successor": existing[row["successor_key"]] if row["successor_key"] else None,
            "former_names": row["former_names"],
            "note": row["note"],
            "source": row["source"],
        }
        _upsert(Province, existing, row["key"], values, counts, update=summary.update)
    return _ProvinceIndex(existing.values())


def _load_documents(
    rows: list[tuple[int, dict[str, Any]]],
    provinces: _ProvinceIndex,
    errors: list[RowError],
    summary: LoadSummary,
) -> dict[str, Document]:
    counts = summary.counts.setdefault(Document, Counts())
    existing = {(d.number, d.issued_on): d for d in Document.objects.all()}
    numbers = {row["document"] for _line, row in rows}
    by_number: dict[str, Document] = {}
    rows = [(line, {**row, "implements": row["implements"] or None}) for line, row in rows]
    for line, row in _parents_first(rows, "document", "implements"):

        def error(column: str, reason: str, line: int = line) -> None:
            errors.append(RowError("documents.csv", line, column, reason))

        if row["document"] in by_number:
            error("document", _("this document appears twice"))
            continue
        if row["period_start"] > row["period_end"]:
            error("period_end", _("the period ends before it starts"))
            continue
        if row["implements"] and row["implements"] not in numbers:
            error("implements", _("unknown document %(number)s") % {"number": row["implements"]})
            continue
        is_provincial = row["kind"] == Document.Kind.PROVINCIAL_PLAN
        if is_provincial != bool(row["unit_code"]):
            error("unit_code", _("a provincial plan, and only a provincial plan, names its unit"))
            continue
        province = None
        if row["unit_code"]:
            province = provinces.on(row["unit_code"], row["issued_on"])
            if province is None:
                error(
                    "unit_code",
                    _("unknown unit code %(code)s on %(day)s")
                    % {"code": row["unit_code"], "day": row["issued_on"].isoformat()},
                )
                continue
        values = {
            "number": row["document"],
            "kind": row["kind"],
            "province": province,
            "issued_on": row["issued_on"],
            "period_start": row["period_start"],
            "period_end": row["period_end"],
            "title_vi": row["title_vi"],
            "title_en": row["title_en"],
            "issuer": row["issuer"],
            "implements": by_number.get(row["implements"]) if row["implements"] else None,
            "source": row["source"],
        }
        key = (row["document"], row["issued_on"])
        by_number[row["document"]] = _upsert(
            Document, existing, key, values, counts, update=summary.update
        )
    return by_number


def _load_indicators(
    rows: list[tuple[int, dict[str, Any]]],
    documents: dict[str, Document],
    errors: list[RowError],
    summary: LoadSummary,
) -> dict[str, Indicator]:
    counts = summary.counts.setdefault(Indicator, Counts())
    # Codes are one in any case (indicator_code_unique_any_case): "scp-01" recased in the
    # admin is the file's SCP-01, kept as the admin spelled it unless asked to update.
    existing = {i.code.upper(): i for i in Indicator.objects.all()}
    codes = {row["code"] for _line, row in rows}
    by_code: dict[str, Indicator] = {}
    seen: set[str] = set()
    rows = [(line, {**row, "parent_code": row["parent_code"] or None}) for line, row in rows]
    for line, row in _parents_first(rows, "code", "parent_code"):

        def error(column: str, reason: str, line: int = line) -> None:
            errors.append(RowError("indicators.csv", line, column, reason))

        if row["code"].upper() in seen:
            error("code", _("this indicator appears twice"))
            continue
        seen.add(row["code"].upper())
        programme = documents.get(row["programme"])
        if programme is None:
            error("programme", _("unknown document %(number)s") % {"number": row["programme"]})
            continue
        if row["parent_code"] and (
            row["parent_code"] not in codes or row["parent_code"] == row["code"]
        ):
            error("parent_code", _("unknown indicator %(code)s") % {"code": row["parent_code"]})
            continue
        qualitative = row["measure"] == Indicator.Measure.QUALITATIVE
        if qualitative and (row["direction"] or row["accumulation"]):
            error("direction", _("a qualitative indicator has no direction or accumulation"))
            continue
        if not qualitative and not (row["direction"] and row["accumulation"]):
            column = "accumulation" if row["direction"] else "direction"
            error(column, _("a numeric indicator needs a direction and an accumulation"))
            continue
        if row["rollup"] and not _rollup_fits(row["rollup"], row["measure"]):
            error("rollup", _("%(rollup)s does not fit a %(measure)s indicator") % row)
            continue
        if row["unit_en_singular"] and not row["unit_en"]:
            error(
                "unit_en_singular",
                _("%(value)r is a singular without the English unit beside it")
                % {"value": row["unit_en_singular"]},
            )
            continue
        values = {
            "code": row["code"],
            "name_vi": row["name_vi"],
            "name_en": row["name_en"],
            "unit": row["unit"],
            "unit_en": row["unit_en"],
            "unit_en_singular": row["unit_en_singular"],
            "measure": row["measure"],
            "direction": row["direction"],
            "accumulation": row["accumulation"],
            "rollup": row["rollup"],
            "parent": by_code.get(row["parent_code"]) if row["parent_code"] else None,
            "programme": programme,
            "note": row["note"],
            "note_en": row["note_en"],
            "source": row["source"],
        }
        by_code[row["code"]] = _upsert(
            Indicator, existing, row["code"].upper(), values, counts, update=summary.update
        )
    return by_code


def _rollup_fits(rollup: str, measure: str) -> bool:
    if rollup == Indicator.Rollup.SUM:
        return measure in {Indicator.Measure.COUNT, Indicator.Measure.QUANTITY}
    return measure == Indicator.Measure.PERCENT


def _target_bounds_error(row: dict[str, Any]) -> tuple[str, str] | None:
    low, high, comparator = row["low"], row["high"], row["comparator"]
    if low is not None and high is not None and low > high:
        return "low", _("the low bound %(low)s is above the high bound %(high)s") % {
            "low": low,
            "high": high,
        }
    needs = {
        Target.Comparator.AT_LEAST: (True, False),
        Target.Comparator.AT_MOST: (False, True),
        Target.Comparator.BETWEEN: (True, True),
        Target.Comparator.EXACT: (True, False),
        Target.Comparator.QUALITATIVE: (False, False),
    }[comparator]
    for column, bound, wanted in (("low", low, needs[0]), ("high", high, needs[1])):
        if wanted and bound is None:
            return column, _("%(comparator)s needs this bound") % {"comparator": comparator}
        if not wanted and bound is not None:
            return column, _("%(comparator)s takes no such bound") % {"comparator": comparator}
    return None


def _load_targets(
    rows: list[tuple[int, dict[str, Any]]],
    documents: dict[str, Document],
    indicators: dict[str, Indicator],
    provinces: _ProvinceIndex,
    errors: list[RowError],
    summary: LoadSummary,
) -> None:
    counts = summary.counts.setdefault(Target, Counts())
    existing = {
        (t.document_id, t.province_id, t.indicator_id, t.year): t for t in Target.objects.all()
    }
    seen: set[tuple[int, int | None, int, int]] = set()
    for line, row in rows:

        def error(column: str, reason: str, line: int = line) -> None:
            errors.append(RowError("targets.csv", line, column, reason))

        document = documents.get(row["document"])
        if document is None:
            error("document", _("unknown document %(number)s") % {"number": row["document"]})
            continue
        indicator = indicators.get(row["indicator_code"])
        if indicator is None:
            error(
                "indicator_code", _("unknown indicator %(code)s") % {"code": row["indicator_code"]}
            )
            continue
        if not document.covers_year(row["year"]):
            error(
                "year",
                _("%(year)d is outside the period of %(number)s (%(start)d–%(end)d)")
                % {
                    "year": row["year"],
                    "number": document.number,
                    "start": document.period_start,
                    "end": document.period_end,
                },
            )
            continue
        province = None
        if row["unit_code"]:
            # A plan's targets belong to the unit that issued it, so the code is
            # read as of the issue date, not the target year (Bắc Kạn, 2030).
            province = provinces.on(row["unit_code"], document.issued_on)
            if province is None:
                error(
                    "unit_code",
                    _("unknown unit code %(code)s on %(day)s")
                    % {"code": row["unit_code"], "day": document.issued_on.isoformat()},
                )
                continue
        if (province.pk if province else None) != document.province_id:
            error(
                "unit_code",
                _("the unit differs from the unit that issued %(number)s")
                % {"number": document.number},
            )
            continue
        bounds_error = _target_bounds_error(row)
        if bounds_error:
            error(*bounds_error)
            continue
        key = (document.pk, province.pk if province else None, indicator.pk, row["year"])
        if key in seen:
            error("year", _("this target appears twice"))
            continue
        seen.add(key)
        values = {
            "document": document,
            "province": province,
            "indicator": indicator,
            "year": row["year"],
            "comparator": row["comparator"],
            "low": row["low"],
            "high": row["low"] if row["comparator"] == Target.Comparator.EXACT else row["high"],
            "approximate": row["approximate"],
            "text_vi": row["text_vi"],
            "note": row["note"],
            "note_en": row["note_en"],
            "source": row["source"],
        }
        _upsert(Target, existing, key, values, counts, update=summary.update)


def _load_results(
    rows: list[tuple[int, dict[str, Any]]],
    indicators: dict[str, Indicator],
    provinces: _ProvinceIndex,
    errors: list[RowError],
    summary: LoadSummary,
) -> None:
    report_counts = summary.counts.setdefault(Report, Counts())
    counts = summary.counts.setdefault(ReportedValue, Counts())
    resolved = list(_resolved_results(rows, indicators, provinces, errors))
    reports = {(r.province_id, r.year): r for r in Report.objects.all()}
    # Only the values of the reports the file names: a database holding years of every
    # unit's figures is not read whole at each start for a few dozen rows.
    keys = {(province.pk if province else None, row["year"]) for _l, row, _i, province in resolved}
    named = [reports[key].pk for key in keys if key in reports]
    existing = {
        (v.report_id, v.indicator_id): v for v in ReportedValue.objects.filter(report__in=named)
    }
    in_review = _reports_in_review(named)
    loaded_reports: dict[tuple[int | None, int], Report] = {}
    seen: set[tuple[int, int]] = set()
    for line, row, indicator, province in resolved:
        report_key = (province.pk if province else None, row["year"])
        report = loaded_reports.get(report_key)
        if report is None:
            stored = reports.get(report_key)
            report_values = {
                "province": province,
                "year": row["year"],
                "status": Report.Status.APPROVED,
            }
            report = _upsert(
                Report,
                reports,
                report_key,
                report_values,
                report_counts,
                update=summary.update and (stored is None or stored.pk not in in_review),
            )
            loaded_reports[report_key] = report
        key = (report.pk, indicator.pk)
        if key in seen:
            errors.append(
                RowError("results.csv", line, "indicator_code", _("this result appears twice"))
            )
            continue
        seen.add(key)
        values = {
            "report": report,
            "indicator": indicator,
            "value": row["value"],
            "qualifier": row["qualifier"],
            "numerator": row["numerator"],
            "denominator": row["denominator"],
            "as_of": row["as_of"],
            "note": row["note"],
            "source": row["source"],
        }
        reviewed = report.pk in in_review
        if reviewed and key not in existing:
            # A report under review holds what its officers and reviewers left in it: a
            # shipped figure missing from it was removed there, and is not put back.
            counts.kept += 1
            continue
        _upsert(
            ReportedValue,
            existing,
            key,
            values,
            counts,
            update=summary.update and not reviewed,
        )


def _resolved_results(
    rows: list[tuple[int, dict[str, Any]]],
    indicators: dict[str, Indicator],
    provinces: _ProvinceIndex,
    errors: list[RowError],
) -> Iterator[tuple[int, dict[str, Any], Indicator, Province | None]]:
    """The result rows with their indicator and unit, each row that cannot stand refused."""
    for line, row in rows:

        def error(column: str, reason: str, line: int = line) -> None:
            errors.append(RowError("results.csv", line, column, reason))

        indicator = indicators.get(row["indicator_code"])
        if indicator is None:
            error(
                "indicator_code", _("unknown indicator %(code)s") % {"code": row["indicator_code"]}
            )
            continue
        province = None
        if row["unit_code"]:
            province = provinces.on(row["unit_code"], reporting_day(row["year"]))
            if province is None:
                error(
                    "unit_code",
                    _("unknown unit code %(code)s in %(year)d")
                    % {"code": row["unit_code"], "year": row["year"]},
                )
                continue
        qualitative = indicator.measure == Indicator.Measure.QUALITATIVE
        if row["value"] is None and not qualitative:
            error("value", _("a value is required"))
            continue
        if (row["numerator"] is None) != (row["denominator"] is None):
            error("denominator", _("give both the numerator and the denominator, or neither"))
            continue
        if row["denominator"] is not None and row["denominator"] <= 0:
            error("denominator", _("the denominator must be greater than zero"))
            continue
        yield line, row, indicator, province


def _reports_in_review(report_ids: list[int]) -> set[int]:
    """The reports someone has sent, reviewed or changed in the app since they were loaded:
    their figures and status are the record of that review, which a load must not rewrite."""
    return set(
        ReportTransition.objects.filter(report__in=report_ids).values_list("report", flat=True)
    ) | set(ValueChange.objects.filter(report__in=report_ids).values_list("report", flat=True))
