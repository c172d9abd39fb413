"""Reading the reference CSV files into typed rows, one cell at a time.

Every reader raises ``CellError`` with a reason; the file reader turns it into a
``RowError`` that names the file, line and column.
"""

import csv
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .errors import ReferenceDataError, RowError


class CellError(ValueError):
    pass


def text(value: str) -> str:
    return value.strip()


def required(value: str) -> str:
    value = value.strip()
    if not value:
        raise CellError(_("a value is required"))
    return value


def optional_date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CellError(
            _("%(value)r is not a date in the form YYYY-MM-DD") % {"value": value}
        ) from None


def required_date(value: str) -> date:
    parsed = optional_date(value)
    if parsed is None:
        raise CellError(_("a date is required"))
    return parsed


def year(value: str) -> int:
    value = value.strip()
    if not value.isdigit() or not 1900 <= int(value) <= 2100:
        raise CellError(_("%(value)r is not a year") % {"value": value})
    return int(value)


def optional_decimal(value: str) -> Decimal | None:
    value = value.strip()
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise CellError(_("%(value)r is not a number") % {"value": value}) from None
    if not number.is_finite():
        raise CellError(_("%(value)r is not a number") % {"value": value})
    return number


def yes_no(value: str) -> bool:
    value = value.strip().lower()
    if value in {"yes", "no"}:
        return value == "yes"
    raise CellError(_("%(value)r must be yes or no") % {"value": value})


def unit_code(value: str) -> str:
    value = value.strip()
    if value and not (len(value) == 2 and value.isdigit()):
        raise CellError(_("%(value)r is not a two-digit unit code") % {"value": value})
    return value


def choice(options: list[str], *, blank: bool = False) -> Callable[[str], str]:
    def read(value: str) -> str:
        value = value.strip()
        if (blank and not value) or value in options:
            return value
        raise CellError(
            _("%(value)r is not one of: %(options)s")
            % {"value": value, "options": ", ".join(options)}
        )

    return read


Schema = dict[str, Callable[[str], Any]]


def read_rows(
    path: Path, schema: Schema, errors: list[RowError]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line, typed row) for each row whose cells all parse; record the others in errors."""
    name = path.name
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in schema if column not in (reader.fieldnames or [])]
        if missing:
            errors.append(
                RowError(name, 1, ", ".join(missing), _("column missing from the header"))
            )
            return
        for raw in reader:
            line = reader.line_num
            row: dict[str, Any] = {}
            for column, read in schema.items():
                try:
                    row[column] = read(raw[column] or "")
                except CellError as error:
                    errors.append(RowError(name, line, column, str(error)))
            if len(row) == len(schema):
                yield line, row


def raise_if_any(errors: list[RowError]) -> None:
    if errors:
        raise ReferenceDataError(errors)
