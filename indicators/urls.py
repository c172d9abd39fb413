from django.urls import path

from . import views

urlpatterns = [
    path("<str:code>/", views.indicator_detail, name="indicator-detail"),
]
