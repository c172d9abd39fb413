"""What a recompute reads, as plain data: the compute step never touches the ORM."""

from dataclasses import dataclass, field
from datetime import date

from . import engine


@dataclass(frozen=True)
class Unit:
    pk: int
    code: str
    valid_from: date | None
    valid_to: date | None
    successor_id: int | None
    name: str = ""

    @property
    def label(self) -> str:
        """How a roll-up knows the unit (its ``missing``, ``units``); a page labels one
        that ended by adding its last day, which the roll-up stores beside (``until``)."""
        return self.name or self.code

    def in_force_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class IndicatorSpec:
    pk: int
    code: str
    measure: engine.Measure
    direction: engine.Direction
    accumulation: engine.Accumulation
    rollup: str
    parent_id: int | None
    # An indicator of a national programme, which every unit reports whatever its plans
    # (``reports.selectors.form_indicator_ids``).
    national: bool = False


@dataclass(frozen=True)
class TargetSpec:
    pk: int
    province_id: int | None
    indicator_id: int
    issued_on: date
    period_start: int
    source: str
    target: engine.Target
    # The last year of the document's period (None: open). A target is in force within
    # its document's period only (``engine.in_force``).
    period_end: int | None = None

    @property
    def term(self) -> engine.Term:
        return engine.Term(self.target.year, self.period_start, self.period_end)


# Slotted: a run holds one for each value it reads, and without slots each of them
# carried a dictionary of its own. Not frozen, though never changed: a frozen dataclass's
# __init__ took three times as long.
@dataclass(slots=True)
class ValueSpec:
    province_id: int | None
    indicator_id: int
    observation: engine.Observation
    source: str


@dataclass(frozen=True)
class PlanSpec:
    """A provincial plan implementing the programme, for the register-based roll-up."""

    province_id: int
    issued_on: date
    number: str = ""
    source: str = ""


@dataclass
class ProgressInputs:
    units: list[Unit]
    indicators: list[IndicatorSpec]
    targets: list[TargetSpec]
    values: list[ValueSpec]
    plans: list[PlanSpec]
    # The last closed reporting year: no figure is assessed as of a year not yet over.
    last_year: int
    # The indicators whose rows are computed; the others in ``indicators`` are only read
    # (the provincial forms a share-of-units roll-up counts).
    emit: frozenset[int] = frozenset()
    # The units whose rows are computed (None in it: the nation's own); None: every unit.
    province_scope: frozenset[int | None] | None = None
    # The years the plan register is counted for (the programme's period up to last_year).
    register_years: range = field(default_factory=lambda: range(0))
    # The first year whose rows are computed; None: every year. Earlier years are still
    # read, as the history later years are assessed on.
    from_year: int | None = None
