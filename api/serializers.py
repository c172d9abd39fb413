"""Explicit output serializers (what the API shows) and input serializers (what it takes)."""

from datetime import date
from decimal import Decimal
from operator import attrgetter
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from exports.tidy import NATIONAL_CODE, MissingUnits, achievement_bound
from indicators.models import Indicator, Target
from indicators.templatetags.figures import figure_typed
from programmes.models import Document
from progress.explanations import value_as_of
from progress.models import Progress
from provinces.models import Province
from reports.models import Report, ReportedValue, ReportTransition
from reports.numbers import NumberError, parse_number, reads_two_ways, two_way_question
from reports.selectors import STATUS_ORDER, user_sees_history

# ------------------------------------------------------------------ output


class UnitKeyOut(serializers.Serializer):
    """The row's unit as the CSV's key columns give it, beside ``unit``, its id: codes are
    reused across the merger (19 is the old and the new Thái Nguyên), so the code with the
    day the unit began and the day it ended tells them apart, and a former unit's rows
    (Bắc Kạn's 2025 figures, filed for its area) from a unit's in force."""

    # The path from the object to its unit.
    unit_path = "province"

    unit_code = serializers.SerializerMethodField(
        help_text='The unit\'s code; "VN" for the nation, as in the CSV.'
    )
    unit_valid_from = serializers.SerializerMethodField(
        help_text="The day the unit began; null for one in force before the tracker's time."
    )
    unit_valid_to = serializers.SerializerMethodField(
        help_text="The day the unit ended (Bắc Kạn: 2025-06-30); null for a unit in force."
    )

    def _unit(self, row: Any) -> Province | None:
        return attrgetter(self.unit_path)(row)

    def get_unit_code(self, row: Any) -> str:
        unit = self._unit(row)
        return NATIONAL_CODE if unit is None else unit.code

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_unit_valid_from(self, row: Any) -> date | None:
        unit = self._unit(row)
        return None if unit is None else unit.valid_from

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_unit_valid_to(self, row: Any) -> date | None:
        unit = self._unit(row)
        return None if unit is None else unit.valid_to


UNIT_KEY_FIELDS = ["unit_code", "unit_valid_from", "unit_valid_to"]


class UnitOut(serializers.ModelSerializer):
    predecessors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Province
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "valid_from",
            "valid_to",
            "successor",
            "predecessors",
            "former_names",
            "note",
            "source",
        ]


