"""The JSON API (/api/v1/): thin views over the same selectors and services as the pages.

Reads go through the permission-checked selectors (``reports_visible_to``,
``report_get_for_user``); writes through the report services, with the form's validation
messages, and an ETag / If-Match check on every write to a report.
"""

from collections import Counter
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from exports.filters import ProgressFilter, ReportedValueFilter, ReportFilter
from exports.selectors import CsvEncoding, export_for
from exports.tidy import (
    COLUMNS,
    PROGRESS_COLUMNS,
    REPORT_COLUMNS,
    Table,
    document_table,
    indicator_table,
    progress_rows,
    report_rows,
    target_table,
    unit_table,
    value_rows,
    values_visible_to,
)
from exports.views import csv_response
from indicators.models import Indicator, Target
from programmes.models import Document
from progress.models import Progress
from provinces.models import Province
from reports.models import Report, ReportedValue, ReportTransition, ValueChange
from reports.selectors import (
    history_units_for,
    provinces_reported_by,
    report_form_indicators,
    report_get_for_user,
    reports_visible_to,
    user_can_edit_report,
    user_can_review,
    user_sees_history,
)
from reports.services import (
    ReportValidationError,
    ValueInput,
    report_approve,
    report_assess,
    report_open,
    report_reopen,
    report_return,
    report_submit,
    report_values_patch,
    report_values_save,
)

from . import serializers as s
from .exceptions import PreconditionFailed, PreconditionRequired
from .filters import DocumentFilter, IndicatorFilter, TargetFilter, UnitFilter

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv"],
    description=gettext_lazy(
        "`csv`: the same tidy CSV as the pages' export links (UTF-8 with BOM; "
        "add `encoding=utf-8` for none)."
    ),
)
ENCODING_PARAMETER = OpenApiParameter(
    "encoding",
    OpenApiTypes.STR,
    enum=["utf-8"],
    description=gettext_lazy("With `format=csv`: no BOM."),
)
NOT_FOUND = OpenApiResponse(description=gettext_lazy("Not found, or not visible to you."))


BAD_FILTER = OpenApiResponse(
    description=gettext_lazy("A filter's value is not valid; each is named.")
)
NO_PAGE = OpenApiResponse(description=gettext_lazy("No such page."))


def _list_schema(serializer: Any, *, description: str | Promise, csv: bool = True) -> Any:
    responses: dict[Any, Any] = {
        (200, "application/json"): serializer(many=True),
        400: BAD_FILTER,
        404: NO_PAGE,
    }
    if csv:
        responses[(200, "text/csv")] = OpenApiTypes.STR
    return extend_schema(
        description=description,
        parameters=[FORMAT_PARAMETER, ENCODING_PARAMETER] if csv else [],
        responses=responses,
    )


def csv_bom(request: Request) -> bool:
    """Whether ``?format=csv`` starts with a BOM (``exports.selectors.CsvEncoding``); an
    encoding there is not is refused as a filter's value is."""
    form = CsvEncoding(request.query_params)
    if not form.is_valid():
        raise translate_validation(form.errors)
    return form.bom


def wants_csv(request: Request) -> bool:
    """Whether ``?format=`` asks for CSV; any format but JSON and CSV is refused, rather than
    answered in JSON that a script asking for ``xlsx`` would save under that name."""
    fmt = request.query_params.get("format", "json")
    if fmt not in ("json", "csv"):
        raise ValidationError(
            {"format": [_("Unknown format %(format)r: json or csv.") % {"format": fmt}]}
        )
    return fmt == "csv"


class CsvListView(generics.ListAPIView):
    """A list that also answers ``?format=csv`` with the table the pages export."""

    def csv_table(self, queryset: QuerySet[Any]) -> Table:
        raise NotImplementedError

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        if wants_csv(request):
            table = self.csv_table(self.filter_queryset(self.get_queryset()))
            return csv_response(
                table,
                bom=csv_bom(request),
                filename=f"sxtd-{table.name}-{timezone.localtime():%Y%m%d-%H%M}",
            )
        return super().list(request, *args, **kwargs)


# ------------------------------------------------------------------ public reads


