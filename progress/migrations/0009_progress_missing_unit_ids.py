"""The units a roll-up lacks are stored by id, not by name: a name can stand for two units
across the merger ("Lào Cai" in 2024 and in 2025).

The stored rows are converted in place, so that the exports and the API give the same
units between the upgrade and the next recompute (which rewrites every row: ``make run``
recomputes on start, a deployment every night): each name is the unit of that name in
force on 31 December of the row's year, as the exports read the names until now. A name
that no unit in force then bears (a unit renamed since the row was computed) cannot be
converted: it is left out, and a full recompute is recorded as pending, which the
dispatcher queues within the minute wherever Celery beat runs."""

from datetime import date

from django.db import migrations

BATCH = 2000


def _label(unit) -> str:  # type: ignore[no-untyped-def]
    # The name a computation gave a unit (``progress.inputs.Unit.label``).
    return unit.name or unit.code


def _rewrite(apps, convert) -> None:  # type: ignore[no-untyped-def]
    """Each stored list of missing units through ``convert(row)``, a batch at a time."""
    Progress = apps.get_model("progress", "Progress")
    # Only a partial row names units.
    rows = Progress.objects.filter(partial=True).only("pk", "year", "missing_unit_ids")
    changed = []
    for row in rows.iterator(BATCH):
        if row.missing_unit_ids:
            row.missing_unit_ids = convert(row)
            changed.append(row)
        if len(changed) == BATCH:
            Progress.objects.bulk_update(changed, ["missing_unit_ids"])
            changed = []
    Progress.objects.bulk_update(changed, ["missing_unit_ids"])


def names_to_ids(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    Province = apps.get_model("provinces", "Province")
    by_label: dict[str, list] = {}
    for unit in Province.objects.all():
        by_label.setdefault(_label(unit), []).append(unit)
    unplaced = []

    def unit_id(name: str, year: int) -> int | None:
        day = date(year, 12, 31)
        for unit in by_label.get(name, []):
            if (unit.valid_from is None or unit.valid_from <= day) and (
                unit.valid_to is None or day <= unit.valid_to
            ):
                return unit.pk
        unplaced.append(name)
        return None

    def ids(row) -> list[int]:  # type: ignore[no-untyped-def]
        found = [unit_id(name, row.year) for name in row.missing_unit_ids]
        return [pk for pk in found if pk is not None]

    _rewrite(apps, ids)
    if unplaced:
        RecomputeRun = apps.get_model("progress", "RecomputeRun")
        RecomputeRun.objects.create(trigger="command", indicator_ids=None)


def ids_to_names(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    Province = apps.get_model("provinces", "Province")
    labels = {unit.pk: _label(unit) for unit in Province.objects.all()}
    _rewrite(apps, lambda row: [labels[pk] for pk in row.missing_unit_ids if pk in labels])


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0008_status_not_enough_data"),
        ("provinces", "0001_initial"),
    ]

    operations = [
        # A renamed column keeps its statistics target (0007).
        migrations.RenameField("progress", "missing", "missing_unit_ids"),
        migrations.RunPython(names_to_ids, ids_to_names),
    ]
