from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from rest_framework.exceptions import AuthenticationFailed, MethodNotAllowed, NotFound
from rest_framework.request import Request
from rest_framework.settings import api_settings

from sxtd.middleware import carries_api_token

from .selectors import (
    DATASETS,
    Export,
    ExportFilterError,
    bundle_tables,
    csv_bom,
    export_for,
)
from .tidy import Table
from .writers import csv_lines, xlsx_file, zip_file

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def api_authenticated(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Reads the person as the API does (``REST_FRAMEWORK``'s authentication classes): a
    script's ``Authorization: Token <key>``, else the browser's session. A header carrying a
    token that is not valid is 401, not the visitor's rows, which a script would take for
    everything it may see."""

    @wraps(view)
    def authenticated(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        authenticators = [auth() for auth in api_settings.DEFAULT_AUTHENTICATION_CLASSES]
        try:
            request.user = Request(request, authenticators=authenticators).user
        except AuthenticationFailed as error:
            response = JsonResponse({"detail": error.detail}, status=401)
            response["WWW-Authenticate"] = authenticators[0].authenticate_header(request)
            return response
        return view(request, *args, **kwargs)

    return authenticated


# Exports only read: nothing here changes anything, so nothing for a CSRF token to protect.
ALLOW = "GET, HEAD, OPTIONS"


def export_endpoint(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An export answers GET and HEAD; OPTIONS with ``Allow`` and no body (answered as a GET,
    it sent the whole file); any other method 405 with ``Allow``, not CsrfViewMiddleware's
    403 page, which told a script with a token nothing of what it did wrong. Its errors are
    JSON, as its 400s and 401s are: a 404 too (the status grid to anyone but the ministry)
    when a script asked with its token; a browser following a link gets the site's page."""

    # Authenticated after the method is known: REST framework's session authentication
    # checks the CSRF token of a POST itself, and would raise where a 405 is the answer.
    authenticated = api_authenticated(view)

    @csrf_exempt
    @wraps(view)
    def endpoint(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            return HttpResponse(headers={"Allow": ALLOW, "Content-Length": "0"})
        if request.method not in {"GET", "HEAD"}:
            detail = MethodNotAllowed(request.method or "").detail
            response = _json_error(detail, status=405)
            response["Allow"] = ALLOW
            return response
        try:
            return authenticated(request, *args, **kwargs)
        except Http404:
            if not carries_api_token(request):
                raise
            return _json_error(NotFound().detail, status=404)

    return endpoint


def _json_error(detail: str, *, status: int) -> JsonResponse:
    return JsonResponse(
        {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def csv_response(table: Table, *, bom: bool, filename: str) -> StreamingHttpResponse:
    """UTF-8, with a BOM unless ``?encoding=utf-8`` asked for none (``CsvEncoding``)."""
    response = StreamingHttpResponse(
        csv_lines(table, bom=bom), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _errors_response(error: ExportFilterError) -> JsonResponse:
    # Vietnamese as it reads, not \u-escaped: the person reading it may be in a browser.
    return JsonResponse(
        {"errors": error.errors}, status=400, json_dumps_params={"ensure_ascii": False}
    )


def _filename(export: Export) -> str:
    return f"sxtd-{export.dataset}-{timezone.localtime(export.at):%Y%m%d-%H%M}"


@export_endpoint
def export_view(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    if dataset not in DATASETS or fmt not in {"csv", "xlsx"}:
        raise Http404
    try:
        bom = csv_bom(request.GET)
        export = export_for(user=request.user, dataset=dataset, params=request.GET)
    except ExportFilterError as error:
        return _errors_response(error)
    if fmt == "csv":
        return csv_response(export.data(), bom=bom, filename=_filename(export))
    return FileResponse(
        xlsx_file(export.data(), export.metadata(), export.heading()),
        as_attachment=True,
        filename=f"{_filename(export)}.xlsx",
        content_type=XLSX,
    )


@export_endpoint
def export_bundle_view(request: HttpRequest) -> HttpResponse:
    """Download all: the values and progress rows with their metadata, one CSV each."""
    try:
        bom = csv_bom(request.GET)
        # A report's status narrows the values, an origin the progress rows (all of them of
        # approved figures): each half reads the filters that are its own.
        values_params = request.GET.copy()
        values_params.pop("origin", None)
        values = export_for(user=request.user, dataset="values", params=values_params)
        progress_params = request.GET.copy()
        progress_params.pop("status", None)
        progress = export_for(user=request.user, dataset="progress", params=progress_params)
    except ExportFilterError as error:
        return _errors_response(error)
    return FileResponse(
        zip_file(bundle_tables(values=values, progress=progress), bom=bom),
        as_attachment=True,
        filename=f"sxtd-{timezone.localtime(values.at):%Y%m%d-%H%M}.zip",
        content_type="application/zip",
    )
