"""Writes of yearly reports: entering values, the review workflow, deadlines.

Every path that changes a value — the form, the spreadsheet import, the API — comes
through ``report_values_save`` (or ``report_values_patch``, which keeps what a source
leaves out, and then saves as it does), so the validation, the audit trail and the
version check are the same whichever way a figure arrives.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from indicators.models import Indicator
from indicators.templatetags.figures import figure
from notifications.services import report_step_announce
from progress.services import progress_schedule_for_report
from provinces.models import Province
from provinces.selectors import reporting_day
from sxtd.bulk import rows_insert

from .models import Report, ReportedValue, ReportTransition, ValueChange
from .numbers import VALUE_DECIMALS, VALUE_WHOLE_DIGITS
from .selectors import (
    ASSESSED_IN,
    form_indicator_ids,
    indicator_refusal,
    last_year_values,
    needs_value,
    provinces_reported_by,
    report_form_rows,
    reportable_years,
    unit_reports_in,
    user_can_edit_report,
    user_can_review,
)


class ReportValidationError(Exception):
    """Field-level reasons, keyed by indicator code (or "" for the report), then field."""

    def __init__(self, errors: dict[str, dict[str, str]]) -> None:
        self.errors = errors
        # The field keys are for forms and the API; a person reads the messages, each
        # under its indicator's code when it is about one.
        super().__init__(
            "; ".join(
                f"{code}: {message}" if code else message
                for code, fields in errors.items()
                for message in fields.values()
            )
        )


class ReportConflictError(Exception):
    """Someone saved the report since this person opened it; nothing was written."""

    def __init__(self, report: Report, changes: Sequence[ValueChange]) -> None:
        self.report = report
        self.changes = list(changes)
        super().__init__(_("The report was changed by someone else after you opened it."))


@dataclass(frozen=True)
class ValueInput:
    indicator: Indicator
    value: Decimal | None
    qualifier: str = ReportedValue.Qualifier.EXACT
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    note: str = ""
    source: str = ""
    as_of: date | None = None
    evidence_url: str = ""
    evidence_file: UploadedFile | None = field(default=None, compare=False)
    qualitative_status: str = ""
    # No file (None) keeps the stored one; a wrong file is taken off only when asked.
    evidence_file_removed: bool = False

    @property
    def is_emptied(self) -> bool:
        """Without the figure or words a value is stored for: the row is cleared, and a
        day or an assessment stored with it, not given again, goes with it."""
        return (
            self.value is None
            and self.numerator is None
            and self.denominator is None
            and not self.note
        )

    @property
    def is_blank(self) -> bool:
        return self.is_emptied and not self.qualitative_status

    def share(self) -> Decimal | None:
        if self.numerator is None or not self.denominator:
            return None
        return self.numerator / self.denominator * 100


QUALIFIER_CODES = frozenset(ReportedValue.Qualifier.values)  # enum .values builds a list a call


def checked_against_last_year(indicator: Indicator) -> bool:
    """Whether ``value_errors`` reads last year's value of the indicator: a running total
    lower than last year's needs a note. Saves read last year's figures for these only."""
    return indicator.accumulation == Indicator.Accumulation.CUMULATIVE


def value_errors(
    item: ValueInput, *, previous: Decimal | None, year: int, today: date | None = None
) -> dict[str, str]:
    """What is wrong with one value of the report for ``year``, by field; ``previous`` is
    last year's value, read only when ``checked_against_last_year``; ``today`` the day in
    Việt Nam (by default, now's)."""
    indicator = item.indicator
    errors: dict[str, str] = as_of_errors(item, year=year, today=today)
    if (item.numerator is None) != (item.denominator is None):
        errors["denominator" if item.denominator is None else "numerator"] = _(
            "give both the numerator and the denominator, or neither"
        )
    if item.denominator is not None and item.denominator == 0:
        errors["denominator"] = _("the denominator cannot be zero")
    elif item.denominator is not None and item.denominator < 0:
        # The database refuses it too (value_share_parts_complete); saying so here lets
        # the save skip the constraint's query for every value.
        errors["denominator"] = _("the denominator must be more than zero")
    for name in ("value", "numerator", "denominator"):
        number = getattr(item, name)
        if number is not None and not _fits(number):
            errors[name] = _(
                "at most 16 digits before the decimal mark and 4 after it (%(value)s)"
            ) % {"value": number}
    if item.qualifier not in QUALIFIER_CODES:
        errors["qualifier"] = _("unknown qualifier %(value)r") % {"value": item.qualifier}
    if indicator.measure == Indicator.Measure.QUALITATIVE:
        if item.value is not None:
            errors["value"] = _("a qualitative indicator takes a note, not a number")
        return errors
    share = item.share() if item.numerator is not None and item.denominator else None
    if (
        indicator.measure == Indicator.Measure.PERCENT
        and share is not None
        and item.value is not None
        and item.qualifier == ReportedValue.Qualifier.EXACT
        and not rounds_to(share, item.value)
    ):
        # The value is what progress reads; the parts are what the page shows beside it
        # ("24 % (24/63)"): both must say the same share.
        errors["value"] = _(
            "%(value)s %% is not %(numerator)s of %(denominator)s (%(share)s %%): give the "
            "share, or its numerator and denominator, or both alike"
        ) % {
            "value": figure(item.value),
            "numerator": figure(item.numerator),
            "denominator": figure(item.denominator),
            "share": figure(share.quantize(Decimal("0.01"))),
        }
    # A count or quantity given with its parts ("41 of 63 provinces") is the value itself;
    # the share is read only when no value is given.
    number = item.value if item.value is not None or share is None else share
    if number is None:
        if not item.is_blank and "denominator" not in errors:
            errors["value"] = _("a value is required")
        return errors
    if item.numerator is not None and item.numerator < 0:
        errors["numerator"] = _("the numerator cannot be negative")
    elif indicator.measure == Indicator.Measure.PERCENT and item.value is None and number > 100:
        # The share comes from the parts: the reason is about them, not an empty value.
        errors["numerator"] = _(
            "the numerator (%(numerator)s) is larger than the denominator (%(denominator)s): "
            "a share is at most 100 %%"
        ) % {"numerator": figure(item.numerator), "denominator": figure(item.denominator)}
    elif indicator.measure == Indicator.Measure.PERCENT:
        if not 0 <= number <= 100:
            errors["value"] = (
                _(
                    "a share must be between 0 and 100 %%; give the numerator and denominator "
                    "if it is not a share"
                )
                % {}
            )  # the msgid is a format string ("%%"): format it so "%" shows once
    elif number < 0:
        errors["value"] = _("a count or quantity cannot be negative")
    elif indicator.measure == Indicator.Measure.COUNT and number != number.to_integral_value():
        errors["value"] = _("a count must be a whole number")
        if number.as_tuple().exponent == -3:
            # "1.234" reads as a decimal (one mark is the decimal mark), but a count
            # typed that way was most likely 1234 with its thousands dot.
            errors["value"] = _(
                "a count must be a whole number: if you meant %(whole)s, write it without the mark"
            ) % {"whole": int(number * 1000)}  # 1234: grouped, it would read as 1.234 again
    if (
        checked_against_last_year(indicator)
        and previous is not None
        and number < previous
        and not item.note.strip()
    ):
        errors["note"] = _(
            "a running total lower than last year's (%(previous)s) needs a note saying why"
        ) % {"previous": figure(previous)}  # 10, not the stored 10.0000
    return errors


def unkept_errors(item: ValueInput, *, stored: ReportedValue | None) -> dict[str, str]:
    """What a row without a value gives that would be lost, by field.

    A value is stored with its figure (or, qualitative, its result in words): a row with
    neither clears what is stored, and a source or evidence given in it would go with it,
    while the form said "saved". What is stored already, given back by the form beside a
    cleared value, is cleared with it."""
    if not item.is_blank:
        return {}
    errors = {}
    if item.evidence_file is not None:
        errors["evidence_file"] = _(
            "an evidence file is kept only with the row's value: give the value, or choose no file"
        )
    if item.evidence_url and item.evidence_url != (stored.evidence_url if stored else ""):
        errors["evidence_url"] = _(
            "an evidence link is kept only with the row's value: give the value, or leave the "
            "link empty"
        )
    if item.source and item.source != (stored.source if stored else ""):
        errors["source"] = _(
            "a source is kept only with the row's value: give the value, or leave the source empty"
        )
    return errors


def as_of_errors(item: ValueInput, *, year: int, today: date | None = None) -> dict[str, str]:
    """What is wrong with the day a value was counted (``as_of``, ngày số liệu), if anything.

    The progress engine reads a day before 31 December of the value's year as an interim
    figure (Hà Nội's 80 % of supermarkets as of 15/7/2022); a day after the year's end is
    the whole year's figure counted once the year closed (Bắc Kạn's 2022 figures as of
    20/2/2023), and is allowed.
    """
    day = item.as_of
    if day is None:
        return {}
    if item.indicator.measure == Indicator.Measure.QUALITATIVE:
        # The day belongs to a figure; a qualitative result has none, and its status is
        # the reviewer's assessment, which no day changes.
        return {"as_of": _("a qualitative result has no figure to date: leave the day empty")}
    if item.value is None and item.numerator is None and item.denominator is None:
        # Without this, a day alone would read as a blank value, and a blank value clears
        # what is stored.
        return {"as_of": _("a day is given but no value: give the value, or leave the day empty")}
    shown = date_format(day, "SHORT_DATE_FORMAT")
    if day < date(year, 1, 1):
        return {
            "as_of": _(
                "%(day)s is before %(year)d: a figure of the %(year)d report is counted in "
                "%(year)d or later"
            )
            % {"day": shown, "year": year}
        }
    if day > (today or timezone.localdate()):
        return {
            "as_of": _("%(day)s is in the future: give the day the figure was counted")
            % {"day": shown}
        }
    return {}


def rounds_to(share: Decimal, value: Decimal) -> bool:
    """Whether ``value`` is ``share`` written to the value's own decimals (38 or 38,1 for
    24 of 63 = 38,095… %), whichever way it was rounded. Trailing zeros do not count: the
    API and the database write 38,1 as 38.1000."""
    exponent = value.normalize().as_tuple().exponent
    if not isinstance(exponent, int):
        return False
    return abs(share - value) <= Decimal(5).scaleb(min(exponent, 0) - 1)


def value_input_merged(*, given: Mapping[str, Any], current: ReportedValue | None) -> ValueInput:
    """The value a source stands for when it names only some of the fields: the import's
    file without a column, the API's PATCH. ``given`` holds the fields it names, by
    ValueInput's names, with the indicator; ``current`` is the stored value, if any.

    What is named wins, an empty field clearing. What is left out never blanks what is
    stored: the note, source, day, evidence link and the reviewer's assessment stay, and
    so does the whole figure — value, qualifier, parts — when none of it is named. A
    figure is otherwise named whole (value and parts: a share left without its value is
    its parts'), except that the qualifier and the parts stay beside the stored value
    given again, so that "trên 90 (9/10)", or 33,33 % of 1/3, stays as it is; a new value
    stands alone, exact and without parts that would no longer be its own.
    """
    indicator: Indicator = given["indicator"]
    value = given.get("value")
    named = any(name in given for name in ("value", "numerator", "denominator"))
    kept = current if not named or _same_figure(current, value) else None
    parts = None if "numerator" in given or "denominator" in given else kept
    merged = ValueInput(
        indicator=indicator,
        value=parts.value if parts is not None else value,
        qualifier=given.get("qualifier", kept.qualifier if kept else ReportedValue.Qualifier.EXACT),
        numerator=parts.numerator if parts is not None else given.get("numerator"),
        denominator=parts.denominator if parts is not None else given.get("denominator"),
        note=given.get("note", current.note if current else ""),
        source=given.get("source", current.source if current else ""),
        as_of=given["as_of"] if "as_of" in given else _kept_day(indicator, current),
        evidence_url=given.get("evidence_url", current.evidence_url if current else ""),
        qualitative_status=given.get(
            "qualitative_status", current.qualitative_status if current else ""
        ),
    )
    if merged.is_emptied:
        # Removing a value ("value": null, "note": "") takes its kept day and assessment
        # with it: kept, they were refused as a day without a value, or left an empty row
        # standing as "achieved".
        return replace(
            merged,
            as_of=given.get("as_of"),
            qualitative_status=given.get("qualitative_status", ""),
        )
    return merged


def _same_figure(current: ReportedValue | None, value: Decimal | None) -> bool:
    """Whether ``value`` gives the stored figure again: the same number, or the share its
    parts make as the page shows it (1 of 3, stored 33.3333, written 33,33)."""
    if current is None or value is None:
        return False
    if current.value == value:
        return True
    if current.numerator is None or not current.denominator:
        return False
    return rounds_to(current.numerator / current.denominator * 100, value)


def _kept_day(indicator: Indicator, current: ReportedValue | None) -> date | None:
    # A qualitative result takes no day (as_of_errors): one stored before that rule is
    # not kept, lest a source that leaves the day out be refused for it.
    if current is None or indicator.measure == Indicator.Measure.QUALITATIVE:
        return None
    return current.as_of


def _fits(number: Decimal) -> bool:
    """Whether the number fits the value columns (20 digits, 4 of them decimals)."""
    _sign, digits, exponent = number.normalize().as_tuple()
    decimals = max(0, -exponent)  # type: ignore[operator]
    whole = len(digits) + exponent if isinstance(exponent, int) else 0
    return decimals <= VALUE_DECIMALS and whole <= VALUE_WHOLE_DIGITS


def _stored(value: ReportedValue | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "value": _text(value.value),
        "qualifier": value.qualifier,
        "numerator": _text(value.numerator),
        "denominator": _text(value.denominator),
        "note": value.note,
        "source": value.source,
        "as_of": value.as_of.isoformat() if value.as_of else None,
        "evidence_url": value.evidence_url,
        "evidence_file": value.evidence_file.name if value.evidence_file else "",
        "qualitative_status": value.qualitative_status,
    }


def _text(number: Decimal | None) -> str | None:
    return None if number is None else format(number.normalize(), "f")


def _wanted(item: ValueInput, current: ReportedValue | None) -> dict[str, Any]:
    number = item.value
    if number is None and item.share() is not None:
        number = item.share().quantize(Decimal("0.0001"))  # type: ignore[union-attr]
    kept_file = ""
    if current and current.evidence_file and not item.evidence_file_removed:
        kept_file = current.evidence_file.name
    return {
        "value": _text(number),
        "qualifier": item.qualifier,
        "numerator": _text(item.numerator),
        "denominator": _text(item.denominator),
        "note": item.note,
        "source": item.source,
        "as_of": item.as_of.isoformat() if item.as_of else None,
        "evidence_url": item.evidence_url,
        "evidence_file": "(new file)" if item.evidence_file else kept_file,
        "qualitative_status": item.qualitative_status,
    }


@transaction.atomic
def report_values_save(
    *,
    report: Report,
    values: Sequence[ValueInput],
    by: User,
    path: ValueChange.Path,
    expected_version: int | None,
) -> int:
    """Create, change or clear the report's values; returns how many changed.

    Raises ReportValidationError with every field's reason and writes nothing, or
    ReportConflictError when the report changed since ``expected_version``.
    """
    return _values_save(
        report=report,
        values=values,
        current=_current_values(report),
        by=by,
        path=path,
        expected_version=expected_version,
    )


@transaction.atomic
def report_values_patch(
    *,
    report: Report,
    given: Sequence[Mapping[str, Any]],
    by: User,
    path: ValueChange.Path,
    expected_version: int | None,
) -> int:
    """Change only the fields each item of ``given`` names (by ValueInput's names, with
    the indicator), keeping what is stored of the rest as the import does
    (``value_input_merged``); otherwise as ``report_values_save``."""
    current = _current_values(report)
    return _values_save(
        report=report,
        values=[
            value_input_merged(given=item, current=current.get(item["indicator"].pk))
            for item in given
        ],
        current=current,
        by=by,
        path=path,
        expected_version=expected_version,
    )


def _current_values(report: Report) -> dict[int, ReportedValue]:
    return {v.indicator_id: v for v in report.values.select_related("indicator")}


def _values_save(
    *,
    report: Report,
    values: Sequence[ValueInput],
    current: Mapping[int, ReportedValue],
    by: User,
    path: ValueChange.Path,
    expected_version: int | None,
) -> int:
    if not user_can_edit_report(user=by, report=report):
        raise PermissionDenied(_("This report cannot be changed by you in its present state."))
    previous = last_year_values(
        keys=[(report.province, report.year)],
        indicator_ids={
            item.indicator.pk for item in values if checked_against_last_year(item.indicator)
        },
    )[(report.province_id, report.year)]
    today = timezone.localdate()
    errors = {
        item.indicator.code: problems
        for item in values
        if (
            problems := value_errors(
                item, previous=previous.get(item.indicator.pk), year=report.year, today=today
            )
            | unkept_errors(item, stored=current.get(item.indicator.pk))
        )
    }
    on_form = form_indicator_ids(reports=[(report.province, report.year)])[
        (report.province_id, report.year)
    ]
    for item in values:
        # The form's indicators only, whichever way a value arrives (form_indicator_ids);
        # clearing a value is always allowed.
        if not item.is_blank and item.indicator.pk not in on_form and report.province:
            errors.setdefault(item.indicator.code, {})["indicator"] = indicator_refusal(
                indicator=item.indicator, province=report.province, year=report.year
            )
    seen: set[int] = set()
    for item in values:
        # A report holds one value per indicator: two would both be inserted (and break
        # its unique constraint) or the later would silently win.
        if item.indicator.pk in seen:
            errors[item.indicator.code] = {
                "indicator": _("%(code)s is given more than once: give each indicator once")
                % {"code": item.indicator.code}
            }
        seen.add(item.indicator.pk)
    if not user_can_review(user=by):
        for item in values:
            stored = current.get(item.indicator.pk)
            if item.qualitative_status and item.qualitative_status != (
                stored.qualitative_status if stored else ""
            ):
                # The assessment of a qualitative result is the ministry's judgement, and
                # progress reads it as the status: a unit must not grade its own result.
                errors.setdefault(item.indicator.code, {})["qualitative_status"] = _(
                    "the assessment is made by the ministry's reviewer, not by the unit"
                )
    if errors:
        raise ReportValidationError(errors)
    changes = [
        (item, current.get(item.indicator.pk))
        for item in values
        if _differs(item, current.get(item.indicator.pk))
    ]
    if not changes:
        return 0
    version = _bump_version(report, expected_version)
    now = timezone.now()
    audit = []
    # Written in bulk, so that an import of thousands of values stays a few queries;
    # a value with a new evidence file is saved on its own, which stores the file.
    created: list[ReportedValue] = []
    updated: list[ReportedValue] = []
    removed: list[int] = []
    for item, stored in changes:
        old = _stored(stored)
        if item.is_blank:
            if stored is not None:
                removed.append(stored.pk)
            new = None
        else:
            saved = _apply(report, item, stored)
            if item.evidence_file is not None:
                saved.save()
            else:
                (updated if stored is not None else created).append(saved)
            new = _stored(saved)
        audit.append(
            ValueChange(
                report=report,
                indicator=item.indicator,
                path=path,
                by=by,
                at=now,
                report_version=version,
                old=old,
                new=new,
            )
        )
    ReportedValue.objects.filter(pk__in=removed).delete()
    _values_write(created, updated)
    _rows_insert(
        ValueChange,
        audit,
        _AUDIT_FIELDS,
    )
    return len(changes)


_AUDIT_FIELDS = ["report", "indicator", "path", "by", "at", "report_version", "old", "new"]

_VALUE_FIELDS = [
    "value",
    "qualifier",
    "numerator",
    "denominator",
    "note",
    "source",
    "as_of",
    "evidence_url",
    "evidence_file",
    "qualitative_status",
]


def _values_write(created: list[ReportedValue], updated: list[ReportedValue]) -> None:
    """One prepared INSERT and one prepared UPDATE run for many rows: an import writes
    thousands of values, and bulk_create/bulk_update spend seconds building SQL (and on
    PostgreSQL, arrays) for them (bench/import.py)."""
    _rows_insert(ReportedValue, created, ["report", "indicator", *_VALUE_FIELDS])
    if updated:
        fields = [ReportedValue._meta.get_field(name) for name in _VALUE_FIELDS]
        quote = connection.ops.quote_name
        assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)  # type: ignore[union-attr]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {quote(ReportedValue._meta.db_table)} SET {assignments} "  # noqa: S608 - names from the model
                f"WHERE {quote('id')} = %s",
                [[*_prepared(value, fields), value.pk] for value in updated],
            )


