from django.urls import path

from . import views

urlpatterns = [
    path("bundle.zip", views.export_bundle_view, name="export-bundle"),
    path("<str:dataset>.<str:fmt>", views.export_view, name="export"),
]