@_list_schema(
    s.UnitOut,
    description=gettext_lazy(
        "Administrative units over time: the 63 until 30/6/2025 and the 34 after, each "
        "with its validity, its successor and the units that merged into it."
    ),
)
class UnitList(CsvListView):
    serializer_class = s.UnitOut
    filterset_class = UnitFilter

    def get_queryset(self) -> QuerySet[Province]:
        return Province.objects.prefetch_related(
            Prefetch("predecessors", queryset=Province.objects.only("pk", "successor_id"))
        ).order_by("code", "valid_from", "pk")

    def csv_table(self, queryset: QuerySet[Province]) -> Table:
        return unit_table(queryset)


@extend_schema(responses={200: s.UnitOut, 404: NOT_FOUND})
class UnitDetail(generics.RetrieveAPIView):
    serializer_class = s.UnitOut
    queryset = Province.objects.prefetch_related("predecessors")


@_list_schema(
    s.DocumentOut,
    description=gettext_lazy("Programmes and plans (Chương trình, Kế hoạch)."),
)
class DocumentList(CsvListView):
    serializer_class = s.DocumentOut
    filterset_class = DocumentFilter
    queryset = Document.objects.order_by("issued_on", "number", "pk")

    def csv_table(self, queryset: QuerySet[Document]) -> Table:
        return document_table(queryset)


@extend_schema(responses={200: s.DocumentOut, 404: NOT_FOUND})
class DocumentDetail(generics.RetrieveAPIView):
    serializer_class = s.DocumentOut
    queryset = Document.objects.all()


@_list_schema(
    s.IndicatorOut,
    description=gettext_lazy("Indicators (chỉ tiêu) with their stable codes."),
)
class IndicatorList(CsvListView):
    serializer_class = s.IndicatorOut
    filterset_class = IndicatorFilter
    queryset = Indicator.objects.select_related("parent").order_by("code")

    def csv_table(self, queryset: QuerySet[Indicator]) -> Table:
        return indicator_table(queryset)


@extend_schema(responses={200: s.IndicatorOut, 404: NOT_FOUND})
class IndicatorDetail(generics.RetrieveAPIView):
    serializer_class = s.IndicatorOut
    queryset = Indicator.objects.select_related("parent")
    # In any case, as the filters match it: codes are unique in any case.
    lookup_field = "code__iexact"
    lookup_url_kwarg = "code"


@_list_schema(
    s.TargetOut,
    description=gettext_lazy(
        "Targets (mục tiêu) as the documents word them and as the app reads them."
    ),
)
class TargetList(CsvListView):
    serializer_class = s.TargetOut
    filterset_class = TargetFilter
    queryset = Target.objects.select_related("indicator", "province").order_by(
        "indicator__code", "year", "pk"
    )

    def csv_table(self, queryset: QuerySet[Target]) -> Table:
        return target_table(queryset)


@_list_schema(
    s.ValueOut,
    description=gettext_lazy(
        "Reported values: approved ones for everyone; drafts to those who may see them."
    ),
)
class ValueList(CsvListView):
    serializer_class = s.ValueOut
    filterset_class = ReportedValueFilter

    def get_queryset(self) -> QuerySet[ReportedValue]:
        return (
            values_visible_to(user=self.request.user)
            .select_related("report__province", "indicator")
            .order_by("-report__year", "report__province__code", "indicator__code", "pk")
        )

    def csv_table(self, queryset: QuerySet[ReportedValue]) -> Table:
        return Table("values", COLUMNS, value_rows(queryset))


@_list_schema(
    s.ProgressOut,
    description=gettext_lazy(
        "Stored target-vs-actual figures, computed from approved values only (public)."
    ),
)
class ProgressList(CsvListView):
    serializer_class = s.ProgressOut
    filterset_class = ProgressFilter
    queryset = Progress.objects.select_related("indicator", "province").order_by(
        "indicator__code", "year", "province_id", "origin", "pk"
    )

    def csv_table(self, queryset: QuerySet[Progress]) -> Table:
        return Table("progress", PROGRESS_COLUMNS, progress_rows(queryset))


