from django.urls import path, register_converter
from rest_framework.routers import APIRootView

from . import imports, views


class IdConverter:
    """A database id: at most 18 digits, so a larger number is a 404, not an overflow."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

app_name = "api"

# The entry point an analyst opens first: every collection, with its address, beside the
# schema (/api/schema/) and its docs (/api/docs/).
ROOT = {
    "units": "unit-list",
    "documents": "document-list",
    "indicators": "indicator-list",
    "targets": "target-list",
    "values": "value-list",
    "progress": "progress-list",
    "reporting-status": "reporting-status",
    "reports": "report-list",
    "imports": "import-list",
}

urlpatterns = [
    path("", APIRootView.as_view(api_root_dict=ROOT), name="root"),
    path("units/", views.UnitList.as_view(), name="unit-list"),
    path("units/<id:pk>/", views.UnitDetail.as_view(), name="unit-detail"),
    path("documents/", views.DocumentList.as_view(), name="document-list"),
    path("documents/<id:pk>/", views.DocumentDetail.as_view(), name="document-detail"),
    path("indicators/", views.IndicatorList.as_view(), name="indicator-list"),
    path("indicators/<str:code>/", views.IndicatorDetail.as_view(), name="indicator-detail"),
    path("targets/", views.TargetList.as_view(), name="target-list"),
    path("values/", views.ValueList.as_view(), name="value-list"),
    path("progress/", views.ProgressList.as_view(), name="progress-list"),
    path("reporting-status/", views.ReportingStatusView.as_view(), name="reporting-status"),
    path("reports/", views.ReportListCreate.as_view(), name="report-list"),
    path("reports/<id:pk>/", views.ReportDetail.as_view(), name="report-detail"),
    path("reports/<id:pk>/values/", views.ReportValues.as_view(), name="report-values"),
    path("reports/<id:pk>/submit/", views.ReportSubmit.as_view(), name="report-submit"),
    path("reports/<id:pk>/approve/", views.ReportApprove.as_view(), name="report-approve"),
    path("reports/<id:pk>/return/", views.ReportReturn.as_view(), name="report-return"),
    path("reports/<id:pk>/reopen/", views.ReportReopen.as_view(), name="report-reopen"),
    path(
        "reports/<id:pk>/assessments/",
        views.ReportAssessments.as_view(),
        name="report-assessments",
    ),
    path("imports/", imports.ImportCreate.as_view(), name="import-list"),
    path("imports/<id:pk>/", imports.ImportDetail.as_view(), name="import-detail"),
    path("imports/<id:pk>/apply/", imports.ImportApply.as_view(), name="import-apply"),
]