def _rows_insert(model: type[Any], objects: Sequence[Any], names: list[str]) -> None:
    if not objects:
        return
    fields = [model._meta.get_field(name) for name in names]
    rows_insert(
        table=model._meta.db_table,
        columns=[field.column for field in fields],
        rows=(_prepared(obj, fields) for obj in objects),
    )


def _prepared(obj: Any, fields: list[Any]) -> list[Any]:
    return [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields]


def _differs(item: ValueInput, stored: ReportedValue | None) -> bool:
    if stored is None:
        return not item.is_blank
    if item.is_blank:
        return True
    return item.evidence_file is not None or _wanted(item, stored) != _stored(stored)


def _bump_version(report: Report, expected_version: int | None) -> int:
    """A conditional update: it holds on SQLite and PostgreSQL alike, with no lock held
    while the person edits."""
    reports = Report.objects.filter(pk=report.pk)
    if expected_version is not None:
        reports = reports.filter(version=expected_version)
    if not reports.update(version=F("version") + 1, updated_at=timezone.now()):
        since = report.changes.filter(report_version__gt=expected_version or 0).select_related(
            "indicator", "by"
        )
        raise ReportConflictError(report, since)
    report.refresh_from_db(fields=["version", "updated_at"])
    return report.version


def _apply(report: Report, item: ValueInput, stored: ReportedValue | None) -> ReportedValue:
    """The value as it will be stored; the caller saves it."""
    value = stored or ReportedValue(report=report, indicator=item.indicator)
    share = item.share()
    value.value = (
        item.value if item.value is not None or share is None else share.quantize(Decimal("0.0001"))
    )
    value.qualifier = item.qualifier
    value.numerator = item.numerator
    value.denominator = item.denominator
    value.note = item.note
    value.source = item.source
    value.as_of = item.as_of
    value.evidence_url = item.evidence_url
    value.qualitative_status = item.qualitative_status
    if item.evidence_file is not None:
        value.evidence_file = item.evidence_file  # type: ignore[assignment]
    elif item.evidence_file_removed:
        # The file stays in storage, as a replaced one does: the change log names it.
        value.evidence_file = ""  # type: ignore[assignment]
    # value_errors has checked what the table's constraints hold; the fields are checked
    # here, without a query per value.
    value.full_clean(exclude=["report", "indicator"], validate_constraints=False)
    return value


