"""Benchmark of the spreadsheet import (issue 3: spreadsheet import of yearly results).

    .venv/bin/python bench/import.py                       # SQLite, in a throw-away database
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/imp .venv/bin/python bench/import.py

Creates its own database (``test_<name>``, dropped at the end), loads the reference data,
adds 2,500 synthetic indicators and gives Hà Nội's officer a 10,000-row file: 2,500
indicators × 4 years (2021, 2023, 2024, 2025; 2022 is an approved reference report,
locked). 2023 and 2024 are drafts already holding a value for every indicator, so the
file has every kind of row: new (2021, 2025), changed (2024 and half of 2023) and
unchanged (the other half of 2023). Times, for the .csv and the .xlsx of the same rows:
the preview (read, classify, store the batch), the preview page as the officer gets it,
and the commit (re-validate, write everything, audit). Goal: preview and commit each
under 5 s.
"""

import io
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sxtd.settings.test")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

GOAL_S = 5.0
INDICATORS = 2500
YEARS = (2021, 2023, 2024, 2025)
HEADER = "unit_code,indicator_code,year,value,qualifier,numerator,denominator,note,source"


def build():  # type: ignore[no-untyped-def]
    from accounts.models import User
    from indicators.models import Indicator
    from programmes.models import Document
    from provinces.selectors import province_for_code_in_year
    from reports.models import Report, ReportedValue

    programme = Document.objects.get(number="889/QĐ-TTg")
    measures = ["percent", "count", "quantity"]
    indicators = Indicator.objects.bulk_create(
        [
            Indicator(
                code=f"BENCH-{n:05d}",
                name_vi=f"Chỉ tiêu thử {n}",
                name_en=f"Synthetic indicator {n}",
                unit="%" if measures[n % 3] == "percent" else "đơn vị",
                measure=measures[n % 3],
                direction="increase",
                accumulation="level",
                programme=programme,
                source="synthetic",
            )
            for n in range(INDICATORS)
        ],
        batch_size=1000,
    )
    hanoi = province_for_code_in_year(code="01", year=2024)
    officer = User.objects.create_user(
        "bench-officer", password=None, role=User.Role.OFFICER, province=hanoi
    )
    for year in (2023, 2024):
        report = Report.objects.create(province=hanoi, year=year)
        ReportedValue.objects.bulk_create(
            [
                ReportedValue(report=report, indicator=i, value=Decimal(n % 90), source="bench")
                for n, i in enumerate(indicators)
            ],
            batch_size=2000,
        )
    rows = []
    for year in YEARS:
        for n, indicator in enumerate(indicators):
            # 2023: the even half as stored (unchanged), the odd half one more (changed).
            value = n % 90 + (year != 2023 or n % 2)
            note = "Ước tính của Sở Công Thương" if n % 7 == 0 else ""
            rows.append(["01", indicator.code, year, value, "", "", "", note, "bench"])
    return officer, rows


def as_csv(rows: list[list[object]]) -> bytes:
    lines = [HEADER] + [",".join(str(cell) for cell in row) for row in rows]
    return "\n".join(lines).encode("utf-8-sig")


def as_xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER.split(","))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def timed(call):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def run(label: str, content: bytes, filename: str, officer) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from django.test import Client
    from django.urls import reverse

    from reports.import_services import report_import_apply, report_import_preview
    from reports.models import ValueChange

    preview, preview_s = timed(
        lambda: report_import_preview(content=content, filename=filename, by=officer)
    )
    counts = preview.counts
    assert counts["error"] == 0, preview.errors[:5]
    client = Client()
    client.force_login(officer)
    page, page_s = timed(
        lambda: client.get(reverse("report-import-preview", args=[preview.batch.pk]))
    )
    assert page.status_code == 200
    result, apply_s = timed(
        lambda: report_import_apply(batch=preview.batch, by=officer, digest=preview.digest)
    )
    audited = ValueChange.objects.filter(path="import").count()
    assert result.changed == counts["new"] + counts["changed"] == audited
    print(
        f"{label:>5} ({connection.vendor}): {len(preview.rows):,} rows, {len(content) / 2**20:.2f} MB"
        f" | new {counts['new']:,}, changed {counts['changed']:,}, unchanged "
        f"{counts['unchanged']:,}\n"
        f"       preview {preview_s:.2f} s ({preview_s / GOAL_S:.0%} of the 5 s goal)"
        f" | preview page {page_s:.2f} s, {len(page.content) / 2**20:.1f} MB of HTML"
        f" | commit {apply_s:.2f} s ({apply_s / GOAL_S:.0%} of the goal),"
        f" {result.changed:,} values written and audited"
    )
    return {"preview": preview_s, "page": page_s, "commit": apply_s}


def main() -> None:
    figures = {}
    # Each format in a fresh database, so that both start from the same data and the
    # commit includes the database's real COMMIT.
    for label, write in [("csv", as_csv), ("xlsx", as_xlsx)]:
        old = setup_databases(verbosity=0, interactive=False)
        try:
            from reference.services import reference_data_load

            reference_data_load()
            with transaction.atomic():
                officer, rows = build()
            figures[label] = run(label, write(rows), f"bench.{label}", officer)
        finally:
            teardown_databases(old, verbosity=0)
    worst = max(max(f["preview"], f["commit"]) for f in figures.values())
    print(
        f"slowest of preview and commit: {worst:.2f} s — {'within' if worst < GOAL_S else 'OVER'} the 5 s goal"
    )


if __name__ == "__main__":
    main()
