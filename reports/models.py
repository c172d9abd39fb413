from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    """One unit's results for one year (báo cáo kết quả năm); the ministry's own
    national figures are a report with no province.

    A report for a year before the 2025 merger stays with the former unit, even
    when the unit's successor files it.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned")
        APPROVED = "approved", _("approved")

    province = models.ForeignKey(
        "provinces.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("province"),
        help_text=_("Empty for the national report of the Ministry."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Bumped by every write through a conditional update, so that of two people saving
    # the same report, the later one is told instead of silently overwriting.
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(
        _("submitted at"),
        null=True,
        blank=True,
        help_text=_("The latest sending by the unit: the one under review."),
    )
    # Set once, by the step out of draft: lateness is judged by it, so that the ministry
    # returning a report after the deadline does not make a unit that sent on time late.
    first_submitted_at = models.DateTimeField(
        _("first submitted at"),
        null=True,
        blank=True,
        help_text=_(
            "When the unit first sent it, by which it is judged late or not; empty for "
            "a report loaded as published figures, which was never a draft here."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-year", "province__code"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="report_province_year_uniq"),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(province__isnull=True),
                name="report_national_year_uniq",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province.label if self.province else _('National')} {self.year}"

    @property
    def is_editable(self) -> bool:
        """Officers edit drafts and returned reports; submitted and approved ones are locked."""
        return self.status in {self.Status.DRAFT, self.Status.RETURNED}


class ReportedValue(models.Model):
    """A figure a report gives for one indicator, as the source worded it."""

    class Qualifier(models.TextChoices):
        EXACT = "exact", _("exact")
        MORE_THAN = "more_than", _("more than")
        LESS_THAN = "less_than", _("less than")
        ABOUT = "about", _("about")

    class QualitativeStatus(models.TextChoices):
        ACHIEVED = "achieved", _("achieved")
        NOT_ACHIEVED = "not_achieved", _("not achieved")
        ON_TRACK = "on_track", _("on track")
        AT_RISK = "at_risk", _("at risk")
        OFF_TRACK = "off_track", _("off track")

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="values", verbose_name=_("report")
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        on_delete=models.PROTECT,
        related_name="reported_values",
        verbose_name=_("indicator"),
    )
    value = models.DecimalField(
        _("value"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Empty only for a qualitative indicator."),
    )
    qualifier = models.CharField(
        _("qualifier"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    numerator = models.DecimalField(
        _("numerator"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("denominator"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    qualitative_status = models.CharField(
        _("assessment"),
        max_length=16,
        choices=QualitativeStatus.choices,
        blank=True,
        help_text=_("For a qualitative indicator: the reviewer's judgement of the milestone."),
    )
    as_of = models.DateField(_("as of"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.TextField(_("source"), blank=True)
    evidence_file = models.FileField(
        _("evidence file"), upload_to="evidence/%Y/", blank=True, max_length=200
    )
    evidence_url = models.URLField(_("evidence link"), blank=True, max_length=500)

    class Meta:
        verbose_name = _("reported value")
        verbose_name_plural = _("reported values")
        ordering = ["indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="value_report_indicator_uniq"
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True, denominator__isnull=True)
                | Q(numerator__isnull=False, denominator__gt=0),
                name="value_share_parts_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.report}: {self.value}"


class ReportTransition(models.Model):
    """A step of the review: who moved the report from which status to which, and why."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("report")
    )
    from_status = models.CharField(_("from"), max_length=10, choices=Report.Status.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=Report.Status.choices)
    by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("report transition")
        verbose_name_plural = _("report transitions")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report}: {self.from_status} → {self.to_status}"


class ValueChange(models.Model):
    """The audit trail of a reported value: every change, with who, when, old, new and the
    path it came through."""

    class Path(models.TextChoices):
        FORM = "form", _("form")
        IMPORT = "import", _("spreadsheet import")
        API = "api", _("API")
        REVIEW = "review", _("ministry review")

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="changes", verbose_name=_("report")
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("indicator"),
    )
    path = models.CharField(_("path"), max_length=8, choices=Path.choices)
    by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"))
    report_version = models.PositiveIntegerField(_("report version"))
    old = models.JSONField(_("old"), null=True)
    new = models.JSONField(_("new"), null=True)

    class Meta:
        verbose_name = _("value change")
        verbose_name_plural = _("value changes")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.report} ({self.path})"


class ReportingDeadline(models.Model):
    """When a year's reports are due; without a row, 31 January of the next year."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    due_on = models.DateField(_("due on"))

    class Meta:
        verbose_name = _("reporting deadline")
        verbose_name_plural = _("reporting deadlines")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.due_on:%d/%m/%Y}"


class ImportBatch(models.Model):
    """An uploaded spreadsheet between its preview and its confirmation."""

    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("uploaded by")
    )
    filename = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(_("content"))
    # The file read once at upload ([line, {column: text}], with the sheet's name and the
    # number columns whose cell is a number after them for a row of a workbook:
    # imports.RawRow.stored): the preview page and the confirmation classify these again
    # without parsing the workbook again.
    rows = models.JSONField(_("rows"), default=list, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.filename
