"""Which provincial unit a code, a date or a reporting year means."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

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


def _merged_into(pk: int) -> Iterator[Province]:
    """Every unit that merged into unit ``pk``, directly or through earlier merges, one
    merger level at a time (one query a level), each level by code."""
    seen = {pk}
    frontier = [pk]
    while frontier:
        found = list(Province.objects.filter(successor_id__in=frontier).order_by("code"))
        found = [unit for unit in found if unit.pk not in seen]  # a cycle is not followed
        seen.update(unit.pk for unit in found)
        yield from found
        frontier = [unit.pk for unit in found]


def province_lineage(*, province: Province) -> list[Province]:
    """The unit and every unit that merged into it, directly or through earlier merges."""
    return [province, *_merged_into(province.pk)]


def province_lineage_ids(*, pk: int) -> list[int]:
    """The ids of ``province_lineage``, from a unit's id (the export and API ``lineage``
    filter): the same rule, so a page and its export links show the same units."""
    return [pk, *(unit.pk for unit in _merged_into(pk))]


@dataclass(frozen=True)
class Merger:
    """Units that ended together and formed one unit on ``on``."""

    merged: list[Province]
    formed: Province
    on: date | None


def province_merger(*, province: Province, lineage: list[Province]) -> Merger | None:
    """The merger a unit came out of or went into, seen alike from every unit in it: the
    old Thái Nguyên and Bắc Kạn formed the new Thái Nguyên on 1/7/2025 — a merger, not a
    chain of successions. ``lineage`` is ``province_lineage(province=province)``; a unit
    that went into another costs one query for the others that did.

    The unit whose code the new one keeps comes first (it lends the name and the seat, as
    the resolution lists it), then the others by code."""
    if province.successor is not None:
        formed = province.successor
        merged = list(Province.objects.filter(successor_id=formed.pk))
    else:
        formed = province
        merged = [unit for unit in lineage[1:] if unit.successor_id == province.pk]
    if not merged:
        return None
    merged.sort(key=lambda unit: (unit.code != formed.code, unit.code, unit.name))
    ends = [unit.valid_to for unit in merged if unit.valid_to]
    on = formed.valid_from or (max(ends) + timedelta(days=1) if ends else None)
    return Merger(merged=merged, formed=formed, on=on)


def last_day_before_reorganisation() -> date | None:
    """The last day of the units that the latest reorganisation ended (30/6/2025 for the
    63 provinces that became 34)."""
    return Province.objects.aggregate(day=Max("valid_to"))["day"]
