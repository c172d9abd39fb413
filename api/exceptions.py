"""The API's one exception handler: domain errors become the statuses the README promises."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.defaults import page_not_found
from rest_framework import status
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.response import Response
from rest_framework.views import exception_handler

from exports.selectors import ExportFilterError
from reports.models import Report
from reports.services import ReportConflictError, ReportValidationError
from sxtd.middleware import is_api_request

NOT_FOUND = _("Not found.")


class PreconditionFailed(Exception):
    """If-Match names a version of the report that is no longer the current one."""

    def __init__(self, message: str, *, current: int) -> None:
        self.current = current
        super().__init__(message)


class PreconditionRequired(Exception):
    """A write to a report without If-Match."""


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ExportFilterError):
        return Response(exc.errors, status=400)
    if isinstance(exc, ReportValidationError):
        # The same field-level messages as the form: {indicator code or "": {field: reason}}.
        return Response({"detail": str(exc), "errors": exc.errors}, status=400)
    if isinstance(exc, ReportConflictError):
        current = Report.objects.filter(pk=exc.report.pk).values_list("version", flat=True)
        return _precondition_failed(str(exc), current.first() or exc.report.version)
    if isinstance(exc, PreconditionFailed):
        return _precondition_failed(str(exc), exc.current)
    if isinstance(exc, PreconditionRequired):
        return Response({"detail": str(exc)}, status=status.HTTP_428_PRECONDITION_REQUIRED)
    if isinstance(exc, ParseError) and str(exc.detail).startswith("JSON parse error - "):
        # REST framework writes this one without marking it for translation.
        reason = str(exc.detail).removeprefix("JSON parse error - ")
        exc = ParseError(_("The body is not valid JSON: %(reason)s") % {"reason": reason})
    if isinstance(exc, PermissionDenied | Http404):
        # What a role may not do answers as if the object did not exist (README, Roles),
        # and every 404 says so in the request's language: Django's get_object_or_404
        # names the model in English ("No Indicator matches the given query.").
        exc = NotFound(NOT_FOUND)
    return exception_handler(exc, context)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The project's handler404: an address under /api/ that is none of the API's answers as
    the API's own 404s do (JSON, in the request's language); any other, the site's page."""
    if is_api_request(request):
        return JsonResponse({"detail": str(NOT_FOUND)}, status=404)
    return page_not_found(request, exception)


def _precondition_failed(message: str, current: int) -> Response:
    response = Response(
        {"detail": message, "version": current}, status=status.HTTP_412_PRECONDITION_FAILED
    )
    response["ETag"] = f'"{current}"'
    return response
