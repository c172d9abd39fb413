from dataclasses import replace
from datetime import date
from pathlib import Path, PurePosixPath

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from exports.filters import BOUND_MESSAGES
from indicators.models import Indicator
from indicators.templatetags.figures import figure_typed

from .models import Report, ReportedValue
from .numbers import DayError, NumberError, parse_day, parse_number, two_way_question
from .selectors import FormRow
from .services import ValueInput, unkept_errors, value_errors

# The service names a value's fields as ValueInput does; the form, as the officer reads them.
SERVICE_NAMES = {"evidence_url": "link", "evidence_file": "file"}

EVIDENCE_EXTENSIONS = {".pdf", ".png", ".jpg", ".jpeg", ".xlsx", ".xls", ".csv", ".ods"}


class NumberField(forms.CharField):
    """Accepts 21,6 and 21.6 alike; the widget shows what was typed.

    "1.500" is asked about (``two_way_question``), unless it is the stored figure shown
    back (``kept``) or a share, which cannot be 1500 (``grouping_possible``)."""

    def __init__(self, *, kept: str = "", grouping_possible: bool = True, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.kept = kept
        self.grouping_possible = grouping_possible

    def to_python(self, value: str | None):  # type: ignore[no-untyped-def]
        text = super().to_python(value) or ""
        try:
            number = parse_number(text)
        except NumberError as error:
            raise forms.ValidationError(str(error)) from None
        question = two_way_question(text, kept=self.kept, grouping_possible=self.grouping_possible)
        if question:
            raise forms.ValidationError(question)
        return number


class DayField(forms.CharField):
    """Accepts 15/7/2024 as Vietnamese write it, and 2024-07-15; the widget shows what was
    typed, so a refused day is corrected, not retyped."""

    # Worded as the error that refuses a day words it, in the page's language.
    widget = forms.TextInput(
        attrs={"placeholder": gettext_lazy("dd/mm/yyyy"), "autocomplete": "off"}
    )

    def to_python(self, value: str | None):  # type: ignore[no-untyped-def]
        text = super().to_python(value)
        try:
            return parse_day(text or "")
        except DayError as error:
            raise forms.ValidationError(str(error)) from None


class EvidenceFileInput(forms.ClearableFileInput):
    """The chooser alone: the entry form shows the stored file as the field's description,
    linked to the report's permission-checked download rather than to /media/, and the
    "remove" box under it (``templates/reports/report_edit.html``)."""

    template_name = "django/forms/widgets/file.html"


def _evidence_file_field(current: ReportedValue | None) -> forms.FileField:
    stored = current.evidence_file if current is not None else None
    field = forms.FileField(
        label=gettext_lazy("evidence file"),
        required=False,
        widget=EvidenceFileInput,
        error_messages={
            "contradiction": gettext_lazy("choose a new file or remove the stored one, not both")
        },
    )
    if stored:
        # Its initial, whether the form is bound or not: shown again after a refused save,
        # and what a chooser left empty cleans to (``_input``).
        field.initial = stored
        field.help_text = format_html(
            '{}: <a href="{}">{}</a>; {}',
            _("stored file"),
            reverse("report-evidence", args=[current.report_id, current.pk]),  # type: ignore[union-attr]
            PurePosixPath(stored.name).name,
            _("a file chosen here replaces it"),
        )
    return field


def _evidence(
    file: UploadedFile | FieldFile | bool | None,
) -> UploadedFile | FieldFile | bool | None:
    if not isinstance(file, UploadedFile):
        return file  # none chosen, the stored one kept, or removed (False)
    if Path(file.name or "").suffix.lower() not in EVIDENCE_EXTENSIONS:
        raise forms.ValidationError(
            _("evidence must be a PDF, an image or a spreadsheet (%(kinds)s)")
            % {"kinds": ", ".join(sorted(EVIDENCE_EXTENSIONS))}
        )
    if file.size and file.size > settings.EVIDENCE_MAX_BYTES:
        raise forms.ValidationError(
            _("evidence files are limited to %(mb)d MB")
            % {"mb": settings.EVIDENCE_MAX_BYTES // 2**20}
        )
    return file


class ReportValuesForm(forms.Form):
    """One group of fields per form row, named after the indicator code."""

    # Fields no rule reads a row's figure from: with only these unread, the rules still run.
    ASIDE_FIELDS = frozenset({"as_of", "link", "file"})
    FIELDS = (
        "value",
        "qualifier",
        "numerator",
        "denominator",
        "as_of",
        "note",
        "source",
        "link",
        "file",
    )
    # A qualitative indicator (SCP-01: policies built) is reported in words; the reviewer
    # judges it. Its number fields (and the day a figure was counted) exist, empty, so that
    # every row reads alike.
    QUALITATIVE_FIELDS = ("note", "source", "link", "file")

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, rows: list[FormRow], year: int, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.year = year
        for row in rows:
            code = row.indicator.code
            current = row.current
            qualitative = row.indicator.is_qualitative
            self.fields[f"{code}-value"] = NumberField(
                label=gettext_lazy("value"),
                required=False,
                kept=_typed(current, "value"),
                grouping_possible=row.indicator.measure != Indicator.Measure.PERCENT,
            )
            self.fields[f"{code}-qualifier"] = forms.ChoiceField(
                label=gettext_lazy("qualifier"),
                choices=ReportedValue.Qualifier.choices,
                initial=ReportedValue.Qualifier.EXACT,
                required=not qualitative,
            )
            self.fields[f"{code}-numerator"] = NumberField(
                label=gettext_lazy("numerator"), required=False, kept=_typed(current, "numerator")
            )
            self.fields[f"{code}-denominator"] = NumberField(
                label=gettext_lazy("denominator"),
                required=False,
                kept=_typed(current, "denominator"),
            )
            self.fields[f"{code}-as_of"] = DayField(
                label=pgettext_lazy("value form", "as of"),
                required=False,
                help_text=gettext_lazy("empty for the whole year's figure")
                if year < timezone.localdate().year
                # Progress reads a figure of a year not yet over, given without a day, as
                # of the day its report is sent: the help says what the empty field means.
                else gettext_lazy("empty: the figure as of the day the report is sent"),
            )
            self.fields[f"{code}-note"] = forms.CharField(
                label=gettext_lazy("result, in words") if qualitative else gettext_lazy("note"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 4 if qualitative else 2}),
            )
            self.fields[f"{code}-source"] = forms.CharField(
                label=gettext_lazy("source"), required=False
            )
            self.fields[f"{code}-link"] = forms.URLField(
                label=gettext_lazy("evidence link"), required=False, assume_scheme="https"
            )
            self.fields[f"{code}-file"] = _evidence_file_field(current)
            if current is not None and not self.is_bound:
                self.initial.update(
                    {
                        f"{code}-value": _typed(current, "value"),
                        f"{code}-qualifier": current.qualifier,
                        f"{code}-numerator": _typed(current, "numerator"),
                        f"{code}-denominator": _typed(current, "denominator"),
                        f"{code}-as_of": _day_shown(current.as_of),
                        f"{code}-note": current.note,
                        f"{code}-source": current.source,
                        f"{code}-link": current.evidence_url,
                    }
                )

    def grouped(self) -> list[tuple[FormRow, dict[str, forms.BoundField]]]:
        return [
            (
                row,
                {
                    name: self[f"{row.indicator.code}-{name}"]
                    for name in (
                        self.QUALITATIVE_FIELDS if row.indicator.is_qualitative else self.FIELDS
                    )
                },
            )
            for row in self.rows
        ]

    def clean(self):  # type: ignore[no-untyped-def]
        cleaned = super().clean()
        for row in self.rows:
            name = f"{row.indicator.code}-file"
            try:
                cleaned[name] = _evidence(cleaned.get(name))
            except forms.ValidationError as error:
                self.add_error(name, error)
        return cleaned

    def value_inputs(self) -> list[ValueInput]:
        return [self._input(row) for row in self.rows]

    def _input(self, row: FormRow) -> ValueInput:
        data = self.cleaned_data
        code = row.indicator.code
        # A new file, the stored one when none was chosen (a FileField cleans to its
        # initial), or False with "remove" ticked.
        file = data.get(f"{code}-file")
        item = ValueInput(
            indicator=row.indicator,
            value=data[f"{code}-value"],
            qualifier=data[f"{code}-qualifier"] or ReportedValue.Qualifier.EXACT,
            numerator=data[f"{code}-numerator"],
            denominator=data[f"{code}-denominator"],
            note=data[f"{code}-note"].strip(),
            source=data[f"{code}-source"].strip(),
            # A qualitative result takes no day (as_of_errors): one stored before that rule
            # is dropped by the next save, in the change log, not refused in a field the
            # officer cannot see. .get: after a refused day, link or file, the row's numbers
            # are still checked (``add_rule_errors``) without what could not be read.
            as_of=None if row.indicator.is_qualitative else data.get(f"{code}-as_of"),
            evidence_url=data.get(f"{code}-link", ""),
            evidence_file=file if isinstance(file, UploadedFile) else None,
            evidence_file_removed=file is False,
            qualitative_status=row.current.qualitative_status if row.current else "",
        )
        # The reviewer's assessment is kept, not given: a result emptied in the form goes,
        # and its assessment with it (``ValueInput.is_emptied``).
        return replace(item, qualitative_status="") if item.is_emptied else item

    def add_rule_errors(self) -> None:
        """After a refused parse, the rules of the rows whose numbers did parse: one save
        shows every error, not the unreadable numbers first and a negative count on the next
        try, nor an unreadable day first and a count of 1.234,5 on the next."""
        for row in self.rows:
            code = row.indicator.code
            unread = {name for name in self.FIELDS if f"{code}-{name}" in self.errors}
            if unread - self.ASIDE_FIELDS:
                continue
            item = self._input(row)
            found = value_errors(item, previous=row.previous, year=self.year) | unkept_errors(
                item, stored=row.current
            )
            self.add_service_errors(
                {
                    code: {
                        name: message
                        for name, message in found.items()
                        if SERVICE_NAMES.get(name, name) not in unread
                    }
                }
            )

    def add_service_errors(self, errors: dict[str, dict[str, str]]) -> None:
        for code, fields in errors.items():
            for name, message in fields.items():
                field = f"{code}-{SERVICE_NAMES.get(name, name)}" if code else None
                self.add_error(field if field in self.fields else None, message)

    def ask_for_files_again(self) -> None:
        """On a form shown again, unsaved, say so beside each file chosen in it: a browser
        never fills a file input again, and the officer who corrected another field would
        save the row without its evidence."""
        for row in self.rows:
            name = f"{row.indicator.code}-file"
            file = self.files.get(name)
            if file is None or name in self.errors:
                continue  # none chosen, or refused for what it is: its own message says so
            self.add_error(
                name,
                _("the file you chose (%(file)s) was not saved: choose it again")
                % {"file": file.name},
            )


def _typed(current: ReportedValue | None, name: str) -> str:
    # The stored number as its field shows it, and so reads it back unchanged.
    return "" if current is None else figure_typed(getattr(current, name))


def _day_shown(day: date | None) -> str:
    # As the field reads it back in either language: the way Vietnamese write a day.
    return "" if day is None else day.strftime("%d/%m/%Y")


class ReasonForm(forms.Form):
    """The reason a return or reopening gives. The service refuses an empty one, for the
    API too, and its message is the field's error (views._act); ``required`` lets the
    browser say so before sending."""

    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3, "required": True}),
        required=False,
    )