class DocumentOut(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(source="province", read_only=True, allow_null=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "number",
            "kind",
            "unit",
            "issued_on",
            "period_start",
            "period_end",
            "title_vi",
            "title_en",
            "issuer",
            "implements",
            "source",
        ]


class IndicatorOut(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name_vi",
            "name_en",
            "unit",
            "unit_en",
            "unit_en_singular",
            "measure",
            "direction",
            "accumulation",
            "rollup",
            "parent",
            "programme",
            "note",
            "note_en",
            "source",
        ]


class TargetOut(UnitKeyOut, serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(source="province", read_only=True, allow_null=True)
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "document",
            "unit",
            *UNIT_KEY_FIELDS,
            "indicator",
            "year",
            "comparator",
            "low",
            "high",
            "approximate",
            "baseline_value",
            "baseline_year",
            "text_vi",
            "note",
            "note_en",
            "source",
        ]


class ValueOut(UnitKeyOut, serializers.ModelSerializer):
    unit_path = "report.province"
    unit = serializers.IntegerField(source="report.province_id", read_only=True, allow_null=True)
    year = serializers.IntegerField(source="report.year", read_only=True)
    report_status = serializers.ChoiceField(
        source="report.status", choices=Report.Status.choices, read_only=True
    )
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ReportedValue
        fields = [
            "id",
            "report",
            "unit",
            *UNIT_KEY_FIELDS,
            "year",
            "report_status",
            "indicator",
            "value",
            "qualifier",
            "numerator",
            "denominator",
            "qualitative_status",
            "as_of",
            "note",
            "source",
            "evidence_url",
        ]


class ProgressOut(UnitKeyOut, serializers.ModelSerializer):
    """A stored figure: one for each unit (or the nation), indicator, year and origin, which
    is its key, as in the progress CSV. It has no id: every recompute writes the table
    anew, so an id would change with each night's run. The unit is given as the CSV's key
    columns too, since codes are reused across the merger (19 is the old and the new Thái
    Nguyên): unit_code with unit_valid_from."""

    unit = serializers.PrimaryKeyRelatedField(source="province", read_only=True, allow_null=True)
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    as_of = serializers.SerializerMethodField(
        help_text="The day the value stands for when it was counted before its year's end "
        "(Hà Nội's SCP-07 80 % as of 2022-07-15; a sum or share with such a part: the earliest "
        "such day); null for a whole year's value and for a row without a value, as the "
        'pages\' "as of" beside the figure.'
    )
    achievement = serializers.DecimalField(
        source="ratio", max_digits=12, decimal_places=4, read_only=True, allow_null=True
    )
    bound = serializers.SerializerMethodField(
        help_text='"lower" / "upper" when the achievement is only a floor or a ceiling (a value '
        'reported as "trên 50"; a sum or share of units that some units did not report into, '
        'whatever its status); "" when exact, as pace_bound and projection_bound.'
    )
    achieved = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text="Whether the row's own figure meets the target in force, taken alone and "
        "whatever the year, by the test its achievement uses (a qualitative result: whether "
        "the reviewer judged it achieved). null when nothing settles it: nothing reported for "
        "the year, no target in force, a qualitative result not yet judged, a bound that does "
        "not settle it, a roll-up that some units did not report into whose part does not "
        "settle it (a sum short of an at-least target: its missing units could still raise "
        "it), or a share pooled from part of the units. Not the status, which judges the "
        "target as seen from as_of_year: a 2022 value short of a 2025 target is false while on "
        "track, a 2030 row with no value null while achieved early.",
    )
    sources = serializers.ListField(child=serializers.CharField(), read_only=True)
    missing = serializers.SerializerMethodField(
        help_text="When partial: the units that did not report into the roll-up, every one "
        "of them (the pages name only the first few), as the pages label them, in the "
        "answer's language: a unit that has ended with its last day (\"Thái Nguyên (đến "
        '30/6/2025)", the old one; "Thái Nguyên (until 30 Jun 2025)" in English).'
    )
    missing_codes = serializers.SerializerMethodField(
        help_text="The same units in the same order, each as its code, with @ and the day it "
        'began when it began in the tracker\'s time ("19" the old Thái Nguyên, '
        '"19@2025-07-01" the new): a name can stand for two units across the merger.'
    )
    pace_bound = serializers.SerializerMethodField(
        help_text='"lower" / "upper" when the pace ratio is a bound, coming from a reported '
        'bound ("trên 55"); else "".'
    )
    projection_bound = serializers.SerializerMethodField(
        help_text='"lower" / "upper" when the projection is a bound; for a decreasing '
        'indicator it is the opposite of pace_bound (a faster fall projects lower); else "".'
    )

    class Meta:
        model = Progress
        fields = [
            "unit",
            *UNIT_KEY_FIELDS,
            "indicator",
            "year",
            "as_of_year",
            "origin",
            "target",
            "value",
            "qualifier",
            "numerator",
            "denominator",
            "as_of",
            "achievement",
            "bound",
            "achieved",
            "status",
            "pace_ratio",
            "pace_bound",
            "projection",
            "projection_bound",
            "partial",
            "missing",
            "missing_codes",
            "explanation_code",
            "sources",
        ]

    def _missing_units(self) -> MissingUnits:
        # Read once for a whole list: the context is the list's, shared by its items.
        if "missing_units" not in self.context:
            self.context["missing_units"] = MissingUnits()
        return self.context["missing_units"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_missing(self, row: Progress) -> list[str]:
        return self._missing_units().names(row.missing_unit_ids or [])

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_missing_codes(self, row: Progress) -> list[str]:
        return self._missing_units().keys(row.missing_unit_ids or [])

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_as_of(self, row: Progress) -> date | None:
        return value_as_of(row.value, (row.explanation_values or {}).get("value_as_of"))

    def get_bound(self, row: Progress) -> str:
        return achievement_bound(row.bound)

    def get_pace_bound(self, row: Progress) -> str:
        return str((row.explanation_values or {}).get("pace_bound", ""))

    def get_projection_bound(self, row: Progress) -> str:
        return str((row.explanation_values or {}).get("projection_bound", ""))


class ReportOut(UnitKeyOut, serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(source="province", read_only=True, allow_null=True)
    first_submitted_at = serializers.SerializerMethodField(
        help_text="When the unit first sent it, by which it is judged late; null for "
        "whoever does not see the report's review history (anyone but the ministry and the "
        "unit's officers), to whom a first sending other than the latest would tell that "
        "the report was returned."
    )

    class Meta:
        model = Report
        fields = [
            "id",
            "unit",
            *UNIT_KEY_FIELDS,
            "year",
            "status",
            "version",
            "submitted_at",
            "first_submitted_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_first_submitted_at(self, report: Report) -> str | None:
        request = self.context.get("request")
        if report.first_submitted_at is None or not (
            request and user_sees_history(user=request.user, report=report)
        ):
            return None
        return serializers.DateTimeField().to_representation(report.first_submitted_at)


class TransitionOut(serializers.ModelSerializer):
    """A step of the review, as the report page's history shows it: a returned report's
    reason is what its officer must act on."""

    by = serializers.CharField(source="by.username", read_only=True)

    class Meta:
        model = ReportTransition
        fields = ["from_status", "to_status", "at", "by", "reason"]


class ReportDetailOut(ReportOut):
    values = ValueOut(many=True, read_only=True)
    transitions = TransitionOut(many=True, read_only=True)

    class Meta(ReportOut.Meta):
        fields = [*ReportOut.Meta.fields, "values", "transitions"]


# A status grid's cell and each report it expects, labelled as the status page shows them.
REPORTING_STATUS_CHOICES = [
    (status, _("no report") if status == "none" else Report.Status(status).label)
    for status in STATUS_ORDER
]


class StatusPartOut(serializers.Serializer):
    """One report the cell expects, as the status export's row and the page's line."""

    unit = serializers.IntegerField(
        help_text="The unit, or former unit whose area the row's unit reports for (Bắc Kạn "
        "in the new Thái Nguyên's row)."
    )
    unit_code = serializers.CharField()
    unit_name = serializers.CharField()
    unit_valid_from = serializers.DateField(allow_null=True)
    unit_valid_to = serializers.DateField(allow_null=True, help_text="null for a unit in force.")
    status = serializers.ChoiceField(
        choices=REPORTING_STATUS_CHOICES, help_text='"none": no report opened.'
    )
    late = serializers.BooleanField()
    report = serializers.IntegerField(allow_null=True)


class StatusCellOut(serializers.Serializer):
    year = serializers.IntegerField()
    status = serializers.ChoiceField(
        choices=REPORTING_STATUS_CHOICES, help_text="The least advanced of its parts' statuses."
    )
    late = serializers.BooleanField(
        help_text="A report of the cell first sent after the deadline (a report the ministry "
        "returned is judged by its first sending, not its latest), or one not sent, or "
        "missing, past it."
    )
    reports = serializers.ListField(child=serializers.IntegerField())
    parts = StatusPartOut(
        many=True,
        help_text="Every report the cell expects, each with its own status: a merged unit's "
        "cell has one for each former unit's area, as the page and the counts have them.",
    )


class StatusRowOut(serializers.Serializer):
    unit = serializers.IntegerField()
    unit_code = serializers.CharField()
    unit_name = serializers.CharField()
    unit_valid_from = serializers.DateField(
        allow_null=True,
        help_text="With unit_code, the key the other rows give a unit by: a unit in force "
        "(19 from 2025-07-01 is the new Thái Nguyên, 19 with null the old).",
    )
    cells = StatusCellOut(many=True)


class ReportingStatusOut(serializers.Serializer):
    years = serializers.ListField(child=serializers.IntegerField())
    deadlines = serializers.DictField(child=serializers.DateField())
    counts = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()))
    rows = StatusRowOut(many=True)


# ------------------------------------------------------------------ input


@extend_schema_field(
    {
        "type": "string",
        "description": "A number in either convention, as the form reads it: "
        "21,6 · 21.6 · 1.234,5 · 1,234.5 (a JSON number is taken as well). Text with one "
        "mark before three digits (1.500, 1,500) reads two ways and is refused, as the form "
        "refuses it, but for a share's value or the stored figure given back unchanged: write "
        "1500 or 1,5.",
    }
)
class NumberField(serializers.DecimalField):
    """A decimal read as the form reads it (reports.numbers.parse_number), with its message."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=20, decimal_places=4, **kwargs)

    def to_internal_value(self, data: Any) -> Decimal | None:
        if isinstance(data, str):
            try:
                data = parse_number(data)
            except NumberError as error:
                raise serializers.ValidationError(str(error)) from None
            if data is None:
                return None
        return super().to_internal_value(data)


class ReportOpenIn(serializers.Serializer):
    unit = serializers.IntegerField(
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text="Id of the unit; null for the national report.",
    )
    year = serializers.IntegerField(min_value=0, max_value=32767)


class ValueIn(serializers.Serializer):
    """One value. A field left out is blank in a PUT, which gives the whole set; a PATCH
    keeps what is stored of it, as the import does a missing column
    (``reports.services.value_input_merged``)."""

    indicator = serializers.CharField(max_length=32, help_text="Indicator code, e.g. SCP-07.")
    value = NumberField(allow_null=True, required=False)
    qualifier = serializers.ChoiceField(
        choices=ReportedValue.Qualifier.choices,
        required=False,
        help_text="Left out of a PATCH: kept beside the stored value given again (or left "
        "out), exact for a new value.",
    )
    numerator = NumberField(
        allow_null=True,
        required=False,
        help_text="Given with the denominator: naming one names both. Left out of a PATCH: "
        "kept as the qualifier is.",
    )
    denominator = NumberField(allow_null=True, required=False)
    qualitative_status = serializers.ChoiceField(
        choices=ReportedValue.QualitativeStatus.choices, allow_blank=True, required=False
    )
    as_of = serializers.DateField(allow_null=True, required=False)
    note = serializers.CharField(allow_blank=True, required=False, trim_whitespace=False)
    source = serializers.CharField(allow_blank=True, required=False)
    evidence_url = serializers.URLField(allow_blank=True, required=False, max_length=500)

    NUMBERS = ("value", "numerator", "denominator")

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        questions = self._two_way_questions(data) if isinstance(data, dict) else {}
        try:
            attrs = super().to_internal_value(data)
        except serializers.ValidationError as error:
            # Every refusal of the item at once, as the form shows them: a text that reads
            # two ways is a number, so no field has both.
            raise serializers.ValidationError({**questions, **error.detail}) from None
        if questions:
            raise serializers.ValidationError(questions)
        return attrs

    def _stored_values(self) -> dict[int, ReportedValue]:
        """The report's stored values by indicator, read once for all the items of a request
        and only when one of them reads two ways: the context is the whole list's."""
        if "stored" not in self.context:
            report = self.context.get("report")
            values = report.values.all() if report is not None else []
            self.context["stored"] = {value.indicator_id: value for value in values}
        return self.context["stored"]

    def _two_way_questions(self, data: dict[str, Any]) -> dict[str, list[str]]:
        """The form's question for a text that reads two ways ("1.500"), by field. A field
        alone cannot tell whether to ask: that takes the indicator (a share, never) and the
        stored figure (given back as the form shows it, it is no new one), from the view's
        context; without them, it asks."""
        doubtful = {
            name: data[name]
            for name in self.NUMBERS
            if isinstance(data.get(name), str) and reads_two_ways(data[name])
        }
        if not doubtful:
            return {}
        code = data.get("indicator")
        indicator = (
            self.context.get("indicators", {}).get(code.strip()) if isinstance(code, str) else None
        )
        stored = self._stored_values().get(indicator.pk) if indicator is not None else None
        questions = {
            name: two_way_question(
                text,
                kept="" if stored is None else figure_typed(getattr(stored, name)),
                grouping_possible=name != "value"
                or indicator is None
                or indicator.measure != Indicator.Measure.PERCENT,
            )
            for name, text in doubtful.items()
        }
        return {name: [question] for name, question in questions.items() if question}


class ValuesIn(serializers.Serializer):
    values = ValueIn(many=True)


class AssessmentIn(serializers.Serializer):
    indicator = serializers.CharField(
        max_length=32, help_text="Code of a qualitative indicator of the report, e.g. SCP-01."
    )
    status = serializers.ChoiceField(
        choices=ReportedValue.QualitativeStatus.choices,
        allow_blank=True,
        help_text='The reviewer\'s judgement; "" withdraws it.',
    )


class AssessmentsIn(serializers.Serializer):
    assessments = AssessmentIn(many=True)


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True, help_text="Why: the officer reads this reason."
    )


