"""Recompute runs: recorded, idempotent, incremental, atomic, and safe when Redis is down."""

import importlib
import os
import threading
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import connection, connections
from kombu import pools as kombu_pools

from progress import services
from progress.models import Progress, RecomputeRun
from progress.services import (
    progress_dispatch_pending,
    progress_recompute_now,
    progress_run_execute,
    progress_schedule_for_report,
)
from provinces.selectors import province_for_code_in_year
from reports.models import ReportedValue
from sxtd.celery import app as celery_app

from .progress_builders import approved_value

pytestmark = pytest.mark.django_db


def _table() -> list[tuple]:
    return sorted(
        Progress.objects.values_list(
            "province_id",
            "indicator_id",
            "year",
            "as_of_year",
            "origin",
            "value",
            "ratio",
            "status",
            "pace_ratio",
            "explanation_code",
            "partial",
        ),
        key=repr,
    )


def test_a_run_is_recorded_with_its_timing_and_rows() -> None:
    run = progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    assert run.status == RecomputeRun.Status.SUCCEEDED
    assert run.rows_written == Progress.objects.count() > 0
    assert run.started_at <= run.finished_at
    assert run.duration_ms is not None
    assert set(Progress.objects.values_list("run", flat=True)) == {run.pk}


def test_running_twice_writes_the_same_rows() -> None:
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    first = _table()
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    assert _table() == first


def _bac_kan_ocop_approved(capture) -> tuple[ReportedValue, RecomputeRun]:  # type: ignore[no-untyped-def]
    """Bắc Kạn's 2024 OCOP figure approved, and the run that approval scheduled, run."""
    value = approved_value(
        province_for_code_in_year(code="06", year=2024), "BK-OCOP-3S", 2024, "195"
    )
    with capture(execute=True):
        run = progress_schedule_for_report(report=value.report)
    run.refresh_from_db()
    return value, run


def test_an_approval_recomputes_only_the_indicators_of_its_report(
    django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    before = dict(Progress.objects.values_list("pk", "indicator__code"))
    # The old Thái Nguyên's own 2024 OCOP figure, already approved: with Bắc Kạn's, the new
    # Thái Nguyên's former units have one to combine.
    approved_value(province_for_code_in_year(code="19", year=2024), "BK-OCOP-3S", 2024, "5")

    value, run = _bac_kan_ocop_approved(django_capture_on_commit_callbacks)

    assert run.status == RecomputeRun.Status.SUCCEEDED
    assert run.indicator_ids == [value.indicator_id]
    bac_kan = value.report.province
    assert run.province_ids == [bac_kan.pk, bac_kan.successor_id]
    after = dict(Progress.objects.values_list("pk", "indicator__code"))
    untouched = {pk for pk, code in before.items() if code != "BK-OCOP-3S"}
    assert untouched <= set(after)
    # The new Thái Nguyên's combined history follows the new Bắc Kạn figure.
    merged = Progress.objects.get(
        indicator__code="BK-OCOP-3S", year=2024, province=bac_kan.successor, origin="predecessors"
    )
    assert (merged.value, merged.partial) == (Decimal("200"), False)
    figure = Progress.objects.get(indicator__code="BK-OCOP-3S", year=2024, origin="reported")
    assert (figure.value, figure.ratio) == (Decimal("195"), Decimal("0.975"))
    assert figure.run_id == run.pk


def test_an_incremental_run_rewrites_what_a_full_run_would(
    django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    hanoi = province_for_code_in_year(code="01", year=2024)
    value = approved_value(hanoi, "SCP-05", 2024, "4")
    approved_value(province_for_code_in_year(code="06", year=2024), "SCP-05", 2024, "2")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    value.value = Decimal("6")
    value.save()
    with django_capture_on_commit_callbacks(execute=True):
        progress_schedule_for_report(report=value.report)
    incremental = _table()
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    assert _table() == incremental
    total = Progress.objects.get(indicator__code="SCP-05", year=2024, origin="sum")
    assert total.value == Decimal("8")


def test_an_approval_counts_the_other_units_provincial_forms_as_a_full_run_does(
    django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """SCP-06's share of provinces counts Hà Nội through its districts' form (SCP-06-HUYEN):
    approving Bắc Kạn's SCP-06 must not drop Hà Nội from the count."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    approved_value(province_for_code_in_year(code="01", year=2024), "SCP-06-HUYEN", 2024, "80")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    value = approved_value(province_for_code_in_year(code="06", year=2024), "SCP-06", 2024, "100")

    with django_capture_on_commit_callbacks(execute=True):
        progress_schedule_for_report(report=value.report)

    share = Progress.objects.get(indicator__code="SCP-06", year=2024, origin="share_of_units")
    assert (share.numerator, share.denominator) == (Decimal(2), Decimal(63))
    incremental = _table()
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    assert _table() == incremental


def test_an_approval_recomputes_from_its_year_and_leaves_earlier_figures(
    django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    hanoi = province_for_code_in_year(code="01", year=2022)
    approved_value(hanoi, "SCP-05", 2021, "1")
    value = approved_value(hanoi, "SCP-05", 2022, "2")
    approved_value(hanoi, "SCP-05", 2023, "3")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    earlier = Progress.objects.filter(year__lt=2022)
    kept = dict(earlier.values_list("pk", "run"))
    value.value = Decimal("5")
    value.save()

    with django_capture_on_commit_callbacks(execute=True):
        run = progress_schedule_for_report(report=value.report)

    run.refresh_from_db()
    assert (run.status, run.from_year) == (RecomputeRun.Status.SUCCEEDED, 2022)
    # A 2021 figure rests on 2021's values and earlier ones only: not rewritten.
    assert dict(earlier.values_list("pk", "run")) == kept
    rewritten = Progress.objects.filter(run=run)
    assert rewritten.filter(year=2023, province=hanoi, indicator__code="SCP-05").exists()
    assert not rewritten.filter(year__lt=2022).exists()
    assert _figure_value("SCP-05", 2022, "sum") == Decimal("5")
    incremental = _table()
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    assert _table() == incremental


def _figure_value(code: str, year: int, origin: str) -> Decimal | None:
    return Progress.objects.get(indicator__code=code, year=year, origin=origin).value


def test_a_run_that_dies_leaves_the_previous_figures(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    before = _table()

    def crash(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("worker killed")

    monkeypatch.setattr("progress.services.progress_rows_insert", crash)
    run = RecomputeRun.objects.create(trigger=RecomputeRun.Trigger.NIGHTLY)
    with pytest.raises(RuntimeError):
        progress_run_execute(run=run)
    run.refresh_from_db()
    assert run.status == RecomputeRun.Status.FAILED
    assert "worker killed" in run.error
    assert _table() == before


def test_a_run_past_the_workers_soft_time_limit_is_recorded_as_failed(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """CELERY_TASK_SOFT_TIME_LIMIT interrupts the task inside the run: it is recorded, the
    previous figures stay, and the lock is free for the next run."""
    before = _table()

    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr("progress.services.progress_rows_insert", interrupted)
    run = RecomputeRun.objects.create(trigger=RecomputeRun.Trigger.NIGHTLY)
    with pytest.raises(SoftTimeLimitExceeded):
        progress_run_execute(run=run)
    run.refresh_from_db()
    assert run.status == RecomputeRun.Status.FAILED
    assert run.error.startswith("SoftTimeLimitExceeded")
    assert run.finished_at is not None
    assert _table() == before
    monkeypatch.undo()
    assert progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND).status == (
        RecomputeRun.Status.SUCCEEDED
    )


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a full run replaces the table on PostgreSQL only"
)


def _schema() -> dict[str, tuple]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Progress._meta.db_table)
    return {
        name: (tuple(c["columns"]), c["primary_key"], c["unique"], c["index"], c["check"])
        for name, c in found.items()
    }


@needs_postgresql
def test_a_full_run_keeps_the_tables_indexes_and_never_reuses_an_id(
    django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    schema = _schema()
    old_ids = set(Progress.objects.values_list("pk", flat=True))
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    # Same names, so that later migrations find what they alter.
    assert _schema() == schema
    new_ids = set(Progress.objects.values_list("pk", flat=True))
    assert min(new_ids) > max(old_ids)
    # And the table takes an approval's rows after it.
    _, run = _bac_kan_ocop_approved(django_capture_on_commit_callbacks)
    assert run.status == RecomputeRun.Status.SUCCEEDED
    assert Progress.objects.filter(run=run).count() == run.rows_written > 0


@needs_postgresql
def test_a_full_run_keeps_what_other_roles_may_do_with_the_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DO $$ BEGIN CREATE ROLE sxtd_report_reader NOLOGIN; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
        cursor.execute("GRANT SELECT ON progress_progress TO sxtd_report_reader")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT has_table_privilege('sxtd_report_reader', 'progress_progress', 'SELECT'), "
            "has_table_privilege('sxtd_report_reader', 'progress_progress', 'DELETE')"
        )
        assert cursor.fetchone() == (True, False)


def _columns_with_statistics() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT attname FROM pg_stats WHERE tablename = 'progress_progress'")
        return {column for (column,) in cursor.fetchall()}


@needs_postgresql
def test_a_full_run_gathers_no_statistics_of_the_json_columns() -> None:
    """They are never searched, and sampling them was most of a full run's ANALYZE: the
    setting must survive the table being replaced, run after run."""
    for _ in range(2):
        progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
        gathered = _columns_with_statistics()
        assert {"indicator_id", "year", "status"} <= gathered
        assert not gathered & {"required_path", "missing_unit_ids", "explanation_values", "sources"}


@needs_postgresql
def test_a_run_that_dies_while_indexing_its_table_leaves_the_previous_one(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    before, schema = _table(), _schema()

    def crash(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("worker killed")

    monkeypatch.setattr("sxtd.bulk._copy_indexes", crash)
    with pytest.raises(RuntimeError):
        progress_recompute_now(trigger=RecomputeRun.Trigger.NIGHTLY)
    assert (_table(), _schema()) == (before, schema)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_full_run_gives_up_rather_than_keep_readers_waiting(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.db import transaction

    from reference.services import reference_data_load

    reference_data_load()
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    before = _table()
    monkeypatch.setattr("sxtd.bulk.SWAP_LOCK_TIMEOUT", "300ms")
    reading, done = threading.Event(), threading.Event()

    def long_reader() -> None:
        # Someone's SQL session: a transaction that read the figures and stays open.
        try:
            with transaction.atomic():
                list(Progress.objects.all()[:1])
                reading.set()
                done.wait(timeout=30)
        finally:
            connections.close_all()

    reader = threading.Thread(target=long_reader)
    reader.start()
    try:
        assert reading.wait(timeout=10)
        with pytest.raises(Exception, match="lock timeout"):
            progress_recompute_now(trigger=RecomputeRun.Trigger.NIGHTLY)
    finally:
        done.set()
        reader.join(timeout=30)
    run = RecomputeRun.objects.latest("pk")
    assert run.status == RecomputeRun.Status.FAILED
    assert "lock timeout" in run.error
    assert _table() == before
    # Once the reader is gone, the next run goes through.
    assert progress_recompute_now(trigger=RecomputeRun.Trigger.NIGHTLY).status == "succeeded"


def _fresh_broker_pools() -> None:
    """Drop Celery's cached connections so that the next send uses the current broker_url."""
    celery_app.pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    kombu_pools.reset()


@pytest.fixture
def broker_down(monkeypatch):  # type: ignore[no-untyped-def]
    """A Redis broker on a port where nothing listens: every send is refused."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    _fresh_broker_pools()
    yield
    monkeypatch.undo()
    _fresh_broker_pools()


def test_with_redis_down_the_approval_succeeds_and_the_run_waits(
    django_capture_on_commit_callbacks, broker_down, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    value = approved_value(province_for_code_in_year(code="06", year=2024), "BK-OCOP-5S", 2024, "2")

    with django_capture_on_commit_callbacks(execute=True):
        run = progress_schedule_for_report(report=value.report)

    run.refresh_from_db()
    assert run.status == RecomputeRun.Status.PENDING
    assert not Progress.objects.filter(indicator__code="BK-OCOP-5S", year=2024).exists()

    # Redis is back: the dispatcher picks the pending run up and nothing is lost (the
    # task runs in this process, as with no worker it would otherwise only be queued).
    monkeypatch.undo()
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    _fresh_broker_pools()
    assert progress_dispatch_pending() == 1
    run.refresh_from_db()
    assert run.status == RecomputeRun.Status.SUCCEEDED
    figure = Progress.objects.get(indicator__code="BK-OCOP-5S", year=2024, origin="reported")
    assert figure.achieved is True


def test_the_enqueue_reports_failure_instead_of_raising(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("redis down")

    monkeypatch.setattr("progress.tasks.recompute_progress_task.apply_async", refuse)
    run = RecomputeRun.objects.create(trigger=RecomputeRun.Trigger.APPROVAL)
    assert services.progress_enqueue(run_id=run.pk) is False


needs_server_database = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="needs a database that other threads can reach"
)


@needs_server_database
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_neither_duplicate_nor_interleave() -> None:
    from reference.services import reference_data_load

    reference_data_load()
    runs = [RecomputeRun.objects.create(trigger=RecomputeRun.Trigger.COMMAND) for _ in range(2)]
    errors: list[BaseException] = []

    def execute(run: RecomputeRun) -> None:
        try:
            progress_run_execute(run=run)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=execute, args=(run,)) for run in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    statuses = set(
        RecomputeRun.objects.filter(pk__in=[r.pk for r in runs]).values_list("status", flat=True)
    )
    assert statuses == {RecomputeRun.Status.SUCCEEDED}
    # All rows come from one run: the second replaced the first's whole set.
    assert Progress.objects.values("run").distinct().count() == 1


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI's second run)")
@needs_server_database
@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_recomputes_after_an_approval() -> None:
    from celery.contrib.testing.worker import start_worker
    from django.db import transaction

    from reference.services import reference_data_load

    reference_data_load()
    celery_app.control.purge()
    value = approved_value(
        province_for_code_in_year(code="06", year=2024), "BK-OCOP-3S", 2024, "199"
    )
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        with transaction.atomic():
            run = progress_schedule_for_report(report=value.report)
        for _ in range(200):
            run.refresh_from_db()
            if run.status in {RecomputeRun.Status.SUCCEEDED, RecomputeRun.Status.FAILED}:
                break
            threading.Event().wait(0.1)
    assert run.status == RecomputeRun.Status.SUCCEEDED, run.error
    figure = Progress.objects.get(indicator__code="BK-OCOP-3S", year=2024, origin="reported")
    assert figure.value == Decimal("199")


def test_a_queued_run_that_never_started_is_queued_again(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    fresh = RecomputeRun.objects.create(trigger=RecomputeRun.Trigger.APPROVAL, status="queued")
    lost = RecomputeRun.objects.create(trigger=RecomputeRun.Trigger.APPROVAL, status="queued")
    RecomputeRun.objects.filter(pk=lost.pk).update(
        created_at=lost.created_at - services.QUEUED_TOO_LONG * 2
    )
    assert progress_dispatch_pending() == 1
    fresh.refresh_from_db()
    lost.refresh_from_db()
    assert (fresh.status, lost.status) == ("queued", "succeeded")


def test_a_run_whose_worker_died_under_it_is_run_again(monkeypatch, settings) -> None:  # type: ignore[no-untyped-def]
    """A worker killed at the hard time limit (or by the system) records nothing: its run
    read "running" for ever, and the approval's figures waited for the nightly run."""
    from django.utils import timezone

    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    value = approved_value(province_for_code_in_year(code="06", year=2024), "BK-OCOP-5S", 2024, "2")
    scope = services.progress_scope_for_report(report=value.report)
    started = (
        timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) - timedelta(hours=1)
    )
    dead = RecomputeRun.objects.create(
        trigger=RecomputeRun.Trigger.APPROVAL, status="running", started_at=started, **scope
    )
    working = RecomputeRun.objects.create(
        trigger=RecomputeRun.Trigger.APPROVAL, status="running", started_at=timezone.now()
    )

    assert progress_dispatch_pending() == 1
    dead.refresh_from_db()
    working.refresh_from_db()
    assert (dead.status, dead.error, working.status) == ("succeeded", "", "running")
    assert Progress.objects.filter(indicator__code="BK-OCOP-5S", year=2024).exists()


def _migration() -> Any:
    return importlib.import_module("progress.migrations.0009_progress_missing_unit_ids")


def _partial_shares() -> Any:
    """The national shares of 2024 and 2025 with Hà Nội alone: partial rows."""
    for year in [2024, 2025]:
        approved_value(province_for_code_in_year(code="01", year=year), "SCP-06-HUYEN", year, "80")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    return Progress.objects.filter(partial=True, origin="share_of_units", year__in=[2024, 2025])


def test_upgrading_turns_the_stored_names_of_missing_units_into_their_ids() -> None:
    """Rows stored before the upgrade named the missing units; the migration gives each its
    unit's id, read as the exports read the names until then (the unit of that name in force
    on 31 December of the row's year: "Tuyên Quang" is 08 in 2024 and 08 from 1/7/2025 in
    2025), so that the exports say the same until the next recompute rewrites the rows."""
    from django.apps import apps

    old = province_for_code_in_year(code="08", year=2024)
    new = province_for_code_in_year(code="08", year=2025)
    assert old.name == new.name == "Tuyên Quang" and old.pk != new.pk
    share = _partial_shares()
    assert share.count() == 2
    Progress.objects.filter(partial=True).update(missing_unit_ids=[])
    share.filter(year=2024).update(missing_unit_ids=["Tuyên Quang"])
    share.filter(year=2025).update(missing_unit_ids=["Tuyên Quang", "Hà Nội"])
    runs = RecomputeRun.objects.count()
    _migration().names_to_ids(apps, None)
    stored = dict(share.values_list("year", "missing_unit_ids"))
    hanoi = province_for_code_in_year(code="01", year=2025)
    assert (stored[2024], stored[2025]) == ([old.pk], [new.pk, hanoi.pk])
    assert RecomputeRun.objects.count() == runs
    # And back, for a downgrade.
    _migration().ids_to_names(apps, None)
    stored = dict(share.values_list("year", "missing_unit_ids"))
    assert (stored[2024], stored[2025]) == (["Tuyên Quang"], ["Tuyên Quang", "Hà Nội"])


def test_upgrading_a_row_naming_a_unit_renamed_since_schedules_a_full_recompute() -> None:
    """A name no unit in force that year bears any longer cannot be given an id: the row
    loses it until a recompute rewrites it, and one is recorded as pending for the
    dispatcher, not left to the nightly run."""
    from django.apps import apps

    row = _partial_shares().get(year=2025)
    Progress.objects.filter(pk=row.pk).update(missing_unit_ids=["Tuyên Quang", "Hà Tây"])
    _migration().names_to_ids(apps, None)
    row.refresh_from_db()
    assert row.missing_unit_ids == [province_for_code_in_year(code="08", year=row.year).pk]
    pending = RecomputeRun.objects.get(status=RecomputeRun.Status.PENDING)
    assert pending.is_full
