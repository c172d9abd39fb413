from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import User
from indicators.templatetags.figures import figure
from provinces.models import Province

from .forms import (
    ApprovalNoteForm,
    AssessmentForm,
    ImportUploadForm,
    OpenReportForm,
    ReasonForm,
    ReportingStatusFilterForm,
    ReportListFilterForm,
    ReportValuesForm,
    TemplateForm,
)
from .import_services import (
    ImportApplyError,
    import_batch_get_for_user,
    import_batch_preview,
    report_import_apply,
    report_import_template,
    report_import_upload,
)
from .imports import COLUMNS, REQUIRED_COLUMNS, ImportFileError
from .models import Report, ReportedValue, ValueChange
from .selectors import (
    deadline_of,
    deadlines_for,
    import_room_in,
    provinces_reported_by,
    report_changes,
    report_empty_lines,
    report_form_rows,
    report_get_for_user,
    report_is_late,
    report_open_choices,
    report_return_step,
    report_scope,
    report_transitions,
    report_values,
    reportable_years,
    reporting_status,
    reporting_status_rows,
    reporting_status_years,
    reports_visible_to,
    unit_reports_in,
    user_can_assess,
    user_can_edit_report,
    user_can_import_into,
    user_can_review,
    user_sees_history,
    user_writes_report,
    year_due,
)
from .services import (
    ReportConflictError,
    ReportValidationError,
    report_approve,
    report_assess,
    report_open,
    report_reopen,
    report_return,
    report_submit,
    report_values_save,
    unit_year_refusal,
)


def report_list(request: HttpRequest) -> HttpResponse:
    filters = ReportListFilterForm(request.GET)
    page = None
    status, year = "", ""
    if filters.is_valid():
        reports = reports_visible_to(user=request.user)
        status, year = filters.cleaned_data["status"], filters.cleaned_data["year"]
        if status:
            reports = reports.filter(status=status)
        if year is not None:
            reports = reports.filter(year=year)
        year = "" if year is None else str(year)
        page = Paginator(reports.order_by("-year", "province__code"), 50).get_page(
            request.GET.get("page")
        )
    today = timezone.localdate()
    choices = report_open_choices(user=request.user, today=today)
    # Back from a refused opening (report_open_view), the form keeps the unit and year tried.
    tried_year = request.GET.get("open_year", "")
    open_year = int(tried_year) if tried_year.isdigit() else choices.default_year
    can_open_national = (
        request.user.is_authenticated and request.user.role == User.Role.ADMINISTRATOR
    )
    return render(
        request,
        "reports/report_list.html",
        {
            "filters": filters,
            "page": page,
            "status": status,
            "year": year,
            "own_units": choices.units,
            "offered": choices.offered,
            "own_unit_ids": {unit.pk for unit in choices.units},
            "can_import": import_room_in(choices=choices),
            "can_open_national": can_open_national,
            # To those who file or review reports: which year is due, and by when.
            "deadline": deadline_of(year=choices.default_year, today=today)
            if choices.units or user_can_review(user=request.user)
            else None,
            "years": choices.years,
            "default_year": open_year if open_year in choices.years else choices.default_year,
            "open_unit": request.GET.get("open_unit", ""),
            "export_query": urlencode(
                {"status": status, "year_from": year, "year_to": year}
                if year
                else {"status": status}
            ),
        },
        # Refused filters: the form says why, and no list stands as if filtered.
        status=200 if page is not None else 400,
    )


