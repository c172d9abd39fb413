from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

# The JSON API, its schema and its docs (sxtd/urls.py).
API_PREFIX = "/api/"
# The CSV and Excel exports, which scripts fetch with the API's token (exports.views).
EXPORTS_PREFIX = "/exports/"


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def is_script_request(request: HttpRequest) -> bool:
    """An address a script reads as well as a browser: the API and the exports."""
    return request.path_info.startswith((API_PREFIX, EXPORTS_PREFIX))


class ChosenLanguageMiddleware:
    """Vietnamese unless the person chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a
    ministry officer on an English-language browser would get English; the
    dashboard is Vietnamese first, and the choice is the person's, kept in the
    language cookie that Django's set_language view writes.

    The API and the exports have no language switch: a client asks for English with
    Accept-Language (after the language cookie, which a session in the browser carries),
    else Vietnamese. A script fetches an export with the same token and headers as the
    API, and reads its messages (a filter refused, a token not valid) in the same language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        script = is_script_request(request)
        if script:
            # The cookie, then Accept-Language, then LANGUAGE_CODE (Vietnamese).
            language = translation.get_language_from_request(request)
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie", "Accept-Language"] if script else ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response
