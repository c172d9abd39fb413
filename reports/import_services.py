"""The spreadsheet import of yearly results: upload, preview, apply; and the template.

An upload is stored as an ``ImportBatch`` once the file as a whole is readable. Its
preview classifies every row — new, changed (old → new), unchanged, skipped (blank) or an
error with line, column and reason — reading units, indicators, reports and values in a
fixed number of queries whatever the number of rows. Applying re-validates and writes the
whole file through ``report_values_save`` (so the rules, the audit trail and the version
check are the form's) inside one transaction: any error and nothing is written.
"""

import csv
import hashlib
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from exports.writers import neutralise
from indicators.models import Indicator
from indicators.templatetags.figures import figure, figure_typed
from provinces.models import Province
from provinces.selectors import reporting_day

from .imports import (
    COLUMNS,
    NUMBER_COLUMNS,
    OPTIONAL_COLUMNS,
    ImportFileError,
    RawRow,
    read_rows,
)
from .models import ImportBatch, Report, ReportedValue, ValueChange
from .numbers import DayError, NumberError, parse_day, parse_number, two_way_question
from .selectors import (
    FormerAreas,
    form_indicator_ids,
    former_areas,
    indicator_refusal,
    last_year_values,
    provinces_reported_by,
    report_form_rows,
    reportable_years,
    unit_reports_in,
)
from .services import (
    QUALIFIER_CODES,
    ValueInput,
    _differs,
    _stored,
    _wanted,
    checked_against_last_year,
    report_open,
    report_values_save,
    value_errors,
    value_input_merged,
)

QUALIFIERS = {
    "": ReportedValue.Qualifier.EXACT,
    **{code: code for code in ReportedValue.Qualifier.values},
    "more than": ReportedValue.Qualifier.MORE_THAN,
    "less than": ReportedValue.Qualifier.LESS_THAN,
    # The words of the documents: "trên 50 mô hình", "dưới 5 %", "khoảng 35 MW".
    "chính xác": ReportedValue.Qualifier.EXACT,
    "trên": ReportedValue.Qualifier.MORE_THAN,
    "hơn": ReportedValue.Qualifier.MORE_THAN,
    "dưới": ReportedValue.Qualifier.LESS_THAN,
    "khoảng": ReportedValue.Qualifier.ABOUT,
}


class ImportApplyError(Exception):
    """The batch cannot be applied as it stands; nothing was written."""


class ImportStaleError(ImportApplyError):
    """The reports changed between the preview the person confirmed and now."""


@dataclass
class ImportRow:
    """One data row of the file and what applying it would do."""

    line: int
    cells: dict[str, str]
    sheet: str = ""  # the workbook's sheet the row is on; "" in a CSV
    number_cells: frozenset[str] = frozenset()  # as RawRow's
    status: str = "error"  # new, changed, unchanged, skipped, error
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, reason)
    province: Province | None = None
    indicator: Indicator | None = None
    year: int | None = None
    report: Report | None = None
    item: ValueInput | None = None
    old: dict[str, Any] | None = None
    new: dict[str, Any] | None = None
    numbers: dict[str, Decimal | None] = field(default_factory=dict)
    as_of: date | None = None  # read only when the file has the column

    @property
    def old_qualifier(self) -> str:
        return _qualifier_label(self.old)

    @property
    def new_qualifier(self) -> str:
        return _qualifier_label(self.new)

    def fail(self, column: str, reason: str) -> None:
        self.errors.append((column, reason))
        self.status = "error"

    @property
    def key(self) -> tuple[int, int, int] | None:
        if self.province is None or self.indicator is None or self.year is None:
            return None
        return (self.province.pk, self.indicator.pk, self.year)

    @property
    def number(self) -> Decimal | None:
        if self.item is None:
            return None
        return self.item.value if self.item.value is not None else self.item.share()


def _qualifier_label(value: dict[str, Any] | None) -> str:
    """ "trên", "khoảng"… as the report page writes them; nothing for an exact value."""
    code = (value or {}).get("qualifier") or ReportedValue.Qualifier.EXACT
    if code == ReportedValue.Qualifier.EXACT or code not in QUALIFIER_CODES:
        return ""
    return str(ReportedValue.Qualifier(code).label)


