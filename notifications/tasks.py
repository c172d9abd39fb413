from celery import Task, shared_task

from reports.models import ReportTransition

from .services import report_step_mails_send


@shared_task(bind=True, acks_late=True, max_retries=5)
def send_report_step_mails(self: Task, step_id: int, only: list[int] | None = None) -> None:
    """Send the mails of a review step; those the mail server refused are tried again later,
    1, 2, 4, 8 and 16 minutes on, and only those. With no worker (tasks run in the web
    process) they are not: the request would wait through every try."""
    step = ReportTransition.objects.select_related("report__province", "by").get(pk=step_id)
    failed = report_step_mails_send(step=step, only=only)
    if failed and not self.request.is_eager:
        raise self.retry(args=[step_id, failed], countdown=60 * 2**self.request.retries)
