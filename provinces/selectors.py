"""Which provincial unit a code, a date or a reporting year means."""

from datetime import date

from django.db.models import Max, Q, QuerySet

from .models import Province


def reporting_day(year: int) -> date:
    """A year's figures belong to the units in force on 31 December of that year."""
    return date(year, 12, 31)


def in_force_filter(day: date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def provinces_in_force(*, on: date) -> QuerySet[Province]:
    return Province.objects.filter(in_force_filter(on)).order_by("code")


def provinces_of_year(*, year: int) -> QuerySet[Province]:
    return provinces_in_force(on=reporting_day(year))


def province_for_code_on(*, code: str, on: date) -> Province:
    """The unit that ``code`` meant on ``on``; raises Province.DoesNotExist."""
    return Province.objects.get(in_force_filter(on), code=code)


def province_for_code_in_year(*, code: str, year: int) -> Province:
    return province_for_code_on(code=code, on=reporting_day(year))


def province_lineage(*, province: Province) -> list[Province]:
    """The unit and every unit that merged into it, directly or through earlier merges."""
    lineage = [province]
    frontier = [province.pk]
    while frontier:
        found = list(Province.objects.filter(successor_id__in=frontier).order_by("code"))
        lineage.extend(found)
        frontier = [p.pk for p in found]
    return lineage


def last_day_before_reorganisation() -> date | None:
    """The last day of the units that the latest reorganisation ended (30/6/2025 for the
    63 provinces that became 34)."""
    return Province.objects.aggregate(day=Max("valid_to"))["day"]
