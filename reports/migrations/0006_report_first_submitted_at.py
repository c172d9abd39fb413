"""A report's first sending, by which it is judged late: ``submitted_at`` is overwritten by
every resubmission, so a report sent on time and returned by the ministry after the
deadline read late for good.

The reports already there take it from their review history (``ReportTransition``): the
step out of draft. One with no history at all, written before the history was kept or by
hand, has only its one submission time. One whose history starts from "approved" was
loaded as approved figures and never was a draft here: it keeps none, as the service
would have left it. One whose history starts elsewhere, from "submitted" or "returned",
was sent before the history was kept: the earliest sending known is the first step of its
history or its submission time, whichever came first; leaving it empty would clear a late
report's flag for good."""

from django.db import migrations, models


def fill_first_submitted_at(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    Report = apps.get_model("reports", "Report")
    ReportTransition = apps.get_model("reports", "ReportTransition")
    alias = schema_editor.connection.alias
    first_step: dict[int, tuple[str, object]] = {}
    sent: dict[int, object] = {}
    for report_id, source, at in (
        ReportTransition.objects.using(alias)
        .order_by("at", "pk")
        .values_list("report_id", "from_status", "at")
    ):
        first_step.setdefault(report_id, (source, at))
        if source == "draft":
            sent.setdefault(report_id, at)
    reports = list(
        Report.objects.using(alias).filter(first_submitted_at__isnull=True).only("submitted_at")
    )
    for report in reports:
        step = first_step.get(report.pk)
        if report.pk in sent:
            report.first_submitted_at = sent[report.pk]
        elif step is None:
            report.first_submitted_at = report.submitted_at
        elif step[0] != "approved":
            known = [day for day in (step[1], report.submitted_at) if day is not None]
            report.first_submitted_at = min(known)
    Report.objects.using(alias).bulk_update(reports, ["first_submitted_at"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_value_change_review_path"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="first_submitted_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the unit first sent it, by which it is judged late or not; "
                "empty for a report loaded as published figures, which was never a draft here.",
                null=True,
                verbose_name="first submitted at",
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="submitted_at",
            field=models.DateTimeField(
                blank=True,
                help_text="The latest sending by the unit: the one under review.",
                null=True,
                verbose_name="submitted at",
            ),
        ),
        migrations.RunPython(fill_first_submitted_at, migrations.RunPython.noop),
    ]
