"""Writing a run's rows in bulk: the progress table is rewritten by every full run, and at
national scale Django's bulk_create spends most of a run building model instances."""

from collections.abc import Iterable, Sequence
from typing import Any

import orjson

from sxtd.bulk import rows_insert

from .compute import ProgressRow
from .models import Progress

JSON_COLUMNS = {"required_path", "missing_unit_ids", "explanation_values", "sources"}
ROW_COLUMNS = list(ProgressRow._fields)


def _db_column(name: str) -> str:
    field = Progress._meta.get_field(name)
    return field.column  # type: ignore[union-attr]


def _encode(value: Any) -> str:
    # orjson, not json: encoding four JSON columns was a fifth of a full run with the
    # standard library. It writes UTF-8 as it is, as ensure_ascii=False did.
    if not value:
        return "[]" if isinstance(value, list) else "{}"
    return orjson.dumps(value, default=str, option=orjson.OPT_NON_STR_KEYS).decode()


def _tuples(rows: Iterable[ProgressRow], run_id: int) -> Iterable[Sequence[Any]]:
    json_positions = [i for i, name in enumerate(ROW_COLUMNS) if name in JSON_COLUMNS]
    for row in rows:
        values = list(row)
        for i in json_positions:
            values[i] = _encode(values[i])
        values.append(run_id)
        yield values


def progress_rows_insert(*, rows: list[ProgressRow], run_id: int, table: str) -> None:
    columns = [_db_column(name if not name.endswith("_id") else name[:-3]) for name in ROW_COLUMNS]
    columns.append(_db_column("run"))
    rows_insert(table=table, columns=columns, rows=_tuples(rows, run_id))
