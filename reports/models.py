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
        return f"{self.province.name if self.province else _('National')} {self.year}"


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
