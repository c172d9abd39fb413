"""A synthetic programme at national scale: every unit version × N indicators × 10 years.

Built on the real units (the 63 before and the 34 after the merger), so that roll-ups and
the merger are exercised as in production.
"""

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection

from indicators.models import Indicator, Target
from programmes.models import Document
from provinces.selectors import provinces_of_year
from reports.models import Report, ReportedValue

YEARS = range(2016, 2026)
MEASURES = ["percent", "count", "quantity"]


@dataclass(frozen=True)
class Dataset:
    indicators: int
    values: int
    targets: int


def build(*, indicators: int, seed: int = 889) -> Dataset:
    rng = random.Random(seed)
    programme = Document.objects.get(number="889/QĐ-TTg")
    specs = []
    for n in range(indicators):
        measure = MEASURES[n % len(MEASURES)]
        specs.append(
            Indicator(
                code=f"BENCH-{n:05d}",
                name_vi=f"Chỉ tiêu thử {n}",
                name_en=f"Synthetic indicator {n}",
                unit="%" if measure == "percent" else "đơn vị",
                measure=measure,
                direction="increase",
                accumulation=["level", "cumulative", "flow"][n % 3],
                rollup="sum" if measure != "percent" and n % 50 == 1 else "",
                programme=programme,
                source="synthetic",
            )
        )
    created = Indicator.objects.bulk_create(specs, batch_size=1000)

    targets = [
        Target(
            document=programme,
            province=None,
            indicator=indicator,
            year=year,
            comparator="at_least",
            low=Decimal(80 if year == 2025 else 100),
            text_vi="synthetic",
            source="synthetic",
        )
        for indicator in created
        for year in (2025, 2030)
    ]
    Target.objects.bulk_create(targets, batch_size=2000)
    values = []
    for year in YEARS:
        for unit in provinces_of_year(year=year):
            report, _ = Report.objects.get_or_create(
                province=unit, year=year, defaults={"status": Report.Status.APPROVED}
            )
            for indicator in created:
                base = Decimal(rng.randint(10, 90)) + Decimal(year - 2016) * 2
                values.append(
                    ReportedValue(
                        report=report,
                        indicator=indicator,
                        value=min(base, Decimal(100)) if indicator.measure == "percent" else base,
                        qualifier="more_than" if rng.random() < 0.02 else "exact",
                        source=f"synthetic {unit.code} {year}",
                        as_of=date(year + 1, 1, 31),
                    )
                )
            if len(values) >= 20000:
                ReportedValue.objects.bulk_create(values, batch_size=5000)
                values.clear()
    ReportedValue.objects.bulk_create(values, batch_size=5000)
    # A database in service has statistics (autovacuum gathers them); without them the
    # planner takes a freshly loaded table for empty and scans where an index serves.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Dataset(
        indicators=len(created),
        values=ReportedValue.objects.filter(indicator__in=created).count(),
        targets=len(targets),
    )
