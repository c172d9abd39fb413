from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = _("Progress")

    def ready(self) -> None:
        from django.core import checks

        from .checks import plotly_bundle_matches_package

        checks.register(plotly_bundle_matches_package, checks.Tags.staticfiles)
