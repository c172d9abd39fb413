from django.urls import path

from . import views

urlpatterns = [
    path("", views.report_list, name="report-list"),
    path("open/", views.report_open_view, name="report-open"),
    path("status/", views.reporting_status_view, name="reporting-status"),
    path("<int:pk>/", views.report_detail, name="report-detail"),
    path("<int:pk>/edit/", views.report_edit, name="report-edit"),
    path("<int:pk>/submit/", views.report_submit_view, name="report-submit"),
    path("<int:pk>/approve/", views.report_approve_view, name="report-approve"),
    path("<int:pk>/return/", views.report_return_view, name="report-return"),
    path("<int:pk>/reopen/", views.report_reopen_view, name="report-reopen"),
    path("<int:pk>/assess/", views.report_assess_view, name="report-assess"),
    path("<int:pk>/template.<str:fmt>", views.report_template, name="report-template"),
    path("template/", views.report_unit_template, name="report-unit-template"),
    path("import/", views.report_import, name="report-import"),
    path("import/<int:pk>/", views.report_import_preview_view, name="report-import-preview"),
    path("import/<int:pk>/apply/", views.report_import_apply_view, name="report-import-apply"),
    path("<int:pk>/evidence/<int:value_pk>/", views.evidence_download, name="report-evidence"),
]
