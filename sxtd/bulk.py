"""Writing many rows at once, for the two writes that do: a recompute's progress rows and an
import's values and audit entries. Django's bulk_create spends most of such a write building
model instances and SQL; this sends the rows as they are.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection


def rows_insert(*, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert ``rows`` (values in the order of ``columns``, ready for the database) into
    ``table``: COPY on PostgreSQL, one prepared executemany elsewhere."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",  # noqa: S608 - names from the models
                list(rows),
            )
