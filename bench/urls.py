"""The app's URLs plus a bare view, for the benchmark only: the floor a page is compared to."""

from functools import cache

from django.http import HttpRequest, HttpResponse
from django.urls import path

from sxtd.urls import urlpatterns as app_urlpatterns


@cache
def _stored_json(size: int) -> bytes:
    body = b'{"data": "' + b"x" * max(0, size - 12) + b'"}'
    return body


def bare(request: HttpRequest, size: int) -> HttpResponse:
    """Returns a stored JSON of ``size`` bytes: no query, no template, no chart."""
    return HttpResponse(_stored_json(size), content_type="application/json")


urlpatterns = [path("bench/bare/<int:size>/", bare), *app_urlpatterns]
