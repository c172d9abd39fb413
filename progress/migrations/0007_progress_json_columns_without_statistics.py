"""The progress table's JSON columns are read with their rows, never searched: the planner
needs no statistics of them, and gathering them was most of the ANALYZE that ends every
full recompute (300 of 450 ms at national scale). PostgreSQL only: SQLite has no such
setting."""

from django.db import migrations

JSON_COLUMNS = ["required_path", "missing", "explanation_values", "sources"]


def _set_statistics(schema_editor, target: int) -> None:  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    columns = ", ".join(
        f"ALTER COLUMN {quote(column)} SET STATISTICS {target}" for column in JSON_COLUMNS
    )
    schema_editor.execute(f"ALTER TABLE {quote('progress_progress')} {columns}")


def without_statistics(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    _set_statistics(schema_editor, 0)


def with_statistics(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    _set_statistics(schema_editor, -1)


class Migration(migrations.Migration):
    dependencies = [("progress", "0006_run_from_year")]

    operations = [migrations.RunPython(without_statistics, with_statistics)]
