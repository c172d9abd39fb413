from celery import shared_task

from .models import RecomputeRun
from .services import progress_dispatch_pending, progress_recompute_now, progress_run_execute


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def recompute_progress_task(run_id: int) -> int | None:
    run = RecomputeRun.objects.get(pk=run_id)
    return progress_run_execute(run=run).rows_written


@shared_task
def recompute_progress_nightly() -> int | None:
    return progress_recompute_now(trigger=RecomputeRun.Trigger.NIGHTLY).rows_written


@shared_task
def dispatch_pending_recomputes() -> int:
    return progress_dispatch_pending()
