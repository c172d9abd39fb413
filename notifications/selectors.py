"""Who is told of a review step."""

from accounts.models import User
from reports.models import Report, ReportTransition
from reports.selectors import user_writes_report


def report_step_recipients(*, step: ReportTransition) -> list[User]:
    """A report sent to the ministry goes to its reviewers; the ministry's decision on it
    (returned, approved, reopened) to the people who write the report, by the rule that
    lets them edit it (``user_writes_report``): its unit's officers, the successor's for a
    former unit's area (Bắc Kạn's 2025 report, filed by the new Thái Nguyên), the
    administrator for the national report. Only active people with an address, and never
    the person who took the step.

    The rule is asked of each active person with an address, which costs a query per
    officer and merger level: it runs in the worker, once a step, never in a request."""
    people = (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .exclude(pk=step.by_id)
        .select_related("province")
        .order_by("pk")
    )
    if step.to_status == Report.Status.SUBMITTED:
        return list(people.filter(role=User.Role.REVIEWER))
    return [user for user in people if user_writes_report(user=user, report=step.report)]