@login_required
@require_POST
def report_open_view(request: HttpRequest) -> HttpResponse:
    form = OpenReportForm(request.POST)
    if not form.is_valid():
        raise Http404
    province_pk = form.cleaned_data["province"]
    province = None
    if province_pk is not None:
        province = (
            Province.objects.filter(pk__in=provinces_reported_by(user=request.user))
            .filter(pk=province_pk)
            .first()
        )
        if province is None:
            raise Http404
    try:
        report = report_open(province=province, year=form.cleaned_data["year"], by=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ReportValidationError as error:
        messages.error(request, str(error))
        tried = {"open_unit": province_pk or "national", "open_year": form.cleaned_data["year"]}
        return redirect(f"{reverse('report-list')}?{urlencode(tried)}")
    return redirect("report-edit", pk=report.pk)


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _report_page(request, report_get_for_user(user=request.user, pk=pk))


def _report_page(
    request: HttpRequest, report: Report, reason_form: ReasonForm | None = None
) -> HttpResponse:
    """The report page; ``reason_form``, a review step's reason refused, shown again with
    its error beside the box it is typed in."""
    user = request.user
    values = report_values(report=report)
    history = user_sees_history(user=user, report=report)
    deadline = deadlines_for(years=[report.year])[report.year]
    can_edit = user_can_edit_report(user=user, report=report)
    assessment = None
    if user_can_assess(user=user, report=report):
        assessment = AssessmentForm(
            values=[v for v in values if v.indicator.is_qualitative],
            initial={"version": report.version},
        )
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "scope": report_scope(report=report),
            "rows": [
                (
                    value,
                    assessment.field_for(value)
                    if assessment and value.indicator.is_qualitative
                    else None,
                )
                for value in values
            ],
            "assessment": assessment,
            "changes": report_changes(report=report) if history else [],
            "transitions": report_transitions(report=report) if history else [],
            "returned": report_return_step(report=report) if history else None,
            "can_edit": can_edit,
            # Before sending, the lines still empty, to those who can fill them.
            "empty_lines": report_empty_lines(report=report) if can_edit else None,
            "can_import": user_can_import_into(user=user, report=report),
            "can_review": user_can_review(user=user),
            "reason_form": reason_form or ReasonForm(),
            # Its own ids: the approval's note box sits beside the return's reason box.
            "approval_form": ApprovalNoteForm(auto_id="id_approval_%s"),
            "deadline": deadline,
            # As the status page flags it, to those who see the review: the page's "sent"
            # is the latest sending, which alone cannot say whether the unit was late.
            "late": history
            and report_is_late(report=report, due=deadline, today=timezone.localdate()),
        },
    )


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_get_for_user(user=request.user, pk=pk)
    if not user_can_edit_report(user=request.user, report=report):
        if user_writes_report(user=request.user, report=report):
            # Its own officer, on a bookmarked form of a report now locked: say so.
            messages.info(
                request,
                _("This report is %(status)s: it can no longer be edited.")
                % {"status": report.get_status_display()},
            )
            return redirect("report-detail", pk=report.pk)
        raise Http404
    rows = report_form_rows(report=report)
    conflict = None
    if request.method == "POST":
        form = ReportValuesForm(request.POST, request.FILES, rows=rows, year=report.year)
        if form.is_valid():
            try:
                changed = report_values_save(
                    report=report,
                    values=form.value_inputs(),
                    by=request.user,
                    path=ValueChange.Path.FORM,
                    expected_version=form.cleaned_data["version"],
                )
            except ReportValidationError as error:
                form.add_service_errors(error.errors)
            except ReportConflictError as error:
                conflict = error
            else:
                messages.success(
                    request,
                    ngettext(
                        "Saved: %(count)s value changed.",
                        "Saved: %(count)s values changed.",
                        changed,
                    )
                    % {"count": figure(changed)}
                    if changed
                    else _("Saved: nothing changed."),
                )
                return redirect("report-detail", pk=report.pk)
        else:
            form.add_rule_errors()
        form.ask_for_files_again()
    else:
        form = ReportValuesForm(rows=rows, year=report.year, initial={"version": report.version})
    return render(
        request,
        "reports/report_edit.html",
        {
            "report": report,
            "scope": report_scope(report=report),
            "form": form,
            "conflict": conflict,
            # What the ministry asked to correct, beside the fields it is corrected in.
            "returned": report_return_step(report=report),
        },
    )