def report_open(*, province: Province | None, year: int, by: User) -> Report:
    """The report of a unit and year, created as a draft for the person who may write it."""
    years = reportable_years()
    if year not in years:
        raise ReportValidationError(
            {
                "": {
                    "year": _("reports cover %(first)d to %(last)d")
                    % {"first": years.start, "last": years.stop - 1}
                }
            }
        )
    if province is None:
        if by.role != User.Role.ADMINISTRATOR:
            raise PermissionDenied
    elif province.pk not in provinces_reported_by(user=by):
        raise PermissionDenied
    elif not unit_reports_in(province=province, year=year):
        raise ReportValidationError({"": {"year": unit_year_refusal(province, year)}})
    report, _created = Report.objects.get_or_create(province=province, year=year)
    return report


def unit_year_refusal(province: Province, year: int) -> str:
    """Why ``province`` files no report for ``year`` (see ``unit_reports_in``)."""
    if province.valid_from and reporting_day(year) < province.valid_from:
        return _(
            "%(unit)s exists from %(day)s: its %(year)d figures are reported under the units "
            "it was formed from."
        ) % {
            "unit": province.label,
            "day": date_format(province.valid_from, "SHORT_DATE_FORMAT"),
            "year": year,
        }
    if province.successor is not None and province.valid_to is not None:
        # Named, with the day it took over: "the unit it became part of" left the officer
        # to guess which of their units files the year, the two Thái Nguyên sharing a name.
        return _(
            "%(unit)s merged into %(successor)s on %(day)s: the %(year)d figures are "
            "reported by %(successor)s."
        ) % {
            "unit": province.label,
            "successor": province.successor.label,
            "day": date_format(province.valid_to + timedelta(days=1), "SHORT_DATE_FORMAT"),
            "year": year,
        }
    # The unit's label says when it ended ("Bắc Kạn (until 30/6/2025)").
    return _(
        "%(unit)s has no plan of its own running in %(year)d: that year is reported by the "
        "unit it became part of."
    ) % {"unit": province.label, "year": year}