class ApprovalNoteForm(forms.Form):
    """An approval's optional note, posted as ``reason`` as a return's reason is: the review
    steps read their text alike (views._act)."""

    reason = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class AssessmentForm(forms.Form):
    """The reviewer's assessment of each qualitative result, a field per indicator code."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, values: list[ReportedValue], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.values = values
        choices = [("", _("not assessed yet")), *ReportedValue.QualitativeStatus.choices]
        for value in values:
            self.fields[value.indicator.code] = forms.ChoiceField(
                label=value.indicator.code,
                choices=choices,
                required=False,
                initial=value.qualitative_status,
                # The selects sit in the values table, outside the form's own element.
                widget=forms.Select(attrs={"form": "assessment-form"}),
            )

    def field_for(self, value: ReportedValue) -> forms.BoundField:
        return self[value.indicator.code]

    def assessments(self) -> dict[int, str]:
        return {
            value.indicator_id: self.cleaned_data[value.indicator.code] for value in self.values
        }


class OpenReportForm(forms.Form):
    province = forms.IntegerField(required=False)
    year = forms.IntegerField()


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("spreadsheet (.xlsx or .csv)"))

    def clean_file(self) -> UploadedFile:
        file = self.cleaned_data["file"]
        # Checked before the file is read: an oversized upload is refused unread.
        if file.size and file.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": settings.IMPORT_MAX_BYTES // 2**20}
            )
        return file


class TemplateForm(forms.Form):
    """A template for a unit and year, whether or not the report exists yet."""

    province = forms.IntegerField(label=gettext_lazy("Unit"))
    year = forms.IntegerField(label=gettext_lazy("Year"))
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=[("xlsx", ".xlsx"), ("csv", ".csv")]
    )


class FilterForm(forms.Form):
    """A page's filters, read from its address. What cannot be read is refused on its
    field, with the cursor there: ignored, ``?year=2o25`` listed every report under a form
    that seemed to filter them."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def is_valid(self) -> bool:
        if super().is_valid():
            return True
        for name, field in self.fields.items():
            given = self.data.get(self.add_prefix(name), "")
            options = getattr(field.widget, "choices", None)
            if options is not None and given not in {str(value) for value, _ in options}:
                # A value from the address no option holds (2030 in 2026): shown as given,
                # as its refusal names it, not as the list's first option.
                field.widget.choices = [*options, (given, given)]
        refused = [name for name in self.errors if name in self.fields]
        if refused:
            self.fields[refused[0]].widget.attrs["autofocus"] = True
        return False


