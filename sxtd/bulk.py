"""Writing many rows at once, for the two writes that do: a recompute's progress rows and an
import's values and audit entries. Django's bulk_create spends most of such a write building
model instances and SQL; this sends the rows as they are. A full recompute also replaces
its table whole (``table_replaced``).
"""

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models

SWAP_LOCK_TIMEOUT = "10s"

# pg_get_indexdef's "CREATE [UNIQUE] INDEX name ON schema.table USING ...".
_INDEX_HEAD = re.compile(r"^(CREATE (?:UNIQUE )?INDEX )\S+ ON \S+ ")


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


@contextmanager
def table_replaced(model: type[models.Model]) -> Iterator[str]:
    """Replace every row of ``model``'s table within the caller's transaction: yields the
    name of the table to fill with the new rows.

    On PostgreSQL the rows go into a fresh table without indexes, which gets the old table's
    indexes and constraints, under their names, once it is full, and then takes its place.
    Deleting every row and inserting the new ones through the indexes grows faster than the
    number of rows; this does not, and readers keep the old rows until the commit. Other
    roles' privileges and the columns' statistics targets are carried over; triggers and
    row security are not (our tables have none). Elsewhere the old rows are deleted and the new ones go into the same table.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("a table is replaced inside a transaction, or not at all")
    table = model._meta.db_table
    if connection.vendor != "postgresql":
        model._default_manager.all().delete()
        yield table
        return
    quote = connection.ops.quote_name
    fresh = f"{table[:50]}_replacement"
    pk = model._meta.pk.column  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {quote(fresh)} (LIKE {quote(table)} INCLUDING ALL EXCLUDING INDEXES)"
        )
        # Ids carry on from the old table's, so that no id is ever given to two rows.
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))", [table, pk])
        (next_id,) = cursor.fetchone()
        cursor.execute(
            f"ALTER TABLE {quote(fresh)} ALTER COLUMN {quote(pk)} RESTART WITH {next_id}"
        )
    yield fresh
    with connection.cursor() as cursor:
        constraints, indexes = _copy_indexes(cursor, table, fresh)
        _copy_grants(cursor, table, fresh)
        _copy_statistics_targets(cursor, table, fresh)
        cursor.execute(f"ANALYZE {quote(fresh)}")
        # Only from here do readers wait, for a few renames. The drop waits for the queries
        # already reading the old table, and new readers queue behind it: should one of them
        # last (an open transaction in someone's SQL session), the replacement gives up and
        # the old rows stay, rather than every page waiting with it.
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [SWAP_LOCK_TIMEOUT])
        cursor.execute(f"DROP TABLE {quote(table)}")
        cursor.execute(f"ALTER TABLE {quote(fresh)} RENAME TO {quote(table)}")
        for provisional, name in constraints:
            cursor.execute(
                f"ALTER TABLE {quote(table)} RENAME CONSTRAINT {quote(provisional)} TO {quote(name)}"
            )
        for provisional, name in indexes:
            cursor.execute(f"ALTER INDEX {quote(provisional)} RENAME TO {quote(name)}")
        # The identity's sequence was named after the fresh table; give it the usual name.
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk])
        (sequence,) = cursor.fetchone()
        cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {quote(f'{table}_{pk}_seq')}")


Renames = list[tuple[str, str]]


def _copy_indexes(cursor: Any, table: str, fresh: str) -> tuple[Renames, Renames]:
    """Give ``fresh`` the constraints and indexes of ``table`` under provisional names (the
    old ones are taken until ``table`` is dropped), and return (provisional, name) pairs for
    each."""
    quote = connection.ops.quote_name
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'x') ORDER BY conname",
        [table],
    )
    constraints = []
    for n, (name, definition) in enumerate(cursor.fetchall()):
        provisional = f"{fresh}_c{n}"
        cursor.execute(
            f"ALTER TABLE {quote(fresh)} ADD CONSTRAINT {quote(provisional)} {definition}"
        )
        constraints.append((provisional, name))
    cursor.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k "
        "WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid) ORDER BY c.relname",
        [table],
    )
    indexes = []
    for n, (name, definition) in enumerate(cursor.fetchall()):
        head = _INDEX_HEAD.match(definition)
        if head is None:
            raise ValueError(f"unexpected index definition: {definition}")
        provisional = f"{fresh}_i{n}"
        rest = definition[head.end() :]
        cursor.execute(f"{head.group(1)}{quote(provisional)} ON {quote(fresh)} {rest}")
        indexes.append((provisional, name))
    return constraints, indexes


def _copy_grants(cursor: Any, table: str, fresh: str) -> None:
    """What other roles may do with ``table`` (a reporting tool's read-only role), which a
    new table does not inherit."""
    quote = connection.ops.quote_name
    cursor.execute(
        "SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END, "
        "a.privilege_type, a.is_grantable "
        "FROM pg_class c, aclexplode(c.relacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee "
        "WHERE c.oid = %s::regclass AND a.grantee <> c.relowner",
        [table],
    )
    for grantee, privilege, grantable in cursor.fetchall():
        option = " WITH GRANT OPTION" if grantable else ""
        cursor.execute(f"GRANT {privilege} ON {quote(fresh)} TO {grantee}{option}")


def _copy_statistics_targets(cursor: Any, table: str, fresh: str) -> None:
    """The columns' own statistics targets, which ``LIKE`` does not copy: the progress
    table's JSON columns have none (migration progress 0007), and sampling them was most of
    the ANALYZE that a full run ends with."""
    quote = connection.ops.quote_name
    # attstattarget is -1 for the default before PostgreSQL 17, NULL from 17.
    cursor.execute(
        "SELECT attname, attstattarget FROM pg_attribute WHERE attrelid = %s::regclass "
        "AND attnum > 0 AND NOT attisdropped AND attstattarget >= 0",
        [table],
    )
    for column, target in cursor.fetchall():
        cursor.execute(
            f"ALTER TABLE {quote(fresh)} ALTER COLUMN {quote(column)} SET STATISTICS {int(target)}"
        )
