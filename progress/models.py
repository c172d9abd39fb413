from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RecomputeRun(models.Model):
    """One recomputation of the progress table: what asked for it, what it covered, how it went.

    A run is recorded as pending before it is queued, so that a broker that is down
    loses nothing: pending runs are dispatched again when it returns.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    class Trigger(models.TextChoices):
        APPROVAL = "approval", _("report approved or reopened")
        NIGHTLY = "nightly", _("nightly schedule")
        COMMAND = "command", _("command line")
        REFERENCE_DATA = "reference_data", _("reference data loaded")
        ADMIN = "admin", _("indicators or targets changed by the administrator")

    trigger = models.CharField(_("trigger"), max_length=16, choices=Trigger.choices)
    indicator_ids = models.JSONField(
        _("indicators"),
        null=True,
        blank=True,
        help_text=_("The indicators recomputed; empty for a full recompute."),
    )
    province_ids = models.JSONField(
        _("provinces"),
        null=True,
        blank=True,
        help_text=_("The units recomputed (null in the list: the nation); empty for all."),
    )
    from_year = models.PositiveSmallIntegerField(
        _("from year"),
        null=True,
        blank=True,
        help_text=_(
            "The first year recomputed: a figure rests on its own and earlier years' values "
            "only. Empty for every year."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    rows_written = models.PositiveIntegerField(_("rows written"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("recompute run")
        verbose_name_plural = _("recompute runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        scope = _("full") if self.indicator_ids is None else len(self.indicator_ids)
        return f"#{self.pk} {self.get_trigger_display()} ({scope}): {self.get_status_display()}"

    @property
    def is_full(self) -> bool:
        return self.indicator_ids is None and self.province_ids is None and self.from_year is None


class RecomputeLock(models.Model):
    """The single row that recompute runs lock, so that two runs never interleave."""

    class Meta:
        verbose_name = _("recompute lock")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class Progress(models.Model):
    """A stored target-vs-actual figure for a unit (or the nation), an indicator and a year.

    Written only by recompute runs, read by pages: nothing is computed per request.
    ``origin`` tells a reported series from a derived one, so that a national figure
    computed from the provinces stands beside the one the ministry reported.
    """

    class Origin(models.TextChoices):
        REPORTED = "reported", _("reported")
        SUM = "sum", _("sum over provinces")
        SHARE_OF_UNITS = "share_of_units", _("share of provinces")
        PLAN_REGISTER = "plan_register", _("register of provincial plans")
        PREDECESSORS = "predecessors", _("former provinces combined")

    class Status(models.TextChoices):
        # The engine's statuses (progress.engine.Status), with their labels.
        ACHIEVED = "achieved", _("achieved")
        NOT_ACHIEVED = "not_achieved", _("not achieved")
        ON_TRACK = "on_track", _("on track")
        AT_RISK = "at_risk", _("at risk")
        OFF_TRACK = "off_track", _("off track")
        NO_DATA = "no_data", _("not enough data")
        NO_TARGET = "no_target", _("no target")
        QUALITATIVE_PENDING = "qualitative_pending", _("awaiting assessment")

    # A run rewrites every row of its scope in one transaction, and checking each row's four
    # references in the database cost a full run a third of its time (deferred triggers at
    # the commit) for references the run has just read under its lock. Django still applies
    # on_delete, and a change to a target or indicator schedules a recompute. The province
    # and indicator need no index of their own: the unique constraints and the (indicator,
    # year) index begin with them.
    run = models.ForeignKey(
        RecomputeRun,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("run"),
        db_constraint=False,
        db_index=False,
    )
    province = models.ForeignKey(
        "provinces.Province",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="progress",
        verbose_name=_("province"),
        db_constraint=False,
        db_index=False,
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        on_delete=models.CASCADE,
        related_name="progress",
        verbose_name=_("indicator"),
        db_constraint=False,
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("year"))
    as_of_year = models.PositiveSmallIntegerField(
        _("assessed as of"),
        help_text=_(
            "The year the status is seen from; before a future target year, the last closed year."
        ),
    )
    origin = models.CharField(_("origin"), max_length=16, choices=Origin.choices)
    target = models.ForeignKey(
        "indicators.Target",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("target in force"),
        db_constraint=False,
    )
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=6, null=True)
    qualifier = models.CharField(_("qualifier"), max_length=10, blank=True)
    numerator = models.DecimalField(_("numerator"), max_digits=24, decimal_places=6, null=True)
    denominator = models.DecimalField(_("denominator"), max_digits=24, decimal_places=6, null=True)
    ratio = models.DecimalField(_("achievement"), max_digits=12, decimal_places=4, null=True)
    bound = models.CharField(_("bound"), max_length=8, blank=True)
    achieved = models.BooleanField(_("achieved"), null=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    pace_ratio = models.DecimalField(_("pace ratio"), max_digits=12, decimal_places=4, null=True)
    projection = models.DecimalField(_("projection"), max_digits=24, decimal_places=6, null=True)
    required_path = models.JSONField(_("required path"), default=list)
    partial = models.BooleanField(_("partial"), default=False)
    # Ids, not names: a name can stand for two units across the merger ("Lào Cai" in 2024
    # and in 2025). The sentences keep the names they print (``explanation_values``).
    missing_unit_ids = models.JSONField(_("units without a value"), default=list)
    explanation_code = models.CharField(_("explanation"), max_length=40)
    explanation_values = models.JSONField(_("explanation values"), default=dict)
    sources = models.JSONField(_("sources"), default=list)

    class Meta:
        verbose_name = _("progress figure")
        verbose_name_plural = _("progress figures")
        ordering = ["indicator__code", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "indicator", "year", "origin"],
                name="progress_province_indicator_year_origin_uniq",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "origin"],
                condition=Q(province__isnull=True),
                name="progress_national_indicator_year_origin_uniq",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "year"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.province_id or 'VN'} {self.year} {self.origin}: {self.status}"
