from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from progress.models import RecomputeRun
from progress.services import progress_schedule
from reference.errors import ReferenceDataError
from reference.services import DATA_DIR, reference_data_load


class Command(BaseCommand):
    help = "Load the programme's reference data (units, documents, indicators, targets, results)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DATA_DIR,
            help="Folder with admin_units.csv, documents.csv, indicators.csv, targets.csv, "
            "results.csv (default: the data shipped with the project).",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Also bring rows already loaded to the files, when a release corrects them; "
            "reports sent, reviewed or changed in the app are left as they are. Without it, "
            "only missing rows are added.",
        )

    def handle(self, *args: object, data_dir: Path, update: bool, **options: object) -> None:
        try:
            summary = reference_data_load(directory=data_dir, update=update)
        except ReferenceDataError as error:
            raise CommandError(
                _("The reference data was not loaded; nothing was written.") + "\n" + str(error)
            ) from error
        for model, counts in summary.counts.items():
            line = _("%(table)s: %(created)d new, %(updated)d updated, %(unchanged)d unchanged") % {
                "table": capfirst(model._meta.verbose_name_plural),
                "created": counts.created,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
            }
            if counts.kept:
                line += _(", %(kept)d kept as changed in the app") % {"kept": counts.kept}
            self.stdout.write(line)
        if any(counts.kept for counts in summary.counts.values()) and not update:
            self.stdout.write(
                _(
                    "Rows kept as changed in the app differ from the shipped files; "
                    "--update brings them to the files, except reports sent or reviewed."
                )
            )
        if summary.changed:
            # New figures or targets: the stored progress must follow.
            progress_schedule(trigger=RecomputeRun.Trigger.REFERENCE_DATA)
            self.stdout.write(self.style.SUCCESS(_("Reference data loaded.")))
        else:
            self.stdout.write(
                self.style.SUCCESS(_("Reference data already up to date: nothing changed."))
            )
