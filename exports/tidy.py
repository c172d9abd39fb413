"""The tidy row: one definition of what every export and every `?format=csv` writes.

One row per unit × indicator × year (× origin, for the national figures derived from the
provinces), with stable codes, the target in force and the figure as the source gave it.
Rows come from querysets read with ``.values()`` and ``.iterator(chunk_size=…)``, so a
writer holds one chunk at a time whatever the size of the export.

What a person may export is exactly what they may see: reported values only through
``reports_visible_to``; progress rows are public (they are computed from approved figures).
"""

from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from itertools import islice
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Count, DateTimeField, F, Q, QuerySet, Value, When
from django.db.models.fields.json import KT
from django.utils.translation import gettext

from accounts.models import User
from indicators.models import Indicator, Target
from indicators.units import unit_in_language
from programmes.models import Document
from progress import engine
from progress.explanations import value_as_of
from progress.models import Progress
from provinces.labels import unit_label
from provinces.models import Province
from reports.models import Report, ReportedValue
from reports.selectors import ReportingStatus, reports_visible_to

CHUNK = 2000
NATIONAL_CODE = "VN"


def national_name() -> str:
    """The nation's ``unit_name``: a label, in the export's language, unlike the units' own
    names; ``unit_code`` (``VN``) is the key."""
    return gettext("National")


# What the stored progress row says of an approved figure (README, "Reading a figure
# without the pages"): empty on a draft's row.
VERDICT_COLUMNS = [
    "achievement",
    "achievement_bound",
    "achieved",
    "status",
    "status_as_of_year",
    "explanation_code",
    "pace_ratio",
    "pace_bound",
    "projection",
    "projection_bound",
    "partial",
    "missing_units",
    "missing_codes",
]

# The unit, indicator, year, target in force and figure, then its verdict: the columns the
# values and the progress exports share.
_FIGURE_COLUMNS = [
    "unit_code",
    "unit_name",
    "unit_valid_from",
    "unit_valid_to",
    "indicator_code",
    "indicator_unit",
    "year",
    "origin",
    "report_status",
    "target_document",
    "target_year",
    "target_comparator",
    "target_low",
    "target_high",
    "target_approximate",
    "value",
    "qualifier",
    "numerator",
    "denominator",
    *VERDICT_COLUMNS,
]

# Reported values: each with its own note, source and day, as the unit entered them; then
# the ids it joins the other exports by, as the API gives them: its report (the reports
# export's ``id``, the status export's ``report``) and the target in force (``targets.csv``'s
# ``id``, the API's progress ``target``). Added last, where a script reading the columns by
# position does not see them move.
COLUMNS = [*_FIGURE_COLUMNS, "note", "source", "as_of", "report", "target"]

# Stored progress rows: the sources the figure rests on and the day it stands for, and the
# target in force by id. No note: a roll-up combines many values, whose notes are the
# values export's.
PROGRESS_COLUMNS = [*_FIGURE_COLUMNS, "source", "as_of", "target"]

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Table:
    """A named export: its columns in a fixed order and the rows, streamed."""

    name: str
    columns: list[str]
    rows: Iterable[Row]


# ------------------------------------------------------------------ reported values


def values_visible_to(*, user: User | AnonymousUser) -> QuerySet[ReportedValue]:
    """Reported values of the reports this person may see: drafts of another unit never."""
    return ReportedValue.objects.filter(report__in=reports_visible_to(user=user).values("pk"))


_VALUE_FIELDS = [
    "report_id",
    "report__province_id",
    "report__province__code",
    "report__province__name",
    "report__province__valid_from",
    "report__province__valid_to",
    "indicator_id",
    "indicator__code",
    "indicator__unit",
    "indicator__unit_en",
    "report__year",
    "report__status",
    "value",
    "qualifier",
    "numerator",
    "denominator",
    "note",
    "source",
    "as_of",
]
_TARGET_FIELDS = [
    "target_id",
    "target__document__number",
    "target__year",
    "target__comparator",
    "target__low",
    "target__high",
    "target__approximate",
]

# What a stored progress row says of the figure, beyond the ratio: whether it is only a
# bound ("trên 50" of 115 is at least 43,5 %), the year the status is seen from, why, the
# pace and projection (bounds too when a bound gave them) and whether a roll-up lacks units.
_VERDICT_FIELDS = [
    "ratio",
    "bound",
    "achieved",
    "status",
    "as_of_year",
    "explanation_code",
    "pace_ratio",
    "projection",
    "partial",
    "missing_unit_ids",
]
# Read out of the explanation in the query, not by decoding it in Python for every row.
_VERDICT_BOUNDS = {
    "pace_bound": KT("explanation_values__pace_bound"),
    "projection_bound": KT("explanation_values__projection_bound"),
}


