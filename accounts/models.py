from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person with one role; a provincial officer works for one Sở Công Thương."""

    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", _("ministry administrator")
        REVIEWER = "reviewer", _("ministry reviewer")
        OFFICER = "officer", _("provincial officer")
        ANALYST = "analyst", _("analyst")

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.ANALYST)
    province = models.ForeignKey(
        "provinces.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("province"),
        help_text=_("The unit in force that a provincial officer reports for."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="officer", province__isnull=False)
                | (~Q(role="officer") & Q(province__isnull=True)),
                name="user_officer_has_province",
            ),
        ]