class ReportingStatusView(APIView):
    @extend_schema(
        description=gettext_lazy(
            "The ministry's grid: units in force × years, each report's status, late ones "
            "flagged. Anyone else: 404."
        ),
        parameters=[
            OpenApiParameter(
                "year_from",
                OpenApiTypes.INT,
                description=gettext_lazy(
                    "First year. Only reportable years are shown, none when no year asked "
                    "for is; without either bound, the five years up to the one due."
                ),
            ),
            OpenApiParameter(
                "year_to",
                OpenApiTypes.INT,
                description=gettext_lazy("Last year; not before `year_from`."),
            ),
            FORMAT_PARAMETER,
            ENCODING_PARAMETER,
        ],
        responses={
            (200, "application/json"): s.ReportingStatusOut,
            (200, "text/csv"): OpenApiTypes.STR,
            400: BAD_FILTER,
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request) -> Any:
        export = export_for(user=request.user, dataset="status", params=request.query_params)
        if wants_csv(request):
            return csv_response(export.data(), bom=csv_bom(request), filename="sxtd-status")
        grid = export.source
        data = {
            "years": grid.years,
            "deadlines": {str(year): due for year, due in grid.deadlines.items()},
            "counts": {str(year): counts for year, counts in grid.counts.items()},
            "rows": [
                {
                    "unit": unit.pk,
                    "unit_code": unit.code,
                    "unit_name": unit.name,
                    "unit_valid_from": unit.valid_from,
                    "cells": [
                        {
                            "year": cell.year,
                            "status": cell.status,
                            "late": cell.late,
                            "reports": [report.pk for report in cell.reports],
                            "parts": [
                                {
                                    "unit": part.area.pk,
                                    "unit_code": part.area.code,
                                    "unit_name": part.area.name,
                                    "unit_valid_from": part.area.valid_from,
                                    "unit_valid_to": part.area.valid_to,
                                    "status": part.status,
                                    "late": part.late,
                                    "report": part.report.pk if part.report else None,
                                }
                                for part in cell.parts
                            ],
                        }
                        for cell in cells
                    ],
                }
                for unit, cells in grid.rows
            ],
        }
        return Response(s.ReportingStatusOut(data).data)


# ------------------------------------------------------------------ reports


def _with_etag(response: Response, report: Report) -> Response:
    response["ETag"] = f'"{report.version}"'
    return response


def _detail(report: Report, request: Request, *, code: int = 200) -> Response:
    history = ReportTransition.objects.select_related("by").order_by("at", "pk")
    if not user_sees_history(user=request.user, report=report):
        history = history.none()
    report = (
        Report.objects.select_related("province")
        .prefetch_related(
            Prefetch(
                "values",
                queryset=ReportedValue.objects.select_related("report__province", "indicator"),
            ),
            Prefetch("transitions", queryset=history),
        )
        .get(pk=report.pk)
    )
    return _with_etag(
        Response(s.ReportDetailOut(report, context={"request": request}).data, status=code),
        report,
    )


def _expected_version(request: Request, report: Report) -> int:
    """The version If-Match names; 428 without it, 412 when it is not the current one."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired(
            _("Send If-Match with the report's ETag, so that no one's changes are overwritten.")
        )
    if header == "*":
        return report.version
    tags = {tag.strip().removeprefix("W/").strip('"') for tag in header.split(",")}
    if str(report.version) not in tags:
        raise PreconditionFailed(
            _("The report was changed by someone else after you opened it."),
            current=report.version,
        )
    return report.version


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=True,
    description=gettext_lazy('The report\'s ETag, as the last read gave it (e.g. `"3"`).'),
)
IF_MATCH_MISSING = OpenApiResponse(description=gettext_lazy("If-Match missing."))
WRITE_RESPONSES = {
    400: OpenApiResponse(
        description=gettext_lazy("Validation: {errors: {indicator code: {field: reason}}}.")
    ),
    404: NOT_FOUND,
    412: OpenApiResponse(description=gettext_lazy("The report changed since that ETag.")),
    428: IF_MATCH_MISSING,
}


class ReportListCreate(CsvListView):
    serializer_class = s.ReportOut
    filterset_class = ReportFilter

    def get_queryset(self) -> QuerySet[Report]:
        return (
            reports_visible_to(user=self.request.user)
            .select_related("province")
            .order_by("-year", "province__code", "pk")
        )

    def csv_table(self, queryset: QuerySet[Report]) -> Table:
        return Table(
            "reports",
            REPORT_COLUMNS,
            report_rows(queryset, history_units=history_units_for(user=self.request.user)),
        )

    @_list_schema(
        s.ReportOut,
        description=gettext_lazy(
            "Yearly reports the person may see (drafts only of their own units)."
        ),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        description=gettext_lazy("Open (or find) a unit's report for a year."),
        request=s.ReportOpenIn,
        responses={201: s.ReportDetailOut, **WRITE_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        data = _valid(s.ReportOpenIn, request)
        province = None
        if data["unit"] is not None:
            province = Province.objects.filter(
                pk__in=provinces_reported_by(user=request.user), pk=data["unit"]
            ).first()
            if province is None:
                raise Http404
        report = report_open(province=province, year=data["year"], by=request.user)
        return _detail(report, request, code=status.HTTP_201_CREATED)


def _valid(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ReportDetail(APIView):
    @extend_schema(
        description=gettext_lazy(
            "A report with its values; the ETag header is its version, for If-Match."
        ),
        responses={200: s.ReportDetailOut, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _detail(report_get_for_user(user=request.user, pk=pk), request)


def _valid_items(
    serializer_class: Any, key: str, request: Request, context: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The items of the list ``key`` (values, assessments) as given, or the reasons in the
    services' shape (by indicator code, then field), so that a script reads one kind of 400
    whichever check refused an item."""
    serializer = serializer_class(data=request.data, context=context or {})
    if serializer.is_valid():
        return serializer.validated_data
    items = serializer.errors.get(key)
    # DRF gives a list's errors as {index: errors} (or a list aligned with the input).
    if isinstance(items, list) and all(isinstance(item, dict) for item in items):
        items = dict(enumerate(items))
    if not isinstance(items, dict) or not all(isinstance(key, int) for key in items):
        serializer.is_valid(raise_exception=True)
    given = request.data.get(key) or []
    errors: dict[str, dict[str, str]] = {}
    for index, problems in sorted(items.items()):
        if not problems:
            continue
        item = given[index] if index < len(given) and isinstance(given[index], dict) else {}
        code = str(item.get("indicator") or f"#{index + 1}")
        errors[code] = {
            name: str(messages[0] if isinstance(messages, list) else messages)
            for name, messages in problems.items()
        }
    raise ReportValidationError(errors)


class ReportValues(APIView):
    """Enter values, as the form does: PUT gives the report's whole set (a value or a field
    left out is cleared), PATCH changes only the values given, and of each only the fields
    given, keeping the rest as the import keeps a missing column."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=s.ValuesIn,
        parameters=[IF_MATCH],
        responses={200: s.ReportDetailOut, **WRITE_RESPONSES},
    )
    def put(self, request: Request, pk: int) -> Response:
        return self._save(request, pk, replace=True)

    @extend_schema(
        request=s.ValuesIn,
        parameters=[IF_MATCH],
        responses={200: s.ReportDetailOut, **WRITE_RESPONSES},
    )
    def patch(self, request: Request, pk: int) -> Response:
        return self._save(request, pk, replace=False)

    def _save(self, request: Request, pk: int, *, replace: bool) -> Response:
        report = report_get_for_user(user=request.user, pk=pk)
        if not user_can_edit_report(user=request.user, report=report):
            raise Http404
        indicators = report_form_indicators(report=report)
        data = _valid_items(
            s.ValuesIn, "values", request, context={"indicators": indicators, "report": report}
        )
        expected = _expected_version(request, report)
        unknown = {
            item["indicator"]: {"indicator": _("not an indicator of this report")}
            for item in data["values"]
            if item["indicator"] not in indicators
        }
        if unknown:
            raise ReportValidationError(unknown)
        given = [{**item, "indicator": indicators[item["indicator"]]} for item in data["values"]]
        write = {
            "report": report,
            "by": request.user,
            "path": ValueChange.Path.API,
            "expected_version": expected,
        }
        if replace:
            # The whole set: a field left out of a value is blank, as a value left out is.
            values = [ValueInput(**{"value": None, **item}) for item in given]
            named = {item.indicator.pk for item in values}
            values += [
                ValueInput(indicator=value.indicator, value=None)
                for value in report.values.select_related("indicator")
                if value.indicator_id not in named
            ]
            report_values_save(values=values, **write)
        else:
            report_values_patch(given=given, **write)
        return _detail(report, request)


class _Transition(APIView):
    permission_classes = [IsAuthenticated]
    # The body's serializer, with its "reason"; None for a step that takes no text.
    reason_in: type[serializers.Serializer] | None = None

    def allowed(self, request: Request, report: Report) -> bool:
        return user_can_review(user=request.user)

    def act(self, report: Report, request: Request, reason: str) -> Report:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        report = report_get_for_user(user=request.user, pk=pk)
        if not self.allowed(request, report):
            raise Http404
        reason = _valid(self.reason_in, request)["reason"] if self.reason_in else ""
        with transaction.atomic():
            report = Report.objects.select_for_update().get(pk=report.pk)
            _expected_version(request, report)
            report = self.act(report, request, reason)
        return _detail(report, request)


TRANSITION_SCHEMA = {
    "parameters": [IF_MATCH],
    "responses": {200: s.ReportDetailOut, **WRITE_RESPONSES},
}


class ReportSubmit(_Transition):
    def allowed(self, request: Request, report: Report) -> bool:
        return user_can_edit_report(user=request.user, report=report)

    def act(self, report: Report, request: Request, reason: str) -> Report:
        return report_submit(report=report, by=request.user)

    @extend_schema(
        description=gettext_lazy("Send the report to the ministry (officers of the unit)."),
        request=None,
        **TRANSITION_SCHEMA,
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class ReportApprove(_Transition):
    reason_in = s.ApprovalIn

    def act(self, report: Report, request: Request, reason: str) -> Report:
        return report_approve(report=report, by=request.user, note=reason)

    @extend_schema(
        description=gettext_lazy("Approve a submitted report, with an optional note (ministry)."),
        request=s.ApprovalIn,
        **TRANSITION_SCHEMA,
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class ReportReturn(_Transition):
    reason_in = s.ReasonIn

    def act(self, report: Report, request: Request, reason: str) -> Report:
        return report_return(report=report, by=request.user, reason=reason)

    @extend_schema(
        description=gettext_lazy(
            "Return a submitted report to its officers with a reason (ministry)."
        ),
        request=s.ReasonIn,
        **TRANSITION_SCHEMA,
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class ReportReopen(_Transition):
    reason_in = s.ReasonIn

    def act(self, report: Report, request: Request, reason: str) -> Report:
        return report_reopen(report=report, by=request.user, reason=reason)

    @extend_schema(
        description=gettext_lazy(
            "Unlock an approved report for correction, with a reason (ministry)."
        ),
        request=s.ReasonIn,
        **TRANSITION_SCHEMA,
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class ReportAssessments(APIView):
    """The reviewer's judgement of the report's qualitative results, as on its page."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=s.AssessmentsIn,
        parameters=[IF_MATCH],
        responses={200: s.ReportDetailOut, **WRITE_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        """Assess qualitative results (e.g. SCP-01) of a submitted or approved report:
        achieved, not_achieved, on_track, at_risk or off_track; "" withdraws the assessment
        (ministry). Progress reads it once the report is approved; on an approved report the
        figures are recomputed."""
        report = report_get_for_user(user=request.user, pk=pk)
        if not user_can_review(user=request.user):
            raise Http404
        items = _valid_items(s.AssessmentsIn, "assessments", request)["assessments"]
        assessments = _by_indicator_id(items)
        with transaction.atomic():
            report = Report.objects.select_for_update().get(pk=report.pk)
            report_assess(
                report=report,
                by=request.user,
                assessments=assessments,
                expected_version=_expected_version(request, report),
            )
        return _detail(report, request)


def _by_indicator_id(items: list[dict[str, str]]) -> dict[int, str]:
    """The assessments keyed as the service takes them; a code that names no indicator, or
    one given twice (the later would silently win), is refused under that code."""
    codes = Counter(item["indicator"] for item in items)
    ids = dict(Indicator.objects.filter(code__in=codes).values_list("code", "pk"))
    errors: dict[str, dict[str, str]] = {}
    for code, given in codes.items():
        if code not in ids:
            errors[code] = {"indicator": _("not an indicator of this report")}
        elif given > 1:
            errors[code] = {
                "indicator": _("%(code)s is given more than once: give each indicator once")
                % {"code": code}
            }
    if errors:
        raise ReportValidationError(errors)
    return {ids[item["indicator"]]: item["status"] for item in items}