@dataclass
class ImportPreview:
    batch: ImportBatch
    rows: list[ImportRow]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(["new", "changed", "unchanged", "skipped", "error"], 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def errors(self) -> list[tuple[int, str, str]]:
        return [(row.line, column, reason) for row in self.rows for column, reason in row.errors]

    @property
    def failed_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    @property
    def sheets(self) -> list[str]:
        """The workbook's sheets the rows were read from, in its order; none for a CSV."""
        return list(dict.fromkeys(row.sheet for row in self.rows if row.sheet))

    @property
    def has_errors(self) -> bool:
        return any(row.status == "error" for row in self.rows)

    @property
    def digest(self) -> str:
        """What the person saw; confirming checks that applying would still do exactly this."""
        seen = [(r.sheet, r.line, r.status, r.old, r.new) for r in self.rows]
        return hashlib.sha256(json.dumps(seen, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class ImportResult:
    changed: int
    reports: list[Report]


def report_import_upload(*, content: bytes, filename: str, by: User) -> ImportBatch:
    """Store the file once it is readable as a whole and names no locked report; raises
    ImportFileError otherwise."""
    if by.role != User.Role.OFFICER:
        raise PermissionDenied
    rows = read_rows(content=content, filename=filename)
    locked = _locked_reports(rows, by)
    if locked:
        raise ImportFileError(
            _(
                "Nothing was imported: the file has rows for reports that are sent to or "
                "approved by the ministry and can no longer be changed: %(reports)s. Remove "
                "their rows, or ask the ministry to return the report."
            )
            % {
                "reports": ", ".join(
                    f"{report} ({report.get_status_display()})" for report in locked
                )
            }
        )
    return ImportBatch.objects.create(
        uploaded_by=by,
        filename=filename[:200],
        content=content,
        rows=[row.stored() for row in rows],
    )


def import_batches_purge(*, now: datetime | None = None) -> int:
    """Delete the uploads older than IMPORT_BATCH_RETENTION_DAYS, applied or not, and return
    how many. An applied file's values live on in their reports and audit trail; an upload
    never applied is a preview nobody confirmed. Each keeps a whole file in the database."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.IMPORT_BATCH_RETENTION_DAYS)
    deleted, _ = ImportBatch.objects.filter(uploaded_at__lt=cutoff).delete()
    return deleted


def report_import_preview(*, content: bytes, filename: str, by: User) -> ImportPreview:
    """Store the upload and say what applying it would do, row by row."""
    batch = report_import_upload(content=content, filename=filename, by=by)
    return import_batch_preview(batch=batch, by=by)


def import_batch_get_for_user(*, user: User, pk: int) -> ImportBatch:
    """Only the person who uploaded a file may see or apply it; anyone else gets 404."""
    batch = ImportBatch.objects.filter(pk=pk, uploaded_by_id=user.pk).first()
    if batch is None:
        raise Http404
    return batch


def import_batch_preview(*, batch: ImportBatch, by: User) -> ImportPreview:
    rows = [ImportRow(raw.line, raw.cells, raw.sheet, raw.number_cells) for raw in _raw_rows(batch)]
    _classify(rows, by)
    return ImportPreview(batch, rows)


def _raw_rows(batch: ImportBatch) -> list[RawRow]:
    # Read again when stored before rows were kept, or by hand; or a workbook's rows stored
    # before its number cells were told from its text ([line, cells, sheet]), whose
    # numbers would now be asked about as typed text.
    if batch.content and (not batch.rows or any(len(stored) == 3 for stored in batch.rows)):
        return read_rows(content=bytes(batch.content), filename=batch.filename)
    return [RawRow.from_stored(stored) for stored in batch.rows]


def _classify(rows: list[ImportRow], by: User) -> None:
    """Fills each row's status, errors and intended value. The queries (the officer's
    units, every unit, the file's indicators, the reportable years, the reports of its
    units and years, their stored values, last year's figures of its running totals) do not
    grow with the rows."""
    reach = provinces_reported_by(user=by)
    units: dict[str, list[Province]] = defaultdict(list)
    # With their successors, which indicator_refusal names for a former unit's area.
    every_unit = list(Province.objects.select_related("successor"))
    for unit in every_unit:
        units[unit.code].append(unit)
    codes = {row.cells["indicator_code"].upper() for row in rows}
    indicators = {
        i.code.upper(): i
        for i in Indicator.objects.filter(code__in=codes).select_related("programme__province")
    }
    today = timezone.localdate()
    years = reportable_years(today=today)

    former = former_areas()
    for row in rows:
        _parse(row, units, indicators, reach, years, former)
        if row.key is None:
            # Asked with the row's other errors, so that one correction of the file does.
            _ask_two_ways(row, None)

    first_line: dict[tuple[int, int, int], ImportRow] = {}
    for row in rows:
        key = row.key
        if key is None:
            continue
        if key in first_line:
            earlier = first_line[key]
            row.fail("indicator_code", _repeats(row, earlier))
            if not any(column == "indicator_code" for column, _r in earlier.errors):
                earlier.fail("indicator_code", _repeated_on(row, earlier))
        else:
            first_line[key] = row

    placed = [row for row in rows if row.key is not None]
    provinces = {row.province.pk for row in placed}  # type: ignore[union-attr]
    _refuse_indicators_not_on_the_form(placed)
    # The reports the rows write into, with their values; last year's figures come from
    # last_year_values below, which knows a merged unit's are its former units'.
    years = {row.year for row in placed}
    reports = {
        (r.province_id, r.year): r
        for r in Report.objects.filter(province_id__in=provinces, year__in=years)
    }
    report_keys = {r.pk: key for key, r in reports.items()}
    stored: dict[tuple[int, int, int], ReportedValue] = {
        (*report_keys[v.report_id], v.indicator_id): v  # type: ignore[misc]
        for v in ReportedValue.objects.filter(
            report_id__in=report_keys,
            indicator_id__in={row.indicator.pk for row in placed},  # type: ignore[union-attr]
        )
    }

    # Earlier years first, so that a running total is checked against last year's figure
    # in the same file when there is one, as report_values_save will see it. Only running
    # totals are checked against last year: a file without one reads no last year's figure.
    last_year_figures = last_year_values(
        keys={(row.province, row.year) for row in placed},  # type: ignore[misc]
        indicator_ids={
            row.indicator.pk  # type: ignore[union-attr]
            for row in placed
            if checked_against_last_year(row.indicator)  # type: ignore[arg-type]
        },
    )
    in_file: dict[tuple[int, int, int], Decimal | None] = {}
    for row in sorted(placed, key=lambda r: (r.year, r.line)):
        province, indicator, year = row.province, row.indicator, row.year
        if province is None or indicator is None or year is None:  # pragma: no cover
            continue  # placed rows have all three
        row.report = reports.get((province.pk, year))
        if row.report is not None and not row.report.is_editable:
            row.fail(
                "year",
                _("the report of %(unit)s for %(year)d is %(status)s and cannot be changed")
                % {
                    "unit": province.label,
                    "year": year,
                    "status": row.report.get_status_display(),
                },
            )
        current = stored.get((province.pk, year, indicator.pk)) if row.report else None
        _ask_two_ways(row, current)
        _intend(row, current)
        if row.item is None:
            continue
        before_key = (province.pk, indicator.pk, year - 1)
        previous = in_file.get(before_key, last_year_figures[(province.pk, year)].get(indicator.pk))
        for column, reason in value_errors(
            row.item, previous=previous, year=year, today=today
        ).items():
            row.fail(column, reason)
        if row.status == "skipped" or row.errors:
            continue
        in_file[(province.pk, indicator.pk, year)] = row.number
        row.old, row.new = _stored(current), _wanted(row.item, current)
        if current is None:
            row.status = "new"
        else:
            row.status = "changed" if _differs(row.item, current) else "unchanged"


def _repeats(row: ImportRow, earlier: ImportRow) -> str:
    if row.sheet == earlier.sheet:
        return _("line %(line)d repeats line %(first)d: the same unit, indicator and year") % {
            "line": row.line,
            "first": earlier.line,
        }
    # Each year on a sheet of its own: a line number alone would point at the wrong sheet.
    return _(
        "line %(line)d of sheet “%(sheet)s” repeats line %(first)d of sheet “%(first_sheet)s”: "
        "the same unit, indicator and year"
    ) % {
        "line": row.line,
        "sheet": row.sheet,
        "first": earlier.line,
        "first_sheet": earlier.sheet,
    }


def _repeated_on(row: ImportRow, earlier: ImportRow) -> str:
    if row.sheet == earlier.sheet:
        return _("repeated on line %(line)d: give each unit, indicator and year once") % {
            "line": row.line
        }
    return _(
        "repeated on line %(line)d of sheet “%(sheet)s”: give each unit, indicator and year once"
    ) % {"line": row.line, "sheet": row.sheet}


def _refuse_indicators_not_on_the_form(placed: list[ImportRow]) -> None:
    """A row's indicator must be one of its report's form, as in the form and the API
    (``form_indicator_ids``): HN-CHO in Hà Nội's 2023 report, whose plan 263/KH-UBND
    covers 2024 only, would be a figure no target reads. Three queries."""
    form = form_indicator_ids(reports={(row.province, row.year) for row in placed})  # type: ignore[misc]
    for row in placed:
        province, indicator, year = row.province, row.indicator, row.year
        if province is None or indicator is None or year is None:  # pragma: no cover
            continue
        if indicator.pk not in form[(province.pk, year)]:
            row.fail(
                "indicator_code",
                indicator_refusal(indicator=indicator, province=province, year=year),
            )


def _unit_code(text: str) -> str:
    # Excel drops the leading zero of 01 when it opens a CSV.
    return text.zfill(2) if text.isdigit() else text


def _unit_for(
    code: str, year: int, units: dict[str, list[Province]], former: FormerAreas
) -> Province | None:
    """The unit a code means in a year: the one in force, else a former one whose own plan
    still runs (Bắc Kạn, 06, in 2025)."""
    found = sorted(
        (
            unit
            for unit in units.get(code, [])
            if unit_reports_in(province=unit, year=year, former=former)
        ),
        key=lambda unit: not unit.in_force_on(reporting_day(year)),
    )
    return found[0] if found else None


def _locked_reports(rows: list[RawRow], by: User) -> list[Report]:
    """The submitted or approved reports the file's rows name, among the officer's units:
    an import cannot change them, so the file is refused whole before any preview. A fixed
    number of queries whatever the number of rows."""
    reach = provinces_reported_by(user=by)
    units: dict[str, list[Province]] = defaultdict(list)
    for unit in Province.objects.all():
        units[unit.code].append(unit)
    former = former_areas()
    years = reportable_years()
    named: set[tuple[int, int]] = set()
    for row in rows:
        year_text = row.cells["year"]
        if not (year_text.isdigit() and int(year_text) in years):
            continue
        unit = _unit_for(_unit_code(row.cells["unit_code"]), int(year_text), units, former)
        if unit is not None and unit.pk in reach:
            named.add((unit.pk, int(year_text)))
    if not named:
        return []
    reports = Report.objects.filter(
        province_id__in={pk for pk, _year in named},
        year__in={year for _pk, year in named},
        status__in=[Report.Status.SUBMITTED, Report.Status.APPROVED],
    ).select_related("province")
    return sorted(
        (r for r in reports if (r.province_id, r.year) in named),
        key=lambda r: (r.year, r.province.code),  # type: ignore[union-attr]
    )


def _parse(
    row: ImportRow,
    units: dict[str, list[Province]],
    indicators: dict[str, Indicator],
    reach: set[int],
    years: range,
    former: FormerAreas,
) -> None:
    cells = row.cells
    year_text = cells["year"]
    if not year_text:
        row.fail("year", _("the year is missing"))
    elif not (year_text.isdigit() and len(year_text) == 4):
        row.fail("year", _("%(text)r is not a year") % {"text": year_text})
    elif int(year_text) not in years:
        row.fail(
            "year",
            _("reports cover %(first)d to %(last)d")
            % {"first": years.start, "last": years.stop - 1},
        )
    else:
        row.year = int(year_text)

    code = _unit_code(cells["unit_code"])
    if not code:
        row.fail("unit_code", _("the unit code is missing"))
    elif row.year is not None:
        found = _unit_for(code, row.year, units, former)
        if found is None:
            row.fail(
                "unit_code",
                _("no unit has the code %(code)s in %(year)d") % {"code": code, "year": row.year},
            )
        elif found.pk not in reach:
            row.fail(
                "unit_code",
                _("you do not report for %(unit)s, code %(code)s in %(year)d")
                % {"unit": found.label, "code": code, "year": row.year},
            )
        else:
            row.province = found

    indicator_code = cells["indicator_code"]
    if not indicator_code:
        row.fail("indicator_code", _("the indicator code is missing"))
    elif indicator_code.upper() not in indicators:
        row.fail("indicator_code", _("unknown indicator %(code)r") % {"code": indicator_code})
    else:
        row.indicator = indicators[indicator_code.upper()]

    for column in NUMBER_COLUMNS:
        try:
            row.numbers[column] = parse_number(cells.get(column, ""))
        except NumberError as error:
            row.fail(column, str(error))

    if "as_of" in cells:
        try:
            row.as_of = parse_day(cells["as_of"])
        except DayError as error:
            row.fail("as_of", str(error))

    if cells.get("qualifier", "").lower() not in QUALIFIERS:
        row.fail(
            "qualifier",
            _(
                "unknown qualifier %(text)r: write exact, more_than, less_than or about (or trên, dưới, khoảng)"
            )
            % {"text": cells["qualifier"]},
        )


def _ask_two_ways(row: ImportRow, current: ReportedValue | None) -> None:
    """Refuses a number typed "1.500", with the entry form's question: read 1,5, a
    Vietnamese officer's 1500 in MW would be stored a thousand times too small, and the
    preview's "new: 1,5" is easy to pass over. Not asked, as the form does not ask, of a
    share's value (which cannot be 1500) nor of the stored figure given again as the form
    shows it, or as the template writes it (21.125); nor of a number cell of an .xlsx,
    whose "1.500" is its number format's and reads one way."""
    for column in NUMBER_COLUMNS:
        if column in row.number_cells or column not in row.numbers:
            continue
        text = row.cells.get(column, "")
        kept = getattr(current, column) if current is not None else None
        if kept is not None and text == _template_text(kept):
            continue
        question = two_way_question(
            text,
            kept=figure_typed(kept),
            grouping_possible=column != "value"
            or row.indicator is None
            or row.indicator.measure != Indicator.Measure.PERCENT,
        )
        if question:
            row.fail(column, question)
            # No reading of the cell is taken, as for text that is no number: the row
            # gets no figure, and no rule refuses it a second time in the same column.
            del row.numbers[column]


def _intend(row: ImportRow, current: ReportedValue | None) -> None:
    """The ValueInput the row stands for, or why there is none."""
    cells, numbers = row.cells, row.numbers
    qualifier = QUALIFIERS.get(cells.get("qualifier", "").lower())
    if qualifier is None or row.indicator is None or len(numbers) < 3:
        return
    given = ("value", "numerator", "denominator", "note", "source", "as_of")
    if not any(cells.get(column) for column in given):
        # A blank row (the template lists every indicator of the report) says nothing:
        # it never removes a value. Values are removed in the entry form.
        if not row.errors:
            row.status = "skipped"
        return
    # A column the file does not have (REQUIRED_COLUMNS, OPTIONAL_COLUMNS) keeps what is
    # stored, as a PATCH of the API does; a file that has as_of says what the day is, an
    # empty cell being the whole year's figure. Evidence and assessment are no columns.
    named: dict[str, Any] = {
        "indicator": row.indicator,
        "value": numbers["value"],
        **{column: numbers[column] for column in ("numerator", "denominator") if column in cells},
        **{column: cells[column] for column in ("note", "source") if column in cells},
    }
    if "qualifier" in cells:
        named["qualifier"] = qualifier
    if "as_of" in cells:
        named["as_of"] = row.as_of
    row.item = value_input_merged(given=named, current=current)
    if row.item.is_blank and row.item.as_of is None:
        # Only a source: saving it would remove the value (report_values_save reads a
        # blank item as "clear"), which a file must not do by accident. A day with no
        # value is value_errors' to refuse, naming the as_of column.
        if row.indicator.measure == Indicator.Measure.QUALITATIVE:
            row.fail("note", _("a qualitative indicator is reported in the note"))
        else:
            row.fail("value", _("a value is required"))
        row.item = None


def report_import_apply(*, batch: ImportBatch, by: User, digest: str | None = None) -> ImportResult:
    """Apply the whole file in one transaction, or nothing.

    Re-validates first: raises ImportApplyError when a row has an error, ImportStaleError
    when ``digest`` (the preview the person confirmed) no longer matches. A batch is
    applied once; the same file uploaded again changes nothing that it already changed.
    """
    if batch.uploaded_by_id != by.pk:
        raise PermissionDenied
    with transaction.atomic():
        # The lock turns a double-click into one application.
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.applied_at is not None:
            raise ImportApplyError(_("This file has already been applied."))
        preview = import_batch_preview(batch=batch, by=by)
        if preview.has_errors:
            errors = preview.counts["error"]
            raise ImportApplyError(
                ngettext(
                    "The file has %(count)s row with errors; nothing was changed.",
                    "The file has %(count)s rows with errors; nothing was changed.",
                    errors,
                )
                % {"count": figure(errors)}
            )
        if digest is not None and digest != preview.digest:
            raise ImportStaleError(
                _(
                    "The reports changed after this preview was made; check the preview "
                    "again before confirming. Nothing was changed."
                )
            )
        groups: dict[tuple[int, int], list[ImportRow]] = defaultdict(list)
        for row in preview.rows:
            if row.status in {"new", "changed"}:
                groups[(row.province.pk, row.year)].append(row)  # type: ignore[union-attr]
        changed = 0
        touched = []
        for key in sorted(groups, key=lambda k: (k[1], k[0])):
            first = groups[key][0]
            report = first.report or report_open(province=first.province, year=key[1], by=by)
            changed += report_values_save(
                report=report,
                values=[row.item for row in groups[key]],  # type: ignore[misc]
                by=by,
                path=ValueChange.Path.IMPORT,
                expected_version=report.version,
            )
            touched.append(report)
        batch.applied_at = timezone.now()
        batch.save(update_fields=["applied_at"])
    return ImportResult(changed=changed, reports=touched)


def report_import_template(*, report: Report, fmt: str) -> tuple[bytes, str, str]:
    """A file to fill in for the report: every indicator of its form with the current
    values, and — for reading only, the import ignores them — the indicator's name, unit,
    target in the document's words and last year's value. Returns (content, filename,
    content type)."""
    if report.province is None:
        raise PermissionDenied  # the national report is entered in its form
    header = [
        *COLUMNS,
        # After source, so that the nine columns of older templates keep their places: a
        # block copied from last year's file lands where it did.
        *OPTIONAL_COLUMNS,
        _("indicator name (not imported)"),
        _("unit of measure (not imported)"),
        _("target (not imported)"),
        _("last year's value (not imported)"),
    ]
    lines = []
    for row in report_form_rows(report=report):
        value = row.current
        target = (
            f"{row.target.year}: {row.target.text_vi} ({row.target.document.number})"
            if row.target
            else ""
        )
        lines.append(
            [
                report.province.code,
                row.indicator.code,
                report.year,
                _cell(value.value) if value else None,
                value.qualifier if value else "",
                _cell(value.numerator) if value else None,
                _cell(value.denominator) if value else None,
                value.note if value else "",
                value.source if value else "",
                value.as_of if value else None,
                row.indicator.name,
                row.indicator.unit_label,
                target,
                figure(row.previous) if row.previous is not None else "",
            ]
        )
    name = f"sxtd-{report.province.code}-{report.year}.{fmt}"
    if fmt == "csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out)
        writer.writerow(header)
        for line in lines:
            # A stored note like "=HYPERLINK(…)" must not run when Excel opens the file;
            # the importer reads the prefixed text back as it was.
            writer.writerow([_csv_text(cell) for cell in line])
        # With a BOM, Excel reads the file as UTF-8 and shows Vietnamese as it is.
        return out.getvalue().encode("utf-8-sig"), name, "text/csv; charset=utf-8"
    return (
        _xlsx(header, lines),
        name,
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    )


def _template_text(number: Decimal) -> str:
    """A number as the template writes it, in its CSV or as a text cell, and so reads it
    back."""
    return str(_cell(number))


def _csv_text(cell: object) -> str:
    """A template's CSV cell. A day is written day first, as the officer reads and types it:
    Excel set to another locale keeps the order it read when it saves the file back (a US
    Excel reads 05/07/2025 as 7 May and writes 5/7/2025), where an ISO day would come back
    month first and be read as another day."""
    if cell is None:
        return ""
    if isinstance(cell, date):
        return cell.strftime("%d/%m/%Y")
    return neutralise(str(cell))


def _cell(number: Decimal | None) -> int | float | str | None:
    """A number cell when a float holds it exactly, else its text; a whole number as an
    integer, which a CSV writes "55", not "55.0"."""
    if number is None:
        return None
    # Past 2**53 a spreadsheet's float no longer holds every whole number: text then.
    if number == number.to_integral_value() and abs(number) < 2**53:
        return int(number)
    text = format(number.normalize(), "f")
    as_float = float(number)
    return as_float if Decimal(repr(as_float)) == number else text


def _xlsx(header: list[str], lines: list[list[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "sxtd"
    sheet.append(header)
    as_of_column = header.index("as_of") + 1
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in lines:
        sheet.append(line)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                # openpyxl stores such text as a formula, which would read back empty
                # (and Excel would run it): a note is text.
                cell.data_type = "s"
        sheet.cell(row=sheet.max_row, column=1).number_format = "@"  # keep 01 as 01
        # A date cell, shown as Vietnamese write a day; one typed into it is a date too.
        sheet.cell(row=sheet.max_row, column=as_of_column).number_format = "DD/MM/YYYY"
    for letter, width in zip(
        "ABCDEFGHIJKLMN", (9, 16, 7, 12, 11, 11, 12, 30, 30, 12, 50, 12, 40, 14), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
