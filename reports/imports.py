"""Reading an uploaded spreadsheet of yearly results into raw rows.

Pure apart from the settings: bytes and a file name in, rows of text out, each with the
line it stands on in the spreadsheet (the header is line 1). What the cells mean — units,
indicators, numbers — is decided in ``reports.import_services``.

Officers' files come from Excel and LibreOffice in every flavour: UTF-8 with or without a
BOM, UTF-16 ("Unicode text", tab-separated) and Windows-1258, the Vietnamese code page,
which writes tone marks as combining characters. Every cell is normalised to NFC, so that
"Thừa Thiên Huế" typed either way is one name.
"""

import codecs
import contextlib
import csv
import io
import math
import re
import unicodedata
import zipfile
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from indicators.templatetags.figures import figure

from .numbers import VALUE_DECIMALS, VALUE_WHOLE_DIGITS

COLUMNS = (
    "unit_code",
    "indicator_code",
    "year",
    "value",
    "qualifier",
    "numerator",
    "denominator",
    "note",
    "source",
)
# A file needs only these: an officer's own sheet of unit, indicator, year and value is
# read as the template is. A column of the rest of COLUMNS that the file lacks never blanks
# what is stored: the note and source stay; the qualifier and parts stay beside an
# unchanged value, and a new value is exact and without parts (services.value_input_merged).
REQUIRED_COLUMNS = ("unit_code", "indicator_code", "year", "value")
# Read when the header names them. A file without as_of (every file from before it was a
# column) keeps the stored day, as it keeps evidence and assessment.
OPTIONAL_COLUMNS = ("as_of",)
NUMBER_COLUMNS = ("value", "numerator", "denominator")
EXTENSIONS = {".csv", ".xlsx", ".txt"}
FORMULA_PREFIXES = frozenset("=+-@")
# A formula cell whose result the file does not hold (see _formulas_without_result).
NO_RESULT = object()
# A cell that merged cells cover, other than their first: it holds nothing of its own.
MERGED = object()


def _unreadable(cell: object) -> str | None:
    """Why a cell cannot be read as the officer sees it, with ``%(line)d`` and
    ``%(column)s`` to fill; None when it can."""
    if cell is NO_RESULT:
        return _(
            "Line %(line)d, column %(column)s: the cell holds a formula whose "
            "result is not saved in the file. Open the file in Excel or "
            "LibreOffice and save it again, or type the value."
        )
    if cell is MERGED:
        # Read as empty, it was refused as "missing" though the officer sees it.
        return _(
            "Line %(line)d, column %(column)s: the cell is merged with the cells "
            "above or beside it. Unmerge the cells and write the value on every "
            "line."
        )
    return None


_MERGE = re.compile(rb'<mergeCell\b[^>]*\bref="([A-Z]+[0-9]+):([A-Z]+[0-9]+)"')
_CELL = re.compile(rb"<c\b([^>]*?)(?<!/)>(.*?)</c>", re.DOTALL)
_FORMULA = re.compile(rb"<f[\s>/]")
_RESULT = re.compile(rb"<v>[^<]")
_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
# Quoted text, escaped characters and bracketed codes ([Red], [$-409], [>=100]) of a
# number format show as they are or only set colours and conditions: 0"%" is not a
# percentage, and "0.0 \"ha\"" shows one decimal.
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_DIGIT_PLACEHOLDERS = re.compile(r"[0#?]")
_DECIMALS = re.compile(r"\.([0#?]+)")
# Enough of a file's start to tell UTF-16 by its NUL bytes, and their side.
UTF16_SNIFF_BYTES = 4096


class ImportFileError(ValueError):
    """The file as a whole cannot be read; nothing of it is looked at further."""


@dataclass(frozen=True)
class RawRow:
    line: int  # as its sheet numbers it
    # Every name of COLUMNS and OPTIONAL_COLUMNS the file has (REQUIRED_COLUMNS always) →
    # its text, stripped and NFC.
    cells: dict[str, str]
    sheet: str = ""  # the workbook's sheet it is on; "" in a CSV
    # The NUMBER_COLUMNS whose cell holds a number, not text: its text is one reading
    # (1500 shown "1.500" by its format is 1500), where typed "1.500" may mean 1,5.
    number_cells: frozenset[str] = frozenset()

    def stored(self) -> list[Any]:
        """As ImportBatch.rows keeps it: [line, cells], and for a row of a workbook its
        sheet and number cells after them."""
        if not self.sheet:
            return [self.line, self.cells]
        return [self.line, self.cells, self.sheet, sorted(self.number_cells)]

    @classmethod
    def from_stored(cls, stored: list[Any]) -> "RawRow":
        line, cells, *rest = stored
        sheet, numbers = rest or ("", ())
        return cls(line, cells, sheet, frozenset(numbers))


