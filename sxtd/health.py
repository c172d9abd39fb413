"""``/healthz``: what the container's health check asks, answered before anything else."""

from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse

HEALTH_PATH = "/healthz"


class HealthCheckMiddleware:
    """First in MIDDLEWARE, so that the check reaches no host validation, no HTTPS redirect,
    no session and no login: Docker asks http://127.0.0.1:8000, a host that ALLOWED_HOSTS
    rightly leaves out and a scheme that SECURE_SSL_REDIRECT would send away."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTH_PATH:
            return healthz()
        return self.get_response(request)


def healthz() -> HttpResponse:
    """200 "ok" when the database answers one query; 503 when it does not. It says nothing
    else, since anyone who can reach the port may ask."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
