"""Benchmark of the CSV export (issue 6: analysts' exports).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/apibench .venv/bin/python bench/export.py

Creates its own database (``test_<name>``, dropped at the end), loads the reference data,
builds the synthetic dataset at national scale (every unit version × 333 indicators × 10
years ≈ 200,000 reported values), recomputes progress, then exports the values to CSV
through the real code path (the export view, its selectors and the streaming writer, read
to the end as a client would) at two sizes: the years 2016–2020 (about half) and all.
For each it prints the time, the rows per second and the peak Python memory (tracemalloc;
constant in the row count when the export streams), then the process's peak RSS, and the
ratio of the export's time to a bare ``COPY (…) TO STDOUT`` of the same rows and columns
on PostgreSQL (psycopg 3 ``cursor.copy``).
"""

import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sxtd.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from bench.synthetic import build  # noqa: E402

INDICATORS = 333  # × 601 unit-years (63 × 9 + 34) ≈ 200,000 values

# The same rows and columns as exports.tidy.value_rows, as one SQL statement.
COPY_SQL = """
COPY (
  SELECT COALESCE(u.code, 'VN'), COALESCE(u.name, 'Toàn quốc'), u.valid_from, u.valid_to,
         i.code, i.unit, r.year, 'reported', r.status,
         d.number, t.year, t.comparator, t.low, t.high, t.approximate,
         v.value, v.qualifier, v.numerator, v.denominator,
         p.ratio, NULLIF(NULLIF(p.bound, ''), 'exact'), p.achieved, p.status, p.as_of_year,
         NULLIF(p.explanation_code, ''), p.pace_ratio,
         p.explanation_values ->> 'pace_bound', p.projection,
         p.explanation_values ->> 'projection_bound', p.partial,
         NULLIF(array_to_string(ARRAY(
           SELECT m.name FROM jsonb_array_elements_text(p.missing_unit_ids::jsonb)
                  WITH ORDINALITY AS e(id, n)
           JOIN provinces_province m ON m.id = e.id::int ORDER BY e.n), '; '), ''),
         NULLIF(array_to_string(ARRAY(
           SELECT m.code || COALESCE('@' || m.valid_from, '')
           FROM jsonb_array_elements_text(p.missing_unit_ids::jsonb) WITH ORDINALITY AS e(id, n)
           JOIN provinces_province m ON m.id = e.id::int ORDER BY e.n), '; '), ''),
         v.note, v.source, v.as_of, r.id, t.id
  FROM reports_reportedvalue v
  JOIN reports_report r ON r.id = v.report_id
  JOIN indicators_indicator i ON i.id = v.indicator_id
  LEFT JOIN provinces_province u ON u.id = r.province_id
  LEFT JOIN progress_progress p ON p.province_id = r.province_id
       AND p.indicator_id = v.indicator_id AND p.year = r.year AND p.origin = 'reported'
  LEFT JOIN indicators_target t ON t.id = p.target_id
  LEFT JOIN programmes_document d ON d.id = t.document_id
  WHERE r.status = 'approved' {where}
  ORDER BY u.code NULLS FIRST, u.valid_from NULLS FIRST, i.code, r.year
) TO STDOUT WITH (FORMAT csv, HEADER)
"""


def export(user, params: dict[str, str]) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Rows and bytes of the CSV export, read to the end as a client would."""
    from exports.views import export_view

    request = RequestFactory().get("/exports/values.csv", params)
    request.user = user
    response = export_view(request, "values", "csv")
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += 1
    return lines - 1, size


def copy(where: str) -> tuple[float, int]:
    started = time.perf_counter()
    size = 0
    with connection.cursor() as cursor, cursor.cursor.copy(COPY_SQL.format(where=where)) as out:
        for data in out:
            size += len(data)
    return time.perf_counter() - started, size


def main() -> None:
    from accounts.models import User
    from progress.models import RecomputeRun
    from progress.services import progress_recompute_now
    from reference.services import reference_data_load

    old = setup_databases(verbosity=0, interactive=False)
    try:
        started = time.perf_counter()
        reference_data_load()
        dataset = build(indicators=INDICATORS)
        progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
        print(
            f"dataset ({connection.vendor}): {dataset.indicators} indicators, "
            f"{dataset.values:,} values; built and recomputed in "
            f"{time.perf_counter() - started:.1f} s"
        )
        analyst = User.objects.create_user("bench-analyst", role=User.Role.ANALYST)
        sizes = {
            "2016–2020": ({"year_to": "2020"}, "AND r.year <= 2020"),
            "all years": ({}, ""),
        }
        export(analyst, {"year_to": "2016"})  # warm the caches and the imports
        for label, (params, where) in sizes.items():
            started = time.perf_counter()
            rows, size = export(analyst, params)
            elapsed = time.perf_counter() - started
            tracemalloc.start()
            export(analyst, params)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            line = (
                f"{label:>10}: {rows:,} rows, {size / 2**20:.1f} MB of CSV in {elapsed:.2f} s "
                f"= {rows / elapsed:,.0f} rows/s | peak Python memory {peak / 2**20:.1f} MB"
            )
            if connection.vendor == "postgresql":
                bare, bare_size = min(copy(where) for _ in range(3))
                line += (
                    f" | COPY TO STDOUT {bare:.2f} s ({bare_size / 2**20:.1f} MB), "
                    f"ratio {elapsed / bare:.1f}x"
                )
            print(line, flush=True)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS of the process (dataset build included): {rss:.0f} MB")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