def read_rows(*, content: bytes, filename: str) -> list[RawRow]:
    """The data rows of an .xlsx or .csv file; raises ImportFileError naming the problem.

    Every sheet of a workbook whose first line names one of the required columns is read,
    in the workbook's order, its rows numbered as the sheet numbers them: an officer who
    puts each year on a sheet of its own expects them all imported. The other sheets
    (instructions, a summary) are passed over."""
    if len(content) > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(mb)d MB.") % {"mb": settings.IMPORT_MAX_BYTES // 2**20}
        )
    suffix = Path(filename).suffix.lower()
    if suffix not in EXTENSIONS:
        raise ImportFileError(_("Upload an .xlsx or a .csv file."))
    tables = (
        _xlsx_tables(content)
        if suffix == ".xlsx"
        else contextlib.nullcontext([_Table("", False, _csv_lines(content))])
    )
    rows: list[RawRow] = []
    with tables as read:
        for table in read:
            _read_table(table, rows)
    if not rows:
        # Previewed, it would offer to apply nothing; the officer most likely saved the
        # template before filling it in, or uploaded the wrong sheet.
        raise ImportFileError(
            _(
                "The file has no data rows: only the line naming the columns. Fill in one "
                "row per unit, indicator and year below it and upload the file again."
            )
        )
    return rows


@dataclass
class _Table:
    """A sheet of a workbook, or a CSV file: a header line and the lines below it."""

    sheet: str  # the sheet's name; "" for a CSV
    named: bool  # whether the file's messages name the sheet: the workbook has several
    lines: Iterator[list[object]]

    def refusal(self, message: str) -> ImportFileError:
        if not self.named:
            return ImportFileError(message)
        return ImportFileError(
            _("Sheet “%(sheet)s”: %(reason)s") % {"sheet": self.sheet, "reason": message}
        )


def _read_table(table: _Table, rows: list[RawRow]) -> None:
    """Adds the table's data rows to ``rows``; the row limit counts the whole file."""
    header = next(table.lines, None)
    if header is None:
        raise table.refusal(_("The file is empty."))
    names = [_clean(cell).lower() for cell in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        raise table.refusal(
            _("The first line must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    repeated = [column for column in (*COLUMNS, *OPTIONAL_COLUMNS) if names.count(column) > 1]
    if repeated:
        # Which of two "value" columns holds the figures cannot be guessed.
        raise table.refusal(
            _("The first line names these columns more than once: %(columns)s.")
            % {"columns": ", ".join(repeated)}
        )
    where = {
        column: names.index(column) for column in (*COLUMNS, *OPTIONAL_COLUMNS) if column in names
    }
    for line, cells in enumerate(table.lines, start=2):
        for column, index in where.items():
            reason = _unreadable(cells[index]) if index < len(cells) else None
            if reason is not None:
                raise table.refusal(reason % {"line": line, "column": column})
        texts = [_clean(cell) for cell in cells]
        if not any(texts):
            continue  # spreadsheets keep blank lines at the end; they say nothing
        if len(rows) >= settings.IMPORT_MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(rows)s rows; split it into smaller files.")
                % {"rows": figure(settings.IMPORT_MAX_ROWS)}
            )
        rows.append(
            RawRow(
                line,
                {
                    column: texts[index] if index < len(texts) else ""
                    for column, index in where.items()
                },
                table.sheet,
                frozenset(
                    column
                    for column in NUMBER_COLUMNS
                    if column in where
                    and where[column] < len(cells)
                    and _is_number(cells[where[column]])
                ),
            )
        )


def _is_number(cell: object) -> bool:
    return isinstance(cell, int | float | Decimal) and not isinstance(cell, bool)


def _clean(cell: object) -> str:
    if cell is None or cell is NO_RESULT or cell is MERGED:
        return ""
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, float):
        # repr gives the shortest text that reads back as the same float: 21.6, not
        # 21.600000000000001; a whole number (a year, a count) loses its ".0".
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, int | Decimal):
        return str(cell)
    if isinstance(cell, datetime):
        # A date cell: openpyxl reads every one as a datetime. A time of day (=NOW(), a
        # "15/07/2025 10:30" typed in) says nothing more about the day a figure stands for.
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    text = unicodedata.normalize("NFC", str(cell)).strip()
    # An export or template prefixes formula-looking text with "'" so that a spreadsheet
    # shows it instead of running it; the text itself is what follows.
    if text[:1] == "'" and text[1:2] in FORMULA_PREFIXES:
        return text[1:]
    return text