def _act(request: HttpRequest, pk: int, action, done: str, refused=str) -> HttpResponse:  # type: ignore[no-untyped-def]
    """Run a review step and say what happened: ``done`` names the report as
    ``%(report)s``; ``refused`` words a ReportValidationError."""
    report = report_get_for_user(user=request.user, pk=pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        action(report=report, by=request.user, reason=form.cleaned_data.get("reason", ""))
    except PermissionDenied:
        raise Http404 from None
    except ReportValidationError as error:
        if reason := error.errors.get("", {}).get("reason"):
            # Not a notice above the page after a redirect: the box is marked and
            # described by the message, and the reviewer's cursor is in it.
            form.add_error("reason", reason)
            form.fields["reason"].widget.attrs["autofocus"] = True
            return _report_page(request, report, reason_form=form)
        messages.error(request, refused(error))
    else:
        messages.success(request, done % {"report": report})
    return redirect("report-detail", pk=report.pk)


@login_required
@require_POST
def report_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda report, by, reason: report_submit(report=report, by=by),
        _("Submitted: %(report)s has been sent to the ministry for review."),
        _submit_refused,
    )


def _submit_refused(error: ReportValidationError) -> str:
    """Why a report was not sent. The lines still lacking a value are listed on the report
    page the refusal lands on, each linked to its field (``report_empty_lines``, the same
    rule as ``report_submit``'s): the message points there rather than list them again."""
    if not any(error.errors):
        return str(error)
    return _("Not sent: the lines listed below need a value first.")


@login_required
@require_POST
def report_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda report, by, reason: report_approve(report=report, by=by, note=reason),
        _("Approved: the figures of %(report)s are locked and now public."),
    )


@login_required
@require_POST
def report_return_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        report_return,
        _("Returned: %(report)s has been sent back to the unit with your reason."),
    )


@login_required
@require_POST
def report_reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        report_reopen,
        _(
            "Reopened: %(report)s is open to the unit for correction; its figures are not "
            "public until it is approved again."
        ),
    )


@login_required
@require_POST
def report_assess_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_get_for_user(user=request.user, pk=pk)
    values = [v for v in report_values(report=report) if v.indicator.is_qualitative]
    form = AssessmentForm(request.POST, values=values)
    if not form.is_valid():
        raise Http404
    try:
        changed = report_assess(
            report=report,
            by=request.user,
            assessments=form.assessments(),
            expected_version=form.cleaned_data["version"],
        )
    except PermissionDenied:
        raise Http404 from None
    except ReportValidationError as error:
        messages.error(request, str(error))
    except ReportConflictError:
        messages.error(
            request, _("The report changed since you opened it: nothing was saved. Look again.")
        )
    else:
        messages.success(
            request,
            ngettext(
                "Assessment saved: %(count)s result changed.",
                "Assessment saved: %(count)s results changed.",
                changed,
            )
            % {"count": figure(changed)}
            if changed
            else _("Assessment saved: nothing changed."),
        )
    return redirect("report-detail", pk=report.pk)


def evidence_download(request: HttpRequest, pk: int, value_pk: int) -> HttpResponse:
    """Evidence is served only to those who may see the report, never from /media/."""
    report = report_get_for_user(user=request.user, pk=pk)
    value = get_object_or_404(ReportedValue, pk=value_pk, report=report)
    if not value.evidence_file:
        raise Http404
    return FileResponse(value.evidence_file.open("rb"), as_attachment=True)


@login_required
def reporting_status_view(request: HttpRequest) -> HttpResponse:
    if not user_can_review(user=request.user):
        raise Http404
    today = timezone.localdate()
    reportable = reportable_years(today=today)
    choices = [("none", _("no report")), *Report.Status.choices, ("late", _("late"))]
    filters = ReportingStatusFilterForm(request.GET, years=reportable, statuses=choices)
    if not filters.is_valid():
        # The form says why, and no grid of other years stands as if asked for.
        return render(request, "reports/reporting_status.html", {"filters": filters}, status=400)
    years = reporting_status_years(
        first=filters.cleaned_data["from"],
        to=filters.cleaned_data["to"],
        years=reportable,
        today=today,
    )
    status = filters.cleaned_data["status"]
    grid = reporting_status(years=years, today=today, deadlines=deadlines_for(years=years))
    return render(
        request,
        "reports/reporting_status.html",
        {
            # As the grid reads it: without a year asked for, the five up to the one due.
            "filters": ReportingStatusFilterForm(
                initial={"from": years[0], "to": years[-1], "status": status},
                years=reportable,
                statuses=choices,
            ),
            "grid": grid,
            "columns": [(year, grid.deadlines[year]) for year in years],
            "year_due": year_due(years=reportable, today=today),
            "totals": [
                (label, [grid.counts[year][code] for year in years]) for code, label in choices
            ],
            "rows": reporting_status_rows(grid=grid, status=status),
            "export_query": urlencode({"year_from": years[0], "year_to": years[-1]}),
        },
    )


