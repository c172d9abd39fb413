"""The Celery application; its configuration is the CELERY_* Django settings."""

import os

from celery import Celery

# Workers and beat run where the web process runs (wsgi.py defaults the same way): a
# worker started without settings must not come up with DEBUG and the development key.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sxtd.settings.production")

app = Celery("sxtd")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
