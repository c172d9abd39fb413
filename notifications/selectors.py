"""Who is told of a review step."""

from accounts.models import User
from provinces.models import Province
from reports.models import Report, ReportTransition
from reports.selectors import user_writes_report


def report_step_recipients(*, step: ReportTransition) -> list[User]:
    """A report sent to the ministry goes to its reviewers; the ministry's decision on it
    (returned, approved, reopened) to the people who write the report, by the rule that
    lets them edit it (``user_writes_report``): its unit's officers, the successor's for a
    former unit's area (Bắc Kạn's 2025 report, filed by the new Thái Nguyên), the
    administrator for the national report. Only active people with an address, and never
    the person who took the step.

    The rule is asked only of the people it could hold for: the officers of the report's
    unit and of the units it went into, or the administrators; not of every officer."""
    people = (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .exclude(pk=step.by_id)
        .select_related("province")
        .order_by("pk")
    )
    if step.to_status == Report.Status.SUBMITTED:
        return list(people.filter(role=User.Role.REVIEWER))
    report = step.report
    if report.province is None:
        candidates = people.filter(role=User.Role.ADMINISTRATOR)
    else:
        candidates = people.filter(
            role=User.Role.OFFICER, province__in=_units_going_on_as(report.province)
        )
    return [user for user in candidates if user_writes_report(user=user, report=report)]


def _units_going_on_as(unit: Province) -> list[int]:
    """The unit and the units it went into, one merger after another: the units whose
    officers may report for it. A query per merger."""
    ids: list[int] = []
    current: Province | None = unit
    while current is not None:
        ids.append(current.pk)
        current = current.successor
    return ids
