"""Recomputing the stored progress figures: scheduling, dispatching and running a run."""

import gc
import logging
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import TypedDict

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from indicators.models import Indicator
from reports.models import Report
from sxtd.bulk import table_replaced

from . import engine
from .compute import compute_rows
from .models import Progress, RecomputeLock, RecomputeRun
from .selectors import progress_inputs
from .writes import progress_rows_insert

logger = logging.getLogger(__name__)

RUN_SLICE = 100
QUEUED_TOO_LONG = timedelta(hours=1)
DEAD_RUN_MARGIN = timedelta(minutes=5)


def engine_settings() -> engine.Settings:
    return engine.Settings(
        approximate_tolerance=settings.PROGRESS_APPROXIMATE_TOLERANCE,
        on_track_ratio=settings.PROGRESS_ON_TRACK_RATIO,
        at_risk_ratio=settings.PROGRESS_AT_RISK_RATIO,
    )


def progress_schedule(
    *,
    trigger: RecomputeRun.Trigger,
    indicator_ids: Collection[int] | None = None,
    province_ids: Collection[int | None] | None = None,
    from_year: int | None = None,
) -> RecomputeRun:
    """Record a pending run and queue it once the caller's transaction commits.

    If the broker cannot take it, the run stays pending and the dispatcher queues it
    when the broker is back: the caller's own work (an approval) is never undone.
    """
    run = RecomputeRun.objects.create(
        trigger=trigger,
        indicator_ids=sorted(indicator_ids) if indicator_ids is not None else None,
        province_ids=list(province_ids) if province_ids is not None else None,
        from_year=from_year,
    )
    transaction.on_commit(lambda: progress_enqueue(run_id=run.pk), robust=True)
    return run


class RunScope(TypedDict):
    indicator_ids: list[int]
    province_ids: list[int | None]
    from_year: int


def progress_scope_for_report(*, report: Report) -> RunScope:
    """What an approved or reopened report affects: its indicators (with their parents, for
    the roll-ups that count provincial forms) for its unit, the unit it merged into, and the
    national roll-ups, from its year on."""
    pairs = report.values.values_list("indicator_id", "indicator__parent_id")
    indicator_ids = sorted({pk for pair in pairs for pk in pair if pk is not None})
    province_ids: list[int | None] = [report.province_id]
    if report.province is not None and report.province.successor_id:
        province_ids.append(report.province.successor_id)
    return {"indicator_ids": indicator_ids, "province_ids": province_ids, "from_year": report.year}


def progress_schedule_for_report(*, report: Report) -> RecomputeRun:
    return progress_schedule(
        trigger=RecomputeRun.Trigger.APPROVAL, **progress_scope_for_report(report=report)
    )


def progress_enqueue(*, run_id: int) -> bool:
    """Hand a run to Celery; False, with the run left pending, when the broker is down."""
    from .tasks import recompute_progress_task  # tasks import this module

    try:
        recompute_progress_task.apply_async(
            args=[run_id], retry=True, retry_policy=settings.PROGRESS_PUBLISH_RETRY_POLICY
        )
    except Exception:  # kombu and redis raise several kinds; all mean "not queued"
        logger.warning(
            "Recompute run %s stays pending: the broker did not take it", run_id, exc_info=True
        )
        return False
    # Only a run still pending: in eager mode, or with a quick worker, it has already run.
    RecomputeRun.objects.filter(pk=run_id, status=RecomputeRun.Status.PENDING).update(
        status=RecomputeRun.Status.QUEUED
    )
    return True