def _year_field(label: str) -> forms.IntegerField:
    # As the export filters read a year (exports.filters.YearFilter), which the pages'
    # download links carry.
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=32767,
        error_messages=BOUND_MESSAGES,
    )


class ReportListFilterForm(FilterForm):
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    year = _year_field(gettext_lazy("Year"))

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("all")), *Report.Status.choices]
        # Text, not a number input: a browser shows "2o25" in it again, beside its error.
        self.fields["year"].widget = forms.TextInput(attrs={"size": 5, "inputmode": "numeric"})


class ReportingStatusFilterForm(FilterForm):
    """The status grid's span of years and the status its units are picked by. The years
    are those of ``years`` (``reportable_years``) within the span: a span holding none of
    them, or ending before it starts, is refused rather than shown as other years."""

    status = forms.ChoiceField(label=gettext_lazy("Only units with"), required=False)

    def __init__(self, *args, years: range, statuses: list[tuple[str, str]], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.years = years
        # "from" is a keyword: not a class attribute.
        for name, label in [("from", gettext_lazy("From")), ("to", gettext_lazy("to"))]:
            self.fields[name] = _year_field(label)
            self.fields[name].widget = forms.Select(choices=[(year, year) for year in years])
        self.fields["status"].choices = [("", _("any status")), *statuses]
        self.order_fields(["from", "to", "status"])

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        first, to = data.get("from"), data.get("to")
        if first is not None and to is not None and to < first:
            self.add_error(
                "to",
                _("The last year (%(to)s) is before the first (%(first)s).")
                % {"to": to, "first": first},
            )
            return data
        refusal = _("reports cover %(first)d to %(last)d") % {
            "first": self.years.start,
            "last": self.years.stop - 1,
        }
        if first is not None and first >= self.years.stop:
            self.add_error("from", refusal)
        elif to is not None and to < self.years.start:
            self.add_error("to", refusal)
        return data
