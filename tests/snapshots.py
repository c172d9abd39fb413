"""Whole-table snapshots, to prove that a failed or repeated write changed nothing."""

from typing import Any

from django.apps import apps

TRACKED_APPS = ["provinces", "programmes", "indicators", "reports"]


def database_snapshot() -> dict[str, list[dict[str, Any]]]:
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for app in TRACKED_APPS
        for model in apps.get_app_config(app).get_models()
    }
