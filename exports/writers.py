"""CSV, Excel and zip writers of tidy tables; one neutralisation rule for all of them.

CSV streams (csv.writer over a buffer that hands each line back), so memory stays the size
of one chunk of rows whatever the export. Excel and zip are written to a temporary file
(openpyxl's write-only workbook, zipfile) and sent from there.
"""

import csv
import io
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone
from openpyxl import Workbook

from .tidy import Row, Table

BOM = "\ufeff"
# What spreadsheet programs read as the start of a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_CHARS = frozenset(FORMULA_START)
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def neutralise(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula is prefixed with ``'``; numbers,
    including negative ones typed as text ("-5"), stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def csv_cell(value: Any) -> Any:
    # Dispatch on the exact type first: this runs once per cell of every export.
    kind = type(value)
    if kind is str:
        return neutralise(value) if value[:1] in _FORMULA_CHARS else value
    if value is None:
        return ""
    if kind is int:
        return value
    if kind is Decimal:
        return format(value.normalize(), "f")
    if kind is bool:
        return "true" if value else "false"
    if isinstance(value, datetime):
        return local_isoformat(value)
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(value)


def local_isoformat(value: datetime) -> str:
    """A time as the API writes it: in the project's time zone (Asia/Ho_Chi_Minh), with its
    offset, so that one instant reads the same in every export and every API answer."""
    return (timezone.localtime(value) if timezone.is_aware(value) else value).isoformat()


class _Line:
    """A file-like object whose write returns what it was given, for csv.writer."""

    def write(self, text: str) -> str:
        return text


def csv_lines(table: Table, *, bom: bool = True) -> Iterator[bytes]:
    writer = csv.writer(_Line())
    yield ((BOM if bom else "") + writer.writerow(table.columns)).encode()
    for row in table.rows:
        yield writer.writerow([csv_cell(value) for value in row]).encode()


def csv_write(table: Table, out: IO[str], *, bom: bool = False) -> int:
    """Write a table to a text file; returns the number of rows."""
    writer = csv.writer(out)
    if bom:
        out.write(BOM)
    writer.writerow(table.columns)
    count = 0
    for row in table.rows:
        writer.writerow([csv_cell(value) for value in row])
        count += 1
    return count


def xlsx_cell(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        # Excel has no time zones: the ministry's local time (Asia/Ho_Chi_Minh).
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, Decimal):
        # Excel keeps 15 significant digits; the stored values have at most 20 with 4
        # decimals, which a float holds for every figure the programme reports.
        return float(value)
    return neutralise(value)


def xlsx_file(data: Table, metadata: Iterable[Table], heading: list[Row]) -> IO[bytes]:
    """A workbook with the data sheet and a metadata sheet (the export's filters and time,
    then each metadata table under its name), in a temporary file."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    sheet.append(data.columns)
    for row in data.rows:
        sheet.append([xlsx_cell(value) for value in row])
    meta = workbook.create_sheet("metadata")
    for row in heading:
        meta.append([xlsx_cell(value) for value in row])
    for table in metadata:
        meta.append([])
        meta.append([table.name])
        meta.append(table.columns)
        for row in table.rows:
            meta.append([xlsx_cell(value) for value in row])
    out = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    workbook.save(out)
    out.seek(0)
    return out


def zip_file(tables: Iterable[Table], *, bom: bool = True) -> IO[bytes]:
    """A zip of one CSV per table, UTF-8 with a BOM or without, as the single CSV exports."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for table in tables:
            with (
                bundle.open(f"{table.name}.csv", "w", force_zip64=True) as raw,
                io.TextIOWrapper(raw, encoding="utf-8", newline="") as text,
            ):
                csv_write(table, text, bom=bom)
    out.seek(0)
    return out
