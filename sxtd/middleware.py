from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from rest_framework.authentication import TokenAuthentication, get_authorization_header

# The JSON API, its schema and its docs (sxtd/urls.py).
API_PREFIX = "/api/"
# The CSV and Excel exports, which scripts fetch with the API's token (exports.views).
EXPORTS_PREFIX = "/exports/"


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def is_export_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(EXPORTS_PREFIX)


def carries_api_token(request: HttpRequest) -> bool:
    """``Authorization: Token …``, read as REST framework's TokenAuthentication reads it:
    a script's, never a browser's (a proxy's Basic credentials do not count)."""
    parts = get_authorization_header(request).split()
    return bool(parts) and parts[0].lower() == TokenAuthentication.keyword.lower().encode()


def reads_accept_language(request: HttpRequest) -> bool:
    """The API, and an export fetched with the API's token: what scripts read."""
    return is_api_request(request) or (is_export_request(request) and carries_api_token(request))


class ChosenLanguageMiddleware:
    """Vietnamese unless the person chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a
    ministry officer on an English-language browser would get English; the
    dashboard is Vietnamese first, and the choice is the person's, kept in the
    language cookie that Django's set_language view writes.

    The API has no language switch: a client asks for English with Accept-Language
    (after the language cookie, which a session in the browser carries), else Vietnamese.
    An export follows the API's rule only when fetched with the API's token, as the
    analyst's script fetches both; otherwise it is a page's download link, and its file is
    in the page's language, whatever the browser's Accept-Language says.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if reads_accept_language(request):
            # The cookie, then Accept-Language, then LANGUAGE_CODE (Vietnamese).
            language = translation.get_language_from_request(request)
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        patch_vary_headers(response, self._varies_on(request))
        response.headers.setdefault("Content-Language", language)
        return response

    @staticmethod
    def _varies_on(request: HttpRequest) -> list[str]:
        if is_api_request(request):
            return ["Cookie", "Accept-Language"]
        if is_export_request(request):
            # Whether Accept-Language counts depends on the token, so a cache must key on
            # both whether or not this request carried one.
            return ["Cookie", "Accept-Language", "Authorization"]
        return ["Cookie"]
