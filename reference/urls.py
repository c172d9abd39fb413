from django.urls import path

from . import views

urlpatterns = [
    path("<str:name>/", views.source_detail, name="source-detail"),
]