def progress_dispatch_pending() -> int:
    """Queue every run still pending (the broker was down when it was scheduled), runs
    queued long ago that never started: Redis keeps nothing on disk, so a restart loses them;
    and runs whose worker died under them (killed at the hard time limit, or by the system):
    such a run reads "running" for ever, and an approval's figures wait for the nightly run."""
    now = timezone.now()
    # A run still "running" after the hard time limit cannot be: the limit kills its task.
    dead = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) - DEAD_RUN_MARGIN
    RecomputeRun.objects.filter(status=RecomputeRun.Status.RUNNING, started_at__lt=dead).update(
        status=RecomputeRun.Status.PENDING, error="its worker stopped before it finished"
    )
    stale = now - QUEUED_TOO_LONG
    pending = RecomputeRun.objects.filter(
        Q(status=RecomputeRun.Status.PENDING)
        | Q(status=RecomputeRun.Status.QUEUED, created_at__lt=stale)
    ).order_by("pk")
    return sum(progress_enqueue(run_id=run_id) for run_id in pending.values_list("pk", flat=True))


def progress_run_execute(*, run: RecomputeRun) -> RecomputeRun:
    """Run one recompute. Exclusive (a lock row) and atomic: a run that dies leaves the
    previous figures, never a mix; running it twice writes the same rows."""
    if run.status == RecomputeRun.Status.SUCCEEDED:
        return run
    started = time.monotonic()
    run.status = RecomputeRun.Status.RUNNING
    run.started_at = timezone.now()
    run.save(update_fields=["status", "started_at"])
    try:
        with transaction.atomic():
            RecomputeLock.objects.select_for_update().get_or_create(pk=1)
            if run.is_full:
                with table_replaced(Progress) as table:
                    run.rows_written = _write(run, table)
            else:
                run.rows_written = _write(run, Progress._meta.db_table)
            run.status = RecomputeRun.Status.SUCCEEDED
            run.finished_at = timezone.now()
            run.duration_ms = round((time.monotonic() - started) * 1000)
            run.error = ""
            run.save(
                update_fields=["rows_written", "status", "finished_at", "duration_ms", "error"]
            )
    except Exception as error:
        run.status = RecomputeRun.Status.FAILED
        run.finished_at = timezone.now()
        run.duration_ms = round((time.monotonic() - started) * 1000)
        run.error = f"{type(error).__name__}: {error}"
        run.save(update_fields=["status", "finished_at", "duration_ms", "error"])
        raise
    return run


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """A run builds hundreds of thousands of small objects that live until their slice is
    written and form no cycles, which reference counting frees; Python's cycle collector
    kept walking them all the same, two fifths of the computation."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_cycle_collector_paused()
def _write(run: RecomputeRun, table: str) -> int:
    """Compute the run's rows and write them into ``table``; the number of rows."""
    ids = run.indicator_ids or list(Indicator.objects.values_list("pk", flat=True))
    # A full run goes in slices of indicators, so that memory stays flat however many there
    # are; an approval's run is one report's indicators, in one go.
    size = RUN_SLICE if run.is_full else max(len(ids), 1)
    written = 0
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        inputs = progress_inputs(
            indicator_ids=chunk, province_ids=run.province_ids, from_year=run.from_year
        )
        rows = compute_rows(inputs, engine_settings())
        if not run.is_full:
            _stale(run, chunk).delete()
        progress_rows_insert(rows=rows, run_id=run.pk, table=table)
        written += len(rows)
    return written


def _stale(run: RecomputeRun, indicator_ids: list[int]) -> QuerySet[Progress]:
    """Exactly the rows a run of this scope writes again for these indicators."""
    stale = Progress.objects.filter(indicator_id__in=indicator_ids)
    if run.province_ids is not None:
        # The national roll-ups are always recomputed with their indicators.
        rows = Q(province_id__in=[pk for pk in run.province_ids if pk is not None]) | (
            Q(province__isnull=True) & ~Q(origin=Progress.Origin.REPORTED)
        )
        if None in run.province_ids:
            rows |= Q(province__isnull=True)
        stale = stale.filter(rows)
    if run.from_year is not None:
        stale = stale.filter(year__gte=run.from_year)
    return stale


def progress_recompute_now(*, trigger: RecomputeRun.Trigger) -> RecomputeRun:
    """A full recompute in this process (the command and the nightly task)."""
    run = RecomputeRun.objects.create(trigger=trigger, indicator_ids=None)
    return progress_run_execute(run=run)