def achievement_bound(bound: str) -> str:
    """A stored achievement's bound as the exports and the API write it: "lower" (the true
    figure is at least this) or "upper" (at most), and "" when exact, as the pace's and the
    projection's bounds are. The engine stores "exact" where a ratio is exact."""
    return "" if bound == engine.Bound.EXACT else bound


def indicator_units() -> Callable[[str, str], str]:
    """The rows' ``indicator_unit`` in the export's language, as the pages word it
    (``Indicator.unit_label``: "models" for "mô hình" in English), from the indicator's
    ``unit`` and ``unit_en``; each unit is looked up once, not on every row."""
    return cache(lambda unit, unit_en: unit_in_language(unit, unit_en).label)


def unit_key(code: str, valid_from: date | None) -> str:
    """A unit in one text, as the rows' ``unit_code`` and ``unit_valid_from`` give it: its
    code, and ``@`` the day it began when it began in the tracker's time (the new Thái
    Nguyên ``19@2025-07-01``, the old ``19``), which ``units.csv`` reads the same way."""
    return f"{code}@{valid_from.isoformat()}" if valid_from else code


class MissingUnits:
    """The units a stored row names as missing (``Progress.missing_unit_ids``), by label as
    the pages word them, in the export's language (the old Thái Nguyên "Thái Nguyên (đến
    30/6/2025)", not the new one's name), and as ``unit_key``. Reads every unit once: ~100
    rows, one query however many rows name them."""

    def __init__(self) -> None:
        self._units = {
            pk: (unit_label(name or code, valid_to), unit_key(code, valid_from))
            for pk, code, name, valid_from, valid_to in Province.objects.values_list(
                "pk", "code", "name", "valid_from", "valid_to"
            )
        }

    def _known(self, ids: list[int]) -> list[tuple[str, str]]:
        # A unit deleted since the recompute (which the next one leaves out) is passed
        # over in both lists alike, so that they stay in step.
        return [self._units[pk] for pk in ids if pk in self._units]

    def names(self, ids: list[int]) -> list[str]:
        """As the sentences name them (``progress.explanations``)."""
        return [name for name, _key in self._known(ids)]

    def keys(self, ids: list[int]) -> list[str]:
        return [key for _name, key in self._known(ids)]


def _verdict(row: dict[str, Any] | None, missing: MissingUnits) -> Row:
    """The VERDICT_COLUMNS of a stored progress row read with ``_VERDICT_FIELDS`` and
    ``_VERDICT_BOUNDS``; all empty without one (a draft has no verdict)."""
    if row is None:
        return (None,) * len(VERDICT_COLUMNS)
    ids = row["missing_unit_ids"] or []
    return (
        row["ratio"],
        achievement_bound(row["bound"]) or None,
        row["achieved"],
        row["status"],
        row["as_of_year"],
        row["explanation_code"] or None,
        row["pace_ratio"],
        row["pace_bound"] or None,
        row["projection"],
        row["projection_bound"] or None,
        row["partial"],
        "; ".join(missing.names(ids)) or None,
        "; ".join(missing.keys(ids)) or None,
    )


def _value_order() -> list[Any]:
    # The nation first on every database (SQLite and PostgreSQL sort NULL differently).
    return [
        F("report__province__code").asc(nulls_first=True),
        F("report__province__valid_from").asc(nulls_first=True),
        "indicator__code",
        "report__year",
    ]