def _transition(report: Report, to: Report.Status, by: User, reason: str = "") -> Report:
    now = timezone.now()
    step = ReportTransition.objects.create(
        report=report, from_status=report.status, to_status=to, by=by, at=now, reason=reason
    )
    fields = ["status", "version", "updated_at"]
    if to == Report.Status.SUBMITTED:
        report.submitted_at = now
        fields.append("submitted_at")
        if report.status == Report.Status.DRAFT:
            # Only the step out of draft is the unit's first sending: a resubmission after
            # a return (or a reopening, of figures loaded as approved) answers the ministry.
            report.first_submitted_at = now
            fields.append("first_submitted_at")
    report.status = to
    report.version += 1
    report.save(update_fields=fields)
    # The reviewers learn that a report arrived, its officers what the ministry decided.
    report_step_announce(step=step)
    return report


def _require_status(report: Report, *allowed: Report.Status) -> None:
    if report.status not in allowed:
        raise ReportValidationError(
            {
                "": {
                    "status": _("not possible while the report is %(status)s")
                    % {"status": report.get_status_display()}
                }
            }
        )


@transaction.atomic
def report_submit(*, report: Report, by: User) -> Report:
    """Send a complete report to the ministry: every indicator with a target for the year
    has a value."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not user_can_edit_report(user=by, report=report):
        raise PermissionDenied
    _require_status(report, Report.Status.DRAFT, Report.Status.RETURNED)
    given = set(report.values.values_list("indicator_id", flat=True))
    missing = {
        row.indicator.code: {
            "value": _("a target is set for %(year)s: a value is required") % {"year": report.year}
        }
        for row in report_form_rows(report=report)
        if needs_value(row, year=report.year) and row.indicator.pk not in given
    }
    if not given:
        missing[""] = {"values": _("the report has no values yet")}
    if missing:
        raise ReportValidationError(missing)
    return _transition(report, Report.Status.SUBMITTED, by)


def _reviewed(
    report: Report, by: User, allowed: Report.Status, to: Report.Status, reason: str
) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not user_can_review(user=by):
        raise PermissionDenied
    _require_status(report, allowed)
    return _transition(report, to, by, reason)


def _reason_required(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ReportValidationError({"": {"reason": _("say why: the officer reads this reason")}})
    return reason


@transaction.atomic
def report_approve(*, report: Report, by: User, note: str = "") -> Report:
    """Approve a submitted report; ``note``, optional, is kept with the step in the review
    history, where its officers read it as they read a return's reason."""
    report = _reviewed(report, by, Report.Status.SUBMITTED, Report.Status.APPROVED, note.strip())
    # Approved figures are public and feed the progress table.
    progress_schedule_for_report(report=report)
    return report


