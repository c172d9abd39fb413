from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from accounts import views as account_views
from accounts.forms import LoginForm
from api.docs import RedocView, SwaggerView

urlpatterns = [
    path("", include("programmes.urls")),
    path("provinces/", include("provinces.urls")),
    path("reports/", include("reports.urls")),
    path("indicators/", include("indicators.urls")),
    path("sources/", include("reference.urls")),
    path("exports/", include("exports.urls")),
    path("api/v1/", include("api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: the CSP allows no inline script.
    path("api/docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", RedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("account/token/", account_views.token_view, name="account-token"),
    path("account/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "account/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]

# A 404 under /api/ answers in JSON, as the API's own do.
handler404 = "api.exceptions.not_found"