def decode(content: bytes) -> str:
    """Text from a BOM if there is one, else UTF-16 if it has NUL bytes, else strict UTF-8,
    else Windows-1258."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if content.startswith(bom):
            try:
                return content.decode(encoding)
            except UnicodeDecodeError:
                raise ImportFileError(
                    _("The file starts as %(encoding)s but is not valid %(encoding)s.")
                    % {"encoding": encoding.upper().replace("-SIG", "")}
                ) from None
    if b"\x00" in content[:UTF16_SNIFF_BYTES]:
        return _utf16_without_bom(content)
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1258")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file's text is neither UTF-8, UTF-16 nor Windows-1258; save it as CSV UTF-8.")
        ) from None


def _utf16_without_bom(content: bytes) -> str:
    """UTF-16 whose BOM a script or converter dropped. Text never holds a NUL byte, but the
    ASCII of a UTF-16 file is half NULs: the high bytes, after each letter (little-endian,
    what Windows writes) or before it. Without this the NULs pass as UTF-8 and every header
    reads as unknown."""
    head = content[:UTF16_SNIFF_BYTES]
    little = head[1::2].count(0) >= head[0::2].count(0)
    encoding = "utf-16-le" if little else "utf-16-be"
    try:
        return content.decode(encoding)
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "The file has the NUL bytes of UTF-16 text but is not valid UTF-16; "
                "save it as CSV UTF-8."
            )
        ) from None


def _csv_lines(content: bytes):  # type: ignore[no-untyped-def]
    text = decode(content)
    first = text.split("\n", 1)[0]
    # Excel writes "CSV" with the list separator of the computer's region (";" where the
    # decimal mark is ","), and "Unicode text" tab-separated.
    delimiter = max(["\t", ";", ","], key=first.count)
    if delimiter not in first:
        delimiter = ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise ImportFileError(
            _("The file is not a readable CSV file (%(error)s).") % {"error": error}
        ) from None


@contextlib.contextmanager
def _xlsx_tables(content: bytes) -> Iterator[list[_Table]]:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        # Declared sizes bound what zipfile will inflate (it stops at them and checks the
        # CRC), so their sum is the most that reading the workbook can produce.
        expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise ImportFileError(_("The file is not a valid .xlsx workbook.")) from None
    if expanded > settings.IMPORT_MAX_UNCOMPRESSED_BYTES:
        raise ImportFileError(
            _("The workbook expands to more than %(mb)d MB when opened; it is refused.")
            % {"mb": settings.IMPORT_MAX_UNCOMPRESSED_BYTES // 2**20}
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise ImportFileError(_("The file is not a valid .xlsx workbook.")) from None
    try:
        named = len(workbook.worksheets) > 1
        yield [
            _Table(sheet.title, named, _sheet_lines(archive, sheet))
            for sheet in _data_sheets(workbook)
        ]
    finally:
        workbook.close()


def _sheet_lines(archive: zipfile.ZipFile, sheet: Any) -> Iterator[list[object]]:
    xml = archive.read(sheet._worksheet_path)
    unsaved = _formulas_without_result(xml)
    merges = _Merges(xml)
    for line, row in enumerate(sheet.iter_rows(), start=1):
        yield [
            NO_RESULT
            if (line, column) in unsaved
            else merges.read(line, column, _number_as_shown(cell))
            for column, cell in enumerate(row, start=1)
        ]


def _data_sheets(workbook: Any) -> list[Any]:
    """The sheets whose first line names one of the required columns, else the first sheet
    (whose header is then refused naming what is missing). Officers put a sheet of
    instructions, or the province's own summary, beside the data; a sheet that names only
    some of the columns is meant as data, and is refused naming what it lacks rather than
    passed over."""
    found = []
    for sheet in workbook.worksheets:
        header = next(sheet.iter_rows(max_row=1, values_only=True), ())
        if set(REQUIRED_COLUMNS) & {_clean(cell).lower() for cell in header}:
            found.append(sheet)
    return found or workbook.worksheets[:1]


def _number_as_shown(cell: Any) -> object:
    """A number cell's value as the officer sees it: to the decimals its number format
    shows (a share computed as =24/63*100 and shown 38,1 is 38.1, not 38.0952380952…),
    and a hundred times its value in a percentage format (Excel stores "85 %" as 0.85; read
    as 0,85 % the share would be a hundred times too small). A format that fixes no decimals
    (General) shows as many as the column is wide: the number is then read to the decimals
    a value keeps (VALUE_DECIMALS), as the form keeps a share computed from its parts —
    typed text is never rounded."""
    value = cell.value
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        return value
    # Through the float's shortest text, so that 0.216 becomes 21.6, not 21.599999…
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if number.adjusted() >= VALUE_WHOLE_DIGITS:
        return value  # too large for a value whatever its decimals; refused as it is
    section = _format_section(cell.number_format or "General", negative=number < 0)
    if "%" in section:
        number = number.scaleb(2)
    decimals = _shown_decimals(section)
    if decimals is None or decimals > VALUE_DECIMALS:
        decimals = VALUE_DECIMALS
    number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    # 2024 in a "0.0" cell shows 2024,0 and is the year 2024: no trailing zeros.
    return int(number) if number == number.to_integral_value() else number.normalize()


def _format_section(number_format: str, *, negative: bool) -> str:
    """The part of a number format that shows the number, without its literal text:
    "0.0;[Red]-0.00" shows a negative number with the second section."""
    shown = _FORMAT_LITERALS.sub("", number_format)
    sections = shown.split(";")
    return sections[1] if negative and len(sections) > 1 else sections[0]


def _shown_decimals(section: str) -> int | None:
    """How many decimals a number format's section shows ("0.00%" two, "#,##0" none);
    None when it fixes none: General, and the scientific and fraction formats."""
    lowered = section.lower()
    if "general" in lowered or "e+" in lowered or "e-" in lowered or "/" in section:
        return None
    if not _DIGIT_PLACEHOLDERS.search(section):
        return None  # "@", text: no number is formatted
    found = _DECIMALS.search(section)
    return len(found.group(1)) if found else 0


class _Merges:
    """The sheet's merged cells. Excel shows the first cell's value across them all; the
    file holds it once, and the others read as empty — a year or unit code the officer
    sees, refused as missing. A covered cell whose first cell holds a value is MERGED."""

    # Columns past this hold no import column in any file seen; a range reaching past it
    # is clipped, so that a merge over a whole sheet costs nothing.
    COLUMNS = 64

    def __init__(self, xml: bytes) -> None:
        from openpyxl.utils.cell import range_boundaries

        self.ranges: dict[int, list[tuple[int, int, int, int]]] = {}  # column → ranges
        self.filled: set[tuple[int, int]] = set()  # first cells that hold a value
        if b"<mergeCell" not in xml:
            return
        for match in _MERGE.finditer(xml):
            first_column, first_line, last_column, last_line = range_boundaries(
                f"{match.group(1).decode()}:{match.group(2).decode()}"
            )
            merge = (first_column, first_line, last_column, last_line)
            for column in range(first_column, min(last_column, self.COLUMNS) + 1):  # type: ignore[arg-type, operator]
                self.ranges.setdefault(column, []).append(merge)  # type: ignore[arg-type]
        for ranges in self.ranges.values():
            ranges.sort(key=lambda merge: merge[1])
        self.starts = {column: [m[1] for m in ranges] for column, ranges in self.ranges.items()}

    def read(self, line: int, column: int, value: object) -> object:
        ranges = self.ranges.get(column)
        if not ranges:
            return value
        # Merged cells do not overlap: the one covering this cell is the last that starts
        # at or above it (a file that overlaps them gets no more than one look per cell).
        at = bisect_right(self.starts[column], line) - 1
        if at < 0:
            return value
        first_column, first_line, _last_column, last_line = ranges[at]
        if line > last_line:
            return value
        if (line, column) == (first_line, first_column):
            if value is not None and value != "":
                self.filled.add((line, column))
        elif value is None and (first_line, first_column) in self.filled:
            return MERGED
        return value


def _formulas_without_result(xml: bytes) -> set[tuple[int, int]]:
    """(line, column) of the formula cells that carry no saved result. Excel and LibreOffice
    save each formula's result beside it, and the import reads that result; a workbook
    written by a script often has none, and its cells would read as empty — a value
    silently skipped."""
    if b"<f" not in xml:
        return set()
    from openpyxl.utils import column_index_from_string

    cells = set()
    for match in _CELL.finditer(xml):
        body = match.group(2)
        if _FORMULA.search(body) and not _RESULT.search(body):
            ref = _REF.search(match.group(1))
            if ref:
                cells.add((int(ref.group(2)), column_index_from_string(ref.group(1).decode())))
    return cells
