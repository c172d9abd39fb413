from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .labels import unit_label


class Province(models.Model):
    """A provincial-level unit (đơn vị hành chính cấp tỉnh) over the period it existed.

    Codes are reused across the 1 July 2025 merger (15 was Yên Bái, then the new
    Lào Cai), so a unit is identified by (code, valid_from), never by code alone.
    A blank ``valid_from`` means the unit existed before the records start.
    """

    class Kind(models.TextChoices):
        # "tỉnh": the catalogue's plain "province" reads "tỉnh, thành phố" (either kind).
        PROVINCE = "tinh", pgettext_lazy("kind of unit", "province")
        CITY = "thanh_pho", _("centrally governed city")

    code = models.CharField(_("code"), max_length=2)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successor"),
    )
    former_names = models.CharField(_("former names"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    source = models.TextField(_("source"))

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["code", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="province_code_from_uniq"),
            # NULLs are distinct in a plain unique constraint, so the open-start
            # rows need their own: one open-start unit per code.
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_from__isnull=True),
                name="province_code_open_start_uniq",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="province_valid_range",
            ),
        ]

    def __str__(self) -> str:
        # The admin's choices and lists: the label, and the code two units may share.
        return f"{self.label} · {self.code}"

    @property
    def label(self) -> str:
        """The unit's name as every page shows it (``provinces.labels.unit_label``)."""
        return unit_label(self.name, self.valid_to)

    def in_force_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )
