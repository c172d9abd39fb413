"""Benchmark of the progress recompute (issue: target-vs-actual engine).

    .venv/bin/python bench/recompute.py                 # SQLite, in a throw-away database
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/recompute.py

Builds the synthetic dataset at national scale (every unit version × 200 indicators ×
10 years) and at 10× (2,000 indicators), and prints for each: the full recompute time and
its peak Python memory, one approval's incremental recompute (the median of five), and the
ratio of the full recompute to one bare SQL aggregate pass over the same values, beside the
time of storing the run's rows alone (the same rows stored again as a full run stores them,
with no computation): the floor under any recompute whose figures are stored, as the issue
asks. Reading the inputs and computing the rows are timed alone too, so that the ratio can
be read part by part.
Goals on the 2-core machine: full ≤ 10 s at national scale and ≤ 5× the bare pass, no worse
than linear at 10×; incremental ≤ 200 ms.
"""

import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sxtd.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from bench.synthetic import build  # noqa: E402


def bare_pass() -> float:
    """One SQL aggregate over every approved value: the floor of any recompute."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.province_id, v.indicator_id, COUNT(*), MAX(r.year), SUM(v.value) "
            "FROM reports_reportedvalue v JOIN reports_report r ON r.id = v.report_id "
            "WHERE r.status = 'approved' GROUP BY r.province_id, v.indicator_id"
        )
        cursor.fetchall()
    return time.perf_counter() - started


def storage_floor() -> float:
    """Replacing the stored rows with themselves the way a full run stores its rows, with no
    computation: what any run that stores its figures pays before computing anything
    (rolled back)."""
    from django.db import transaction

    from progress.models import Progress
    from sxtd.bulk import table_replaced

    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE progress_snapshot AS SELECT * FROM progress_progress")
    started = time.perf_counter()
    with transaction.atomic():
        with table_replaced(Progress) as table, connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} SELECT * FROM progress_snapshot")  # noqa: S608
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE progress_snapshot")
    return elapsed


def engine_alone() -> tuple[float, float]:
    """A full run's reading of its inputs and its computation, without storing anything, in
    the run's slices and, as in a run, with the cycle collector paused: (reading, computing)."""
    import gc

    from indicators.models import Indicator
    from progress.compute import compute_rows
    from progress.selectors import progress_inputs
    from progress.services import RUN_SLICE, engine_settings

    ids = list(Indicator.objects.values_list("pk", flat=True))
    reading = computing = 0.0
    gc.disable()
    try:
        for start in range(0, len(ids), RUN_SLICE):
            started = time.perf_counter()
            inputs = progress_inputs(indicator_ids=ids[start : start + RUN_SLICE])
            read = time.perf_counter()
            compute_rows(inputs, engine_settings())
            reading += read - started
            computing += time.perf_counter() - read
    finally:
        gc.enable()
    return reading, computing


def measure(indicators: int) -> dict[str, float]:
    from progress.models import RecomputeRun
    from progress.services import progress_recompute_now, progress_run_execute
    from reports.models import Report

    dataset = build(indicators=indicators)
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)  # warm caches

    started = time.perf_counter()
    run = progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    full = time.perf_counter() - started

    tracemalloc.start()
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    bare = min(bare_pass() for _ in range(3))
    floor = min(storage_floor() for _ in range(2))
    parts = [engine_alone() for _ in range(2)]
    reading, computing = min(p[0] for p in parts), min(p[1] for p in parts)

    report = Report.objects.filter(province__code="06", year=2024).first()
    from progress.services import progress_scope_for_report

    scope = progress_scope_for_report(report=report)
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        progress_run_execute(run=RecomputeRun.objects.create(trigger="approval", **scope))
        timings.append(time.perf_counter() - started)
    incremental = statistics.median(timings)
    return {
        "values": dataset.values,
        "rows": run.rows_written or 0,
        "full_s": full,
        "peak_mb": peak / 2**20,
        "bare_s": bare,
        "floor_s": floor,
        "reading_s": reading,
        "computing_s": computing,
        "incremental_ms": incremental * 1000,
    }


def main() -> None:
    results = {}
    for label, indicators in [("national", 200), ("10x", 2000)]:
        if label == "10x" and "--quick" in sys.argv:
            break
        old = setup_databases(verbosity=0, interactive=False)
        try:
            from reference.services import reference_data_load

            reference_data_load()
            results[label] = measure(indicators)
        finally:
            teardown_databases(old, verbosity=0)
        r = results[label]
        bare = r["bare_s"]
        print(
            f"{label} ({connection.vendor}): {r['values']:,} values -> {r['rows']:,} rows\n"
            f"  full run {r['full_s']:.2f} s, peak {r['peak_mb']:.0f} MB; "
            f"incremental (one approval, median of 5) {r['incremental_ms']:.0f} ms\n"
            f"  bare SQL pass {bare * 1000:.0f} ms; full run = {r['full_s'] / bare:.1f}x it\n"
            f"  each part alone: reading the inputs {r['reading_s']:.2f} s = "
            f"{r['reading_s'] / bare:.1f}x, computing {r['computing_s']:.2f} s = "
            f"{r['computing_s'] / bare:.1f}x, storing the rows {r['floor_s']:.2f} s = "
            f"{r['floor_s'] / bare:.1f}x the bare pass"
        )
    if "national" in results and "10x" in results:
        growth = results["10x"]["full_s"] / results["national"]["full_s"]
        print(f"growth at 10x the values: {growth:.1f}x the time (linear = 10x)")


if __name__ == "__main__":
    main()