def _officer(request: HttpRequest) -> User:
    """Imports are the officers' way of entering values; anyone else is told nothing."""
    if request.user.role != User.Role.OFFICER:
        raise Http404
    return request.user


@login_required
def report_template(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = report_get_for_user(user=request.user, pk=pk)
    if fmt not in {"xlsx", "csv"} or report.province_id not in provinces_reported_by(
        user=request.user
    ):
        raise Http404
    return _template_response(report, fmt)


@login_required
def report_unit_template(request: HttpRequest) -> HttpResponse:
    """The template of a unit and year the officer reports for, before any report exists:
    downloading it opens nothing."""
    officer = _officer(request)
    form = TemplateForm(request.GET)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    if data["province"] not in provinces_reported_by(user=officer) or (
        data["year"] not in reportable_years()
    ):
        raise Http404
    province = get_object_or_404(Province, pk=data["province"])
    if not unit_reports_in(province=province, year=data["year"]):
        messages.error(request, unit_year_refusal(province, data["year"]))
        return redirect("report-import")
    report = Report.objects.filter(province=province, year=data["year"]).first() or Report(
        province=province, year=data["year"]
    )
    return _template_response(report, data["format"])


def _template_response(report: Report, fmt: str) -> HttpResponse:
    content, filename, content_type = report_import_template(report=report, fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def report_import(request: HttpRequest) -> HttpResponse:
    officer = _officer(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = report_import_upload(content=upload.read(), filename=upload.name, by=officer)
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("report-import-preview", pk=batch.pk)
    choices = report_open_choices(user=officer)
    reports = (
        reports_visible_to(user=officer)
        .filter(province_id__in=[unit.pk for unit in choices.units])
        .order_by("-year", "province__code")
    )
    return render(
        request,
        "reports/report_import.html",
        {
            "form": form,
            "reports": reports,
            "columns": REQUIRED_COLUMNS,
            "optional_columns": [c for c in COLUMNS if c not in REQUIRED_COLUMNS],
            "offered": choices.offered,
            "years": choices.years,
            "default_year": choices.default_year,
            "max_mb": settings.IMPORT_MAX_BYTES // 2**20,
            "max_rows": settings.IMPORT_MAX_ROWS,
        },
    )


PREVIEW_ROWS_PER_PAGE = 500


@login_required
def report_import_preview_view(request: HttpRequest, pk: int) -> HttpResponse:
    batch = import_batch_get_for_user(user=request.user, pk=pk)
    try:
        preview = import_batch_preview(batch=batch, by=request.user)
    except ImportFileError as error:  # the limits were lowered since the upload
        messages.error(request, str(error))
        return redirect("report-import")
    # The errors are listed whole above the table; the rows, a page at a time, so that a
    # national file of thousands of rows still opens quickly.
    rows = Paginator(preview.rows, PREVIEW_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reports/report_import_preview.html", {"preview": preview, "rows": rows})


@login_required
@require_POST
def report_import_apply_view(request: HttpRequest, pk: int) -> HttpResponse:
    batch = import_batch_get_for_user(user=request.user, pk=pk)
    try:
        result = report_import_apply(
            batch=batch, by=request.user, digest=request.POST.get("digest", "")
        )
    except (ImportApplyError, ImportFileError) as error:  # errors, stale preview, applied
        messages.error(request, str(error))
        return redirect("report-import-preview", pk=batch.pk)
    except ReportConflictError:
        messages.error(
            request,
            _("Someone changed one of the reports while you were importing; nothing was changed."),
        )
        return redirect("report-import-preview", pk=batch.pk)
    messages.success(
        request,
        ngettext(
            "Imported: %(count)s value changed.",
            "Imported: %(count)s values changed.",
            result.changed,
        )
        % {"count": figure(result.changed)}
        if result.changed
        else _("Imported: nothing changed."),
    )
    if len(result.reports) == 1:
        return redirect("report-detail", pk=result.reports[0].pk)
    return redirect("report-list")
