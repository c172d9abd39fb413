"""/healthz: what the container's health check asks, under the production settings that
made the old check fail (a real ALLOWED_HOSTS, HTTPS redirect)."""

import pytest
from django.db import OperationalError, connection
from django.test import Client

pytestmark = pytest.mark.django_db

# How Docker's health check asks, from inside the web container.
DOCKER = {"HTTP_HOST": "127.0.0.1:8000"}


@pytest.fixture
def production_like(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ALLOWED_HOSTS = ["sxtd.example"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def test_the_health_check_answers_on_any_host_over_plain_http(
    production_like, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    # The same request for a page is refused: the host is not one the site answers to.
    assert client.get("/", **DOCKER).status_code == 400
    with django_assert_num_queries(1):
        response = client.get("/healthz", **DOCKER)
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "Set-Cookie" not in response.headers and not response.cookies


def test_the_health_check_fails_when_the_database_does_not_answer(
    production_like, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    def refused() -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refused)
    response = Client().get("/healthz", **DOCKER)
    assert response.status_code == 503
