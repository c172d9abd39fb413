from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    """A programme or plan (Chương trình, Kế hoạch) with the targets it sets.

    A provincial plan stays tied to the unit that issued it, even after that unit
    merged: Bắc Kạn's 405/KH-UBND belongs to Bắc Kạn, not to the new Thái Nguyên.
    """

    class Kind(models.TextChoices):
        NATIONAL_PROGRAMME = "national_programme", _("national programme")
        MINISTRY_PLAN = "ministry_plan", _("ministry plan")
        PROVINCIAL_PLAN = "provincial_plan", _("provincial plan")

    number = models.CharField(_("number"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    province = models.ForeignKey(
        "provinces.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("issuing province"),
    )
    issued_on = models.DateField(_("issued on"))
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    title_vi = models.TextField(_("title (Vietnamese)"))
    title_en = models.TextField(_("title (English)"))
    issuer = models.CharField(_("issuer"), max_length=200)
    implements = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="implementing_documents",
        verbose_name=_("implements"),
    )
    source = models.TextField(_("source"))

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["issued_on", "number"]
        constraints = [
            # Numbers such as 266/KH-UBND recur across provinces and years; the
            # issue date tells them apart.
            models.UniqueConstraint(
                fields=["number", "issued_on"], name="document_number_date_uniq"
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="document_period_order",
            ),
            models.CheckConstraint(
                condition=Q(kind="provincial_plan", province__isnull=False)
                | (~Q(kind="provincial_plan") & Q(province__isnull=True)),
                name="document_province_iff_provincial",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def title(self) -> str:
        return self.title_en if get_language() == "en" else self.title_vi

    @property
    def period(self) -> str:
        """The years it runs, as a reader names them: "2021–2030", and "2024" for a plan of
        one year, not "2024–2024"."""
        if self.period_start == self.period_end:
            return str(self.period_start)
        return f"{self.period_start}–{self.period_end}"

    def covers_year(self, year: int) -> bool:
        return self.period_start <= year <= self.period_end
