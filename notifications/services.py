"""Mails about the review steps: announced by the step, sent by a task after it commits."""

import logging
import smtplib
from collections.abc import Collection

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from reports.models import ReportTransition

from .mails import report_step_text
from .selectors import report_step_recipients

logger = logging.getLogger(__name__)


def report_step_announce(*, step: ReportTransition) -> None:
    """Queue the step's mails once the caller's transaction commits: a step rolled back sends
    nothing, and nothing about the mails (the broker, the mail server) can undo the step."""
    step_id = step.pk
    transaction.on_commit(lambda: report_step_enqueue(step_id=step_id), robust=True)


def report_step_enqueue(*, step_id: int) -> bool:
    """Hand the step's mails to Celery; False, logged, when they could not be queued (the
    broker is down): the step stays in the review history, on the report's page."""
    from .tasks import send_report_step_mails  # tasks import this module

    try:
        send_report_step_mails.apply_async(
            args=[step_id], retry=True, retry_policy=settings.NOTIFICATION_PUBLISH_RETRY_POLICY
        )
    except Exception:  # kombu and redis raise several kinds; all mean "not queued"
        logger.warning(
            "The mails of report step %s are not sent: they could not be queued",
            step_id,
            exc_info=True,
        )
        return False
    return True


def report_step_mails_send(
    *, step: ReportTransition, only: Collection[int] | None = None
) -> list[int]:
    """Mail each of the step's people (``only`` those ids, on a retry) on their own, so that
    no one sees another's address; the ids of those whose mail the server did not take.

    Each mail opens its own connection: a step has a handful of people, and a server that
    drops one mail does not lose the others with it."""
    recipients = report_step_recipients(step=step)
    if only is not None:
        recipients = [user for user in recipients if user.pk in only]
    if not recipients:
        return []
    subject, body = report_step_text(step=step)
    failed = []
    for user in recipients:
        # Out-of-office replies are not sent to an automatic message (RFC 3834).
        mail = EmailMessage(
            subject, body, to=[user.email], headers={"Auto-Submitted": "auto-generated"}
        )
        try:
            mail.send()
        except (smtplib.SMTPException, OSError):
            logger.warning(
                "The mail of report step %s to user %s was not sent",
                step.pk,
                user.pk,
                exc_info=True,
            )
            failed.append(user.pk)
    return failed
