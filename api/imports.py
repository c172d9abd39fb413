"""The spreadsheet import over the API: the same services, checks and messages as the pages.

A script uploads a file and reads the preview; its ETag is the preview's digest, so that
applying with If-Match applies exactly what the script read, or answers 412.
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.forms import ImportUploadForm
from reports.import_services import (
    ImportApplyError,
    ImportPreview,
    ImportStaleError,
    import_batch_get_for_user,
    import_batch_preview,
    report_import_apply,
    report_import_preview,
)
from reports.imports import ImportFileError

from . import serializers as s
from .exceptions import PreconditionRequired
from .views import IF_MATCH, IF_MATCH_MISSING, NOT_FOUND

UNAUTHENTICATED = OpenApiResponse(
    description=gettext_lazy("No credentials: send a token (or log in).")
)


def _preview_response(preview: ImportPreview, *, code: int = 200) -> Response:
    batch = preview.batch
    data = {
        "id": batch.pk,
        "filename": batch.filename,
        "uploaded_at": batch.uploaded_at,
        "applied_at": batch.applied_at,
        "counts": preview.counts,
        "digest": preview.digest,
        "rows": [
            {
                "sheet": row.sheet,
                "line": row.line,
                "status": row.status,
                "unit_code": row.cells.get("unit_code", ""),
                "indicator_code": row.cells.get("indicator_code", ""),
                "year": row.cells.get("year", ""),
                "errors": [{"column": c, "reason": r} for c, r in row.errors],
                "old": row.old,
                "new": row.new,
            }
            for row in preview.rows
        ],
    }
    response = Response(s.ImportPreviewOut(data).data, status=code)
    response["ETag"] = f'"{preview.digest}"'
    return response


def _digest(request: Request) -> str:
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired(
            _("Send If-Match with the preview's ETag, so that what is applied is what you read.")
        )
    return header.removeprefix("W/").strip('"')


class ImportCreate(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(
        description=gettext_lazy(
            "Upload a spreadsheet of yearly results (officers): nothing is written to any "
            "report yet; the answer is the preview of every row."
        ),
        request={"multipart/form-data": s.ImportUploadIn},
        responses={
            201: s.ImportPreviewOut,
            400: OpenApiResponse(
                description=gettext_lazy("The file cannot be read: {file: [reason]}.")
            ),
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request) -> Response:
        form = ImportUploadForm(data={}, files=request.FILES)
        if not form.is_valid():
            raise ValidationError(form.errors)
        upload = form.cleaned_data["file"]
        try:
            preview = report_import_preview(
                content=upload.read(), filename=upload.name, by=request.user
            )
        except ImportFileError as error:
            raise ValidationError({"file": [str(error)]}) from None
        return _preview_response(preview, code=status.HTTP_201_CREATED)


class ImportDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        description=gettext_lazy("The preview of one's own upload, as applying it would act now."),
        responses={200: s.ImportPreviewOut, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        batch = import_batch_get_for_user(user=request.user, pk=pk)
        return _preview_response(import_batch_preview(batch=batch, by=request.user))


class ImportApply(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        description=gettext_lazy("Apply the whole file in one transaction, or nothing."),
        request=None,
        parameters=[IF_MATCH],
        responses={
            200: s.ImportResultOut,
            400: OpenApiResponse(description=gettext_lazy("Rows with errors, or already applied.")),
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
            412: OpenApiResponse(
                description=gettext_lazy("The reports changed since that preview.")
            ),
            428: IF_MATCH_MISSING,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        batch = import_batch_get_for_user(user=request.user, pk=pk)
        digest = _digest(request)
        try:
            result = report_import_apply(batch=batch, by=request.user, digest=digest)
        except ImportStaleError as error:
            return Response({"detail": str(error)}, status=status.HTTP_412_PRECONDITION_FAILED)
        except (ImportApplyError, ImportFileError) as error:
            raise ValidationError({"detail": str(error)}) from None
        body: dict[str, Any] = {
            "changed": result.changed,
            "reports": [report.pk for report in result.reports],
        }
        return Response(s.ImportResultOut(body).data)
