"""A report's first sending, by which it is judged late: ``submitted_at`` is overwritten by
every resubmission, so a report sent on time and returned by the ministry after the
deadline read late for good.

The reports already there take it from their review history (``ReportTransition``): the
step out of draft. One with no history at all, written before the history was kept or by
hand, has only its one submission time. One whose history has no step out of draft was
loaded as approved figures and never was a draft here: it keeps none, as the service
would have left it."""

from django.db import migrations, models
from django.db.models import Exists, F, OuterRef, Subquery


def fill_first_submitted_at(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    Report = apps.get_model("reports", "Report")
    ReportTransition = apps.get_model("reports", "ReportTransition")
    alias = schema_editor.connection.alias
    sent = (
        ReportTransition.objects.using(alias)
        .filter(report=OuterRef("pk"), from_status="draft", to_status="submitted")
        .order_by("at", "pk")
        .values("at")[:1]
    )
    Report.objects.using(alias).filter(Exists(sent)).update(first_submitted_at=Subquery(sent))
    history = ReportTransition.objects.using(alias).filter(report=OuterRef("pk"))
    Report.objects.using(alias).filter(submitted_at__isnull=False).exclude(
        Exists(history)
    ).update(first_submitted_at=F("submitted_at"))


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
