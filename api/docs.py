"""The API's documentation pages, drf-spectacular's Swagger UI and Redoc, in the reader's
language: the one every answer under /api/ is in (sxtd.middleware.ChosenLanguageMiddleware),
which each page also writes as its ``lang``."""

from typing import Any

from django.utils import translation
from drf_spectacular.plumbing import set_query_parameters
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.request import Request


class _SchemaInPageLanguage:
    """The page asks for its schema with ``?lang=`` set to its own language, which the schema
    view generates it in. The schema's address alone then says its language, and a
    ``?lang=`` given to the page, which drf-spectacular would pass on, cannot make the
    descriptions another language than the page's ``lang`` that a screen reader reads them
    in."""

    def _get_schema_url(self, request: Request) -> str:
        url: Any = super()._get_schema_url(request)  # type: ignore[misc]
        return set_query_parameters(url, lang=translation.get_language())


class SwaggerView(_SchemaInPageLanguage, SpectacularSwaggerSplitView):
    pass


class RedocView(_SchemaInPageLanguage, SpectacularRedocView):
    pass
