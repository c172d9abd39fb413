from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", include("programmes.urls")),
    path("provinces/", include("provinces.urls")),
    path("reports/", include("reports.urls")),
    path("indicators/", include("indicators.urls")),
    path("sources/", include("reference.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