def _chunks(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def value_rows(values: QuerySet[ReportedValue], *, chunk_size: int = CHUNK) -> Iterator[Row]:
    """Tidy rows of reported values; the target, achievement and status come from the
    stored progress row of the same unit, indicator and year (one query per chunk).

    Achievement and status are only those of approved figures: a draft's are not computed.
    """
    stream = values.order_by(*_value_order()).values(*_VALUE_FIELDS).iterator(chunk_size)
    missing = MissingUnits()
    unit_label = indicator_units()
    for chunk in _chunks(stream, chunk_size):
        progress = _progress_for(chunk)
        targets = _targets_for(chunk)
        for item in chunk:
            key = (item["report__province_id"], item["indicator_id"], item["report__year"])
            # A year with no stored row (a draft for 2024 of a 2025 target) still shows the
            # target the engine would judge it against.
            stored = progress.get(key)
            found = stored or _target_in_force(targets.get(key[:2], []), key[2])
            approved = item["report__status"] == Report.Status.APPROVED
            national = item["report__province_id"] is None
            yield (
                NATIONAL_CODE if national else item["report__province__code"],
                national_name() if national else item["report__province__name"],
                item["report__province__valid_from"],
                item["report__province__valid_to"],
                item["indicator__code"],
                unit_label(item["indicator__unit"], item["indicator__unit_en"]),
                item["report__year"],
                Progress.Origin.REPORTED.value,
                item["report__status"],
                found.get("target__document__number"),
                found.get("target__year"),
                found.get("target__comparator"),
                found.get("target__low"),
                found.get("target__high"),
                found.get("target__approximate"),
                item["value"],
                item["qualifier"],
                item["numerator"],
                item["denominator"],
                *_verdict(stored if approved else None, missing),
                item["note"],
                item["source"],
                item["as_of"],
                item["report_id"],
                found.get("target_id"),
            )


def _progress_for(chunk: list[dict[str, Any]]) -> dict[tuple[Any, ...], dict[str, Any]]:
    """The stored rows of the chunk's (unit, indicator, year) keys, by unit, so that a chunk
    spanning two units does not read the cross product of their indicators and years."""
    wanted: dict[Any, tuple[set[int], set[int]]] = {}
    for item in chunk:
        indicators, years = wanted.setdefault(item["report__province_id"], (set(), set()))
        indicators.add(item["indicator_id"])
        years.add(item["report__year"])
    where = Q()
    for province_id, (indicators, years) in wanted.items():
        unit = Q(province__isnull=True) if province_id is None else Q(province_id=province_id)
        where |= unit & Q(indicator_id__in=indicators, year__in=years)
    rows = Progress.objects.filter(where, origin=Progress.Origin.REPORTED).values(
        "province_id", "indicator_id", "year", *_TARGET_FIELDS, *_VERDICT_FIELDS, **_VERDICT_BOUNDS
    )
    return {(row["province_id"], row["indicator_id"], row["year"]): row for row in rows}


def _targets_for(chunk: list[dict[str, Any]]) -> dict[tuple[Any, Any], list[dict[str, Any]]]:
    """The targets of the chunk's (unit, indicator) pairs, in one query."""
    wanted: dict[Any, set[int]] = {}
    for item in chunk:
        wanted.setdefault(item["report__province_id"], set()).add(item["indicator_id"])
    where = Q()
    for province_id, indicators in wanted.items():
        unit = Q(province__isnull=True) if province_id is None else Q(province_id=province_id)
        where |= unit & Q(indicator_id__in=indicators)
    found: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
    # The stored progress rows' names for these fields: "target__year" is a target's "year",
    # "target_id" its "pk".
    fields = {
        name: "pk" if name == "target_id" else name.removeprefix("target__")
        for name in _TARGET_FIELDS
    }
    period = {
        f"target__{name}": name for name in ["document__period_start", "document__period_end"]
    }
    # The latest document first: of two targets for one year, the later one stands.
    rows = Target.objects.filter(where).order_by("-document__issued_on", "-pk")
    for row in rows.values("province_id", "indicator_id", *fields.values(), *period.values()):
        target = {name: row[field] for name, field in {**fields, **period}.items()}
        found.setdefault((row["province_id"], row["indicator_id"]), []).append(target)
    return found


def _target_in_force(targets: list[dict[str, Any]], year: int) -> dict[str, Any]:
    """As the engine picks it (``progress.engine.in_force``): of the targets whose
    document's period covers ``year``, the nearest year at or after it, else the latest
    before, the latest document's of a year; none once every such plan has ended."""
    terms = (
        (
            engine.Term(
                row["target__year"],
                row["target__document__period_start"],
                row["target__document__period_end"],
            ),
            row,
        )
        for row in targets
    )
    return engine.in_force(terms, year) or {}


# ------------------------------------------------------------------ progress rows


def progress_public() -> QuerySet[Progress]:
    return Progress.objects.all()


def progress_rows(rows: QuerySet[Progress], *, chunk_size: int = CHUNK) -> Iterator[Row]:
    """Tidy rows of stored progress figures: reported series and derived national ones."""
    stream = (
        rows.order_by(
            F("province__code").asc(nulls_first=True),
            F("province__valid_from").asc(nulls_first=True),
            "indicator__code",
            "year",
            "origin",
        )
        .values(
            "province_id",
            "province__code",
            "province__name",
            "province__valid_from",
            "province__valid_to",
            "indicator__code",
            "indicator__unit",
            "indicator__unit_en",
            "year",
            "origin",
            "value",
            "qualifier",
            "numerator",
            "denominator",
            "sources",
            *_TARGET_FIELDS,
            *_VERDICT_FIELDS,
            **_VERDICT_BOUNDS,
            value_as_of=KT("explanation_values__value_as_of"),
        )
        .iterator(chunk_size)
    )
    missing = MissingUnits()
    unit_label = indicator_units()
    for item in stream:
        national = item["province_id"] is None
        reported = item["origin"] == Progress.Origin.REPORTED
        yield (
            NATIONAL_CODE if national else item["province__code"],
            national_name() if national else item["province__name"],
            item["province__valid_from"],
            item["province__valid_to"],
            item["indicator__code"],
            unit_label(item["indicator__unit"], item["indicator__unit_en"]),
            item["year"],
            item["origin"],
            # Progress is computed from approved figures only.
            Report.Status.APPROVED.value if reported and item["value"] is not None else None,
            item["target__document__number"],
            item["target__year"],
            item["target__comparator"],
            item["target__low"],
            item["target__high"],
            item["target__approximate"],
            item["value"],
            item["qualifier"] or None,
            item["numerator"],
            item["denominator"],
            *_verdict(item, missing),
            "; ".join(item["sources"] or []),
            value_as_of(item["value"], item["value_as_of"]),
            item["target_id"],
        )


# ------------------------------------------------------------------ reports and their status

REPORT_COLUMNS = [
    "id",
    "unit_code",
    "unit_name",
    "unit_valid_from",
    "unit_valid_to",
    "year",
    "status",
    "version",
    "submitted_at",
    "first_submitted_at",
    "updated_at",
]


def report_rows(
    reports: QuerySet[Report], *, history_units: AbstractSet[int] | None
) -> Iterator[Row]:
    """One row per report the person may see (the report list). A first sending other than
    the latest tells that the report was returned: given only for the reports whose review
    history the person sees (``history_units``, None for all; ``history_units_for``)."""
    first_sent: Any = F("first_submitted_at")
    if history_units is not None:
        first_sent = Case(
            When(province_id__in=history_units, then=first_sent),
            default=Value(None, output_field=DateTimeField()),
        )
    stream = (
        reports.annotate(first_sent=first_sent)
        .order_by("-year", F("province__code").asc(nulls_first=True), "province__valid_from", "pk")
        .values_list(
            "pk",
            "province__code",
            "province__name",
            "province__valid_from",
            "province__valid_to",
            "year",
            "status",
            "version",
            "submitted_at",
            "first_sent",
            "updated_at",
        )
        .iterator(CHUNK)
    )
    return _national_named(stream, code_at=1)


STATUS_COLUMNS = [
    "unit_code",
    "unit_name",
    "unit_valid_from",
    "unit_valid_to",
    "row_unit_code",
    "row_unit_name",
    "year",
    "status",
    "late",
    "due_on",
    "report",
    # The grid's row is a unit in force, and a code is two units across the merger (19):
    # with ``row_unit_code``, the key of ``units.csv`` and of every other row's unit.
    "row_unit_valid_from",
]


def status_rows(grid: ReportingStatus) -> Iterator[Row]:
    """The reporting status grid (``reports.selectors.reporting_status``), one row per
    report it expects, as its totals count them: a unit's own, or each former unit's area
    within the row of the unit in force it became part of (``row_unit_code``). The new Thái
    Nguyên's 2022 cell is two rows, Bắc Kạn's approved report and the old Thái Nguyên's
    missing one, each with its own status and lateness."""
    for unit, cells in grid.rows:
        for cell in cells:
            for part in cell.parts:
                yield (
                    part.area.code,
                    part.area.name,
                    part.area.valid_from,
                    part.area.valid_to,
                    unit.code,
                    unit.name,
                    cell.year,
                    part.status,
                    part.late,
                    grid.deadlines[cell.year],
                    part.report.pk if part.report is not None else None,
                    unit.valid_from,
                )


# ------------------------------------------------------------------ metadata

# Each metadata table: (the CSV column, the field it is read from), in the column order.
_INDICATOR_COLUMNS = [
    ("code", "code"),
    ("name_vi", "name_vi"),
    ("name_en", "name_en"),
    ("unit", "unit"),
    ("unit_en", "unit_en"),
    ("unit_en_singular", "unit_en_singular"),
    ("measure", "measure"),
    ("direction", "direction"),
    ("accumulation", "accumulation"),
    ("rollup", "rollup"),
    ("parent_code", "parent__code"),
    ("defined_in", "programme__number"),
    ("note", "note"),
    ("note_en", "note_en"),
    ("source", "source"),
    # Ids, as the API gives them, after the columns scripts already read by position: a
    # document's number is not unique (``documents.csv``'s ``number`` and ``issued_on``).
    ("programme_id", "programme_id"),
]

_DOCUMENT_COLUMNS = [
    ("id", "pk"),
    ("number", "number"),
    ("kind", "kind"),
    ("unit_code", "province__code"),
    ("unit_name", "province__name"),
    ("issued_on", "issued_on"),
    ("period_start", "period_start"),
    ("period_end", "period_end"),
    ("title_vi", "title_vi"),
    ("title_en", "title_en"),
    ("issuer", "issuer"),
    ("implements", "implements__number"),
    ("source", "source"),
    ("implements_id", "implements_id"),
    ("unit_valid_from", "province__valid_from"),
    ("unit_valid_to", "province__valid_to"),
]

_TARGET_COLUMNS = [
    ("document", "document__number"),
    ("unit_code", "province__code"),
    ("unit_name", "province__name"),
    ("indicator_code", "indicator__code"),
    ("year", "year"),
    ("comparator", "comparator"),
    ("low", "low"),
    ("high", "high"),
    ("approximate", "approximate"),
    ("baseline_value", "baseline_value"),
    ("baseline_year", "baseline_year"),
    ("text_vi", "text_vi"),
    ("note", "note"),
    ("note_en", "note_en"),
    ("source", "source"),
    # The key the data rows' ``target`` and the API's targets give it, and the keys of its
    # document and unit: a number and a code can each stand for two.
    ("id", "pk"),
    ("document_id", "document_id"),
    ("unit_valid_from", "province__valid_from"),
    ("unit_valid_to", "province__valid_to"),
]

_UNIT_COLUMNS = [
    ("id", "pk"),
    ("code", "code"),
    ("name", "name"),
    ("kind", "kind"),
    ("valid_from", "valid_from"),
    ("valid_to", "valid_to"),
    ("successor_id", "successor_id"),
    ("successor_code", "successor__code"),
    ("successor_name", "successor__name"),
    ("source", "source"),
]


def _split(pairs: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    return [column for column, _field in pairs], [field for _column, field in pairs]


def indicator_table(indicators: QuerySet[Indicator]) -> Table:
    columns, fields = _split(_INDICATOR_COLUMNS)
    return Table(
        "indicators", columns, indicators.order_by("code").values_list(*fields).iterator(CHUNK)
    )


def document_table(documents: QuerySet[Document]) -> Table:
    columns, fields = _split(_DOCUMENT_COLUMNS)
    return Table(
        "documents",
        columns,
        documents.order_by("issued_on", "number").values_list(*fields).iterator(CHUNK),
    )


def target_table(targets: QuerySet[Target]) -> Table:
    columns, fields = _split(_TARGET_COLUMNS)
    stream = (
        targets.order_by("indicator__code", "year", "document__issued_on")
        .values_list(*fields)
        .iterator(CHUNK)
    )
    return Table("targets", columns, _national_named(stream, code_at=1))


def _national_named(rows: Iterator[tuple[Any, ...]], *, code_at: int) -> Iterator[Row]:
    """A national row's unit is the nation, named as in the data rows."""
    for row in rows:
        if row[code_at] is None:
            row = (*row[:code_at], NATIONAL_CODE, national_name(), *row[code_at + 2 :])
        yield row


def unit_table(units: QuerySet[Province]) -> Table:
    columns, fields = _split(_UNIT_COLUMNS)
    return Table(
        "units", columns, units.order_by("code", "valid_from").values_list(*fields).iterator(CHUNK)
    )


def source_table(values: QuerySet[ReportedValue]) -> Table:
    """Every source the exported values cite, with how many values cite it."""
    rows = (
        values.exclude(source="")
        .order_by()
        .values("source")
        .annotate(values=Count("pk"))
        .order_by("source")
        .values_list("source", "values")
    )
    return Table("sources", ["source", "values"], rows.iterator(CHUNK))


def export_table(*, filters: dict[str, str], at: datetime, dataset: str) -> Table:
    """What was exported, narrowed how, and when."""
    # A time, written as every time is (the project's time zone, with its offset).
    rows: list[Row] = [("dataset", dataset), ("exported_at", at)]
    rows += [(f"filter:{name}", value) for name, value in sorted(filters.items())]
    return Table("export", ["key", "value"], rows)


def indicators_of(rows_qs: QuerySet[Any]) -> QuerySet[Indicator]:
    return Indicator.objects.filter(pk__in=rows_qs.order_by().values("indicator_id"))


def documents_of(indicators: QuerySet[Indicator]) -> QuerySet[Document]:
    """The documents that define these indicators or set targets for them."""
    return Document.objects.filter(
        Q(pk__in=indicators.values("programme_id"))
        | Q(pk__in=Target.objects.filter(indicator__in=indicators).values("document_id"))
    )