@transaction.atomic
def report_assess(
    *, report: Report, by: User, assessments: Mapping[int, str], expected_version: int | None
) -> int:
    """The reviewer's judgement of the report's qualitative results, by indicator id ("" to
    withdraw one); returns how many changed.

    Progress reads it as the status of a qualitative target, so it is made while the report
    is under review or once approved; a change to an approved report recomputes its figures.
    """
    if not user_can_review(user=by):
        raise PermissionDenied
    report = Report.objects.select_for_update().get(pk=report.pk)
    _require_status(report, *ASSESSED_IN)
    stored = {
        value.indicator_id: value
        for value in report.values.select_related("indicator").filter(
            indicator__measure=Indicator.Measure.QUALITATIVE
        )
    }
    choices = set(ReportedValue.QualitativeStatus.values) | {""}
    # A refused indicator is named by its code, as every other refusal is: the API's caller
    # sent a code and must read its answer under it.
    codes = dict(
        Indicator.objects.filter(pk__in=set(assessments) - set(stored)).values_list("pk", "code")
    )
    errors = {}
    for indicator_id, status in assessments.items():
        if indicator_id not in stored:
            errors[codes.get(indicator_id, str(indicator_id))] = {
                "indicator": _("only a qualitative result of this report is assessed")
            }
        elif status not in choices:
            errors[stored[indicator_id].indicator.code] = {
                "qualitative_status": _("not an assessment: %(given)s") % {"given": status}
            }
    if errors:
        raise ReportValidationError(errors)
    changed = [
        (stored[indicator_id], status)
        for indicator_id, status in assessments.items()
        if stored[indicator_id].qualitative_status != status
    ]
    if not changed:
        return 0
    version = _bump_version(report, expected_version)
    now = timezone.now()
    audit = []
    for value, status in changed:
        old = _stored(value)
        value.qualitative_status = status
        value.save(update_fields=["qualitative_status"])
        audit.append(
            ValueChange(
                report=report,
                indicator=value.indicator,
                path=ValueChange.Path.REVIEW,
                by=by,
                at=now,
                report_version=version,
                old=old,
                new=_stored(value),
            )
        )
    _rows_insert(
        ValueChange,
        audit,
        _AUDIT_FIELDS,
    )
    if report.status == Report.Status.APPROVED:
        progress_schedule_for_report(report=report)
    return len(changed)


@transaction.atomic
def report_return(*, report: Report, by: User, reason: str) -> Report:
    reason = _reason_required(reason)
    return _reviewed(report, by, Report.Status.SUBMITTED, Report.Status.RETURNED, reason)


@transaction.atomic
def report_reopen(*, report: Report, by: User, reason: str) -> Report:
    """Unlock an approved report for correction; its figures leave the public progress."""
    reason = _reason_required(reason)
    report = _reviewed(report, by, Report.Status.APPROVED, Report.Status.RETURNED, reason)
    progress_schedule_for_report(report=report)
    return report
