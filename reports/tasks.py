from celery import shared_task

from .import_services import import_batches_purge


@shared_task
def purge_import_batches() -> int:
    return import_batches_purge()
