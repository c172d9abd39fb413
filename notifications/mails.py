"""The text of a review step's mail: Vietnamese, then the same in English."""

from typing import NamedTuple

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.models import Report, ReportTransition

Status = Report.Status


class _Wording(NamedTuple):
    subject: Promise
    sentence: Promise


# By the step's (from, to) status: a report sent again answers a return or a reopening.
_WORDINGS = {
    (Status.DRAFT, Status.SUBMITTED): _Wording(
        gettext_lazy("Report sent for review: %(unit)s, %(year)s"),
        gettext_lazy(
            "%(person)s sent the %(year)s report of %(unit)s to the ministry for review (%(when)s)."
        ),
    ),
    (Status.RETURNED, Status.SUBMITTED): _Wording(
        gettext_lazy("Report sent again for review: %(unit)s, %(year)s"),
        gettext_lazy(
            "%(person)s sent the %(year)s report of %(unit)s to the ministry again, corrected "
            "after it came back (%(when)s)."
        ),
    ),
    (Status.SUBMITTED, Status.RETURNED): _Wording(
        gettext_lazy("Report returned for correction: %(unit)s, %(year)s"),
        gettext_lazy(
            "%(person)s (ministry) returned the %(year)s report of %(unit)s for correction "
            "(%(when)s). Correct it and send it again."
        ),
    ),
    (Status.SUBMITTED, Status.APPROVED): _Wording(
        gettext_lazy("Report approved: %(unit)s, %(year)s"),
        gettext_lazy(
            "%(person)s (ministry) approved the %(year)s report of %(unit)s (%(when)s): its "
            "figures are locked and public."
        ),
    ),
    (Status.APPROVED, Status.RETURNED): _Wording(
        gettext_lazy("Approved report reopened for correction: %(unit)s, %(year)s"),
        gettext_lazy(
            "%(person)s (ministry) reopened the approved %(year)s report of %(unit)s for "
            "correction (%(when)s): its figures are not public until it is approved again. "
            "Correct it and send it again."
        ),
    ),
}


def report_step_text(*, step: ReportTransition) -> tuple[str, str]:
    """The subject and plain-text body of the mail about ``step``: each in every language of
    the site, Vietnamese first, the body's parts one below the other."""
    subjects, bodies = [], []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            subject, body = _text(step)
        subjects.append(subject)
        bodies.append(body)
    return " / ".join(subjects), "\n\n----------\n\n".join(bodies)


def _text(step: ReportTransition) -> tuple[str, str]:
    wording = _WORDINGS[(Status(step.from_status), Status(step.to_status))]
    report = step.report
    words = {
        "unit": _unit_named(report),
        "year": report.year,
        "person": step.by.get_full_name() or step.by.username,
        "when": date_format(timezone.localtime(step.at), "SHORT_DATETIME_FORMAT"),
    }
    lines = [str(wording.sentence) % words]
    if step.reason:
        # An approval's text is a note; a return's or reopening's, what to correct.
        label = _("Note") if step.to_status == Status.APPROVED else _("Reason")
        lines.append(f"{label}: {step.reason}")
    link = settings.SITE_URL + reverse("report-detail", args=[report.pk])
    lines.append(_("See the report at %(link)s") % {"link": link})
    return str(wording.subject) % words, "\n\n".join(lines)


def _unit_named(report: Report) -> str:
    """As every page names it (``Province.label``): a former unit with its end, "Bắc Kạn
    (đến 30/6/2025)", since its area's report is not the successor's."""
    if report.province is None:
        return _("National (Ministry)")
    return report.province.label