class ApprovalIn(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True,
        required=False,
        default="",
        help_text="An optional note, kept with the approval in the review history.",
    )


class ImportUploadIn(serializers.Serializer):
    file = serializers.FileField(
        help_text="The spreadsheet: .xlsx or .csv with the columns unit_code, indicator_code, "
        "year, value, and optionally qualifier, numerator, denominator, note and source (a "
        "column left out blanks nothing: the stored note and source stay, a value given again "
        "keeps its qualifier and parts, a new value is exact without parts) and as_of "
        "(the day a figure was counted: 2024-07-15, 15/07/2024 or a date cell; empty for the "
        "whole year's figure)."
    )


class ImportRowErrorOut(serializers.Serializer):
    column = serializers.CharField()
    reason = serializers.CharField()


class ImportRowOut(serializers.Serializer):
    sheet = serializers.CharField(
        allow_blank=True,
        help_text="The .xlsx sheet the row is on (each sheet naming the columns is read); "
        "empty for a CSV.",
    )
    line = serializers.IntegerField(help_text="The line as its sheet numbers it (header = 1).")
    # Labelled as the import's preview page labels them.
    status = serializers.ChoiceField(
        choices=[
            ("new", _("new")),
            ("changed", _("changed")),
            ("unchanged", _("unchanged")),
            ("skipped", _("skipped (blank)")),
            ("error", _("error")),
        ]
    )
    unit_code = serializers.CharField(allow_blank=True)
    indicator_code = serializers.CharField(allow_blank=True)
    year = serializers.CharField(allow_blank=True)
    errors = ImportRowErrorOut(many=True)
    old = serializers.DictField(allow_null=True, help_text="The stored value, if any.")
    new = serializers.DictField(allow_null=True, help_text="The value applying would store.")


class ImportCountsOut(serializers.Serializer):
    new = serializers.IntegerField()
    changed = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    skipped = serializers.IntegerField()
    error = serializers.IntegerField()


class ImportPreviewOut(serializers.Serializer):
    id = serializers.IntegerField()
    filename = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
    applied_at = serializers.DateTimeField(allow_null=True)
    counts = ImportCountsOut()
    digest = serializers.CharField(
        help_text="What applying would do now; the ETag to send as If-Match to apply."
    )
    rows = ImportRowOut(many=True)


class ImportResultOut(serializers.Serializer):
    changed = serializers.IntegerField(help_text="How many values changed.")
    reports = serializers.ListField(child=serializers.IntegerField(), help_text="Report ids.")
