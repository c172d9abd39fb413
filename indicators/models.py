from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .units import UnitOfMeasure, unit_in_language


class Indicator(models.Model):
    """A measurable chỉ tiêu. Codes (SCP-05, BK-NLTT-CS) are stable: URLs, imports and
    exports use them."""

    class Measure(models.TextChoices):
        PERCENT = "percent", _("percentage")
        COUNT = "count", _("count")
        QUANTITY = "quantity", _("quantity")
        QUALITATIVE = "qualitative", _("qualitative")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("higher is better")
        DECREASE = "decrease", _("lower is better")

    class Accumulation(models.TextChoices):
        LEVEL = "level", _("level (the latest value is the state)")
        CUMULATIVE = "cumulative", _("cumulative (running total)")
        FLOW = "flow", _("flow (amount per year)")

    class Rollup(models.TextChoices):
        NONE = "", _("none")
        SUM = "sum", _("sum over provinces and national entries")
        SHARE_OF_UNITS = "share_of_units", _("share of provinces that reported it")
        PLAN_REGISTER = "plan_register", _("share of provinces with a plan in the register")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_vi = models.TextField(_("name (Vietnamese)"))
    name_en = models.TextField(_("name (English)"))
    unit = models.CharField(_("unit of measure"), max_length=40, blank=True)
    unit_en = models.CharField(_("unit of measure (English)"), max_length=40, blank=True)
    unit_en_singular = models.CharField(
        _("unit of measure after 1 (English)"),
        max_length=40,
        blank=True,
        help_text=_(
            "The English unit after exactly one, where it differs: “product” for “products”. "
            "Empty for a unit that does not change, such as MW or million kWh."
        ),
    )
    measure = models.CharField(_("measure"), max_length=12, choices=Measure.choices)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, blank=True
    )
    accumulation = models.CharField(
        _("accumulation"), max_length=10, choices=Accumulation.choices, blank=True
    )
    rollup = models.CharField(
        _("national roll-up"),
        max_length=16,
        choices=Rollup.choices,
        blank=True,
        help_text=_("How the national figure is derived from the provinces' figures."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent indicator"),
    )
    programme = models.ForeignKey(
        "programmes.Document",
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("defined in"),
        help_text=_("The programme, or the provincial plan, that defines this indicator."),
    )
    note = models.TextField(_("note"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    source = models.TextField(_("source"))

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]
        constraints = [
            # Codes are looked up in any case (the API, the pages, imports): "scp-09" beside
            # "SCP-09" would be two indicators no address could tell apart.
            models.UniqueConstraint(
                Lower("code"),
                name="indicator_code_unique_any_case",
                violation_error_message=_("An indicator with this code, in any case, exists."),
            ),
            # A qualitative chỉ tiêu has no direction or accumulation; every
            # numeric one needs both for the target arithmetic.
            models.CheckConstraint(
                condition=Q(measure="qualitative", direction="", accumulation="")
                | (~Q(measure="qualitative") & ~Q(direction="") & ~Q(accumulation="")),
                name="indicator_numeric_has_direction",
            ),
            # A singular without the English unit would never be shown: the page falls back
            # to the Vietnamese unit, which has no plural.
            models.CheckConstraint(
                condition=Q(unit_en_singular="") | ~Q(unit_en=""),
                name="indicator_singular_has_unit_en",
                violation_error_message=_("An English singular needs the English unit of measure."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def name(self) -> str:
        return self.name_en if get_language() == "en" else self.name_vi

    @property
    def is_qualitative(self) -> bool:
        return self.measure == self.Measure.QUALITATIVE

    @property
    def reported_by_units(self) -> bool:
        """Whether units report it: the share of units with a plan (SCP-09) is counted from
        the register of provincial plans, so no unit is ever missing a figure of it."""
        return self.rollup != self.Rollup.PLAN_REGISTER

    @property
    def unit_of_measure(self) -> UnitOfMeasure:
        """The unit in the reader's language with the form it takes after exactly one:
        "mô hình" after any number; "model" / "models" in English; "MW" either way."""
        return unit_in_language(self.unit, self.unit_en, self.unit_en_singular)

    @property
    def unit_label(self) -> str:
        """The unit on its own, in the reader's language: "mô hình" / "models"."""
        return self.unit_of_measure.label

    @property
    def note_label(self) -> str:
        """Our note on the indicator (its known gaps) in the reader's language."""
        return self.note_en if get_language() == "en" and self.note_en else self.note


class Target(models.Model):
    """A target (mục tiêu) a document sets for one indicator, unit (or the nation) and year.

    The document's own words are kept in ``text_vi``; the bounds are how the
    words are read: "khoảng 35 MW" is at least 35, approximate; "giảm 3–4%" is
    between 3 and 4.
    """

    class Comparator(models.TextChoices):
        AT_LEAST = "at_least", _("at least")
        AT_MOST = "at_most", _("at most")
        BETWEEN = "between", _("between")
        EXACT = "exact", _("exactly")
        QUALITATIVE = "qualitative", _("qualitative")

    document = models.ForeignKey(
        "programmes.Document",
        on_delete=models.PROTECT,
        related_name="targets",
        verbose_name=_("document"),
    )
    province = models.ForeignKey(
        "provinces.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("province"),
        help_text=_("Empty for a national target."),
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="targets", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    comparator = models.CharField(_("comparator"), max_length=12, choices=Comparator.choices)
    low = models.DecimalField(
        _("low bound"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    high = models.DecimalField(
        _("high bound"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    approximate = models.BooleanField(_("approximate (khoảng)"), default=False)
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    text_vi = models.TextField(_("document's words"))
    note = models.TextField(_("note"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    source = models.TextField(_("source"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator__code", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "province", "indicator", "year"],
                name="target_doc_province_indicator_year_uniq",
            ),
            models.UniqueConstraint(
                fields=["document", "indicator", "year"],
                condition=Q(province__isnull=True),
                name="target_national_doc_indicator_year_uniq",
            ),
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(high__isnull=True) | Q(low__lte=models.F("high")),
                name="target_low_le_high",
            ),
            # Each comparator reads exactly the bounds it needs.
            models.CheckConstraint(
                condition=Q(comparator="at_least", low__isnull=False, high__isnull=True)
                | Q(comparator="at_most", low__isnull=True, high__isnull=False)
                | Q(comparator="between", low__isnull=False, high__isnull=False)
                | Q(comparator="exact", low__isnull=False, high=models.F("low"))
                | Q(comparator="qualitative", low__isnull=True, high__isnull=True),
                name="target_bounds_match_comparator",
            ),
            models.CheckConstraint(
                condition=Q(baseline_value__isnull=True, baseline_year__isnull=True)
                | Q(baseline_value__isnull=False, baseline_year__isnull=False),
                name="target_baseline_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.text_vi}"

    @property
    def note_label(self) -> str:
        """Our note on the target in the reader's language; Vietnamese first."""
        return self.note_en if get_language() == "en" and self.note_en else self.note
