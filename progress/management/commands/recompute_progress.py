from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from progress.models import RecomputeRun
from progress.services import progress_recompute_now


class Command(BaseCommand):
    help = "Recompute every stored progress figure now, in this process."

    def handle(self, *args: object, **options: object) -> None:
        run = progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
        self.stdout.write(
            self.style.SUCCESS(
                _("Progress recomputed: %(rows)d figures in %(ms)d ms (run #%(run)d).")
                % {"rows": run.rows_written or 0, "ms": run.duration_ms or 0, "run": run.pk}
            )
        )
