from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from provinces.selectors import province_for_code_in_year
from reports.models import ReportedValue

pytestmark = pytest.mark.django_db

MODELS = [model for model in admin.site._registry if model._meta.app_label != "auth"]


def test_every_domain_model_is_in_the_admin() -> None:
    labels = {model._meta.label for model in MODELS}
    assert {
        "accounts.User",
        "provinces.Province",
        "programmes.Document",
        "indicators.Indicator",
        "indicators.Target",
        "reports.Report",
        "reports.ReportedValue",
    } <= labels


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_changelist_search_and_change_pages_open(administrator_client: Client, model) -> None:  # type: ignore[no-untyped-def]
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert administrator_client.get(changelist).status_code == 200
    assert administrator_client.get(changelist, {"q": "Bắc Kạn"}).status_code == 200
    instance = model.objects.first()
    if instance is not None:  # the audit tables start empty
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk])
        assert administrator_client.get(change).status_code == 200


def test_values_filter_by_province_year_and_indicator(administrator_client: Client) -> None:
    url = reverse("admin:reports_reportedvalue_changelist")
    response = administrator_client.get(
        url,
        {
            "q": "Bắc Kạn",
            "report__year": "2022",
            "indicator__id__exact": ReportedValue.objects.get(
                indicator__code="BK-NLTT-CS"
            ).indicator_id,
        },
    )
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [
        ReportedValue.objects.get(indicator__code="BK-NLTT-CS")
    ]


def test_province_filter_separates_units_in_force_from_former_ones(
    administrator_client: Client,
) -> None:
    url = reverse("admin:provinces_province_changelist")
    current = administrator_client.get(url, {"in_force": "current"}).context["cl"]
    former = administrator_client.get(url, {"in_force": "former"}).context["cl"]
    assert current.result_count == 34
    assert former.result_count == 52
    assert province_for_code_in_year(code="06", year=2024) in former.queryset


def test_visitors_cannot_open_the_admin(client: Client) -> None:
    response = client.get(reverse("admin:provinces_province_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_reports_and_values_are_read_only_in_the_admin(administrator_client: Client) -> None:
    """Edits there would skip the review steps, the audit trail and the version check."""
    value = ReportedValue.objects.first()
    url = reverse("admin:reports_reportedvalue_change", args=[value.pk])
    response = administrator_client.post(url, {"value": "999"})
    assert response.status_code == 403
    value.refresh_from_db()
    assert value.value != 999


def test_a_target_changed_in_the_admin_recomputes_its_progress(
    administrator_client: Client, django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from indicators.models import Target
    from progress.models import Progress
    from sxtd.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    target = Target.objects.get(indicator__code="BK-NLTT-CS", year=2025)
    url = reverse("admin:indicators_target_change", args=[target.pk])
    data = {
        "document": target.document_id,
        "province": target.province_id,
        "indicator": target.indicator_id,
        "year": 2025,
        "comparator": "at_least",
        "low": "30",
        "high": "",
        "approximate": "on",
        "baseline_value": "",
        "baseline_year": "",
        "text_vi": "khoảng 30 MW",
        "note": "",
        "source": target.source,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = administrator_client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].errors if response.context else ""
    )
    figure = Progress.objects.get(indicator__code="BK-NLTT-CS", year=2022, origin="reported")
    assert figure.ratio == Decimal("0.72")


def _target_form(target, **changes):  # type: ignore[no-untyped-def]
    data = {
        "document": target.document_id,
        "province": target.province_id,
        "indicator": target.indicator_id,
        "year": target.year,
        "comparator": target.comparator,
        "low": str(target.low),
        "high": "",
        "approximate": "on" if target.approximate else "",
        "baseline_value": "",
        "baseline_year": "",
        "text_vi": target.text_vi,
        "note": "",
        "source": target.source,
    }
    return {**data, **changes}


def test_a_target_moved_to_another_indicator_leaves_no_figure_on_the_old_one(
    administrator_client: Client, django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A target entered under the wrong indicator and corrected in the admin no longer
    judges the figures of the indicator it was wrongly entered under."""
    from indicators.models import Indicator, Target
    from progress.models import Progress
    from sxtd.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    target = Target.objects.get(indicator__code="BK-NLTT-CS", year=2030)
    assert Progress.objects.filter(indicator__code="BK-NLTT-CS", target=target).exists()
    other = Indicator.objects.get(code="BK-OCOP-3S")
    url = reverse("admin:indicators_target_change", args=[target.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = administrator_client.post(url, _target_form(target, indicator=other.pk))
    assert response.status_code == 302, response.context["adminform"].errors
    assert not Progress.objects.filter(indicator__code="BK-NLTT-CS", target=target).exists()
    assert Progress.objects.filter(indicator=other, target=target).exists()


def test_targets_deleted_from_the_admin_list_leave_no_figure(
    administrator_client: Client, django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The list's "delete selected" action recomputes, as deleting one target does."""
    from django.contrib.admin import helpers

    from indicators.models import Target
    from progress.models import Progress
    from sxtd.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    targets = list(Target.objects.filter(indicator__code="BK-NLTT-CS"))
    url = reverse("admin:indicators_target_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = administrator_client.post(
            url,
            {
                "action": "delete_selected",
                "post": "yes",
                helpers.ACTION_CHECKBOX_NAME: [t.pk for t in targets],
            },
        )
    assert response.status_code == 302
    assert not Target.objects.filter(indicator__code="BK-NLTT-CS").exists()
    # Its figures stand with no target now, not judged against the deleted ones.
    figures = Progress.objects.filter(indicator__code="BK-NLTT-CS")
    assert set(figures.values_list("status", flat=True)) == {Progress.Status.NO_TARGET}


def test_a_provincial_form_detached_in_the_admin_no_longer_counts_in_its_parent(
    administrator_client: Client, django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """SCP-06 counts the provinces that reported it or its district form SCP-06-HUYEN; once
    the form is no longer SCP-06's, Hà Nội's district figure no longer counts there."""
    from django.forms.models import model_to_dict

    from indicators.models import Indicator
    from progress.models import Progress, RecomputeRun
    from progress.services import progress_recompute_now
    from reports.models import Report
    from sxtd.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    form = Indicator.objects.get(code="SCP-06-HUYEN")
    hanoi = province_for_code_in_year(code="01", year=2023)
    report = Report.objects.create(province=hanoi, year=2023, status=Report.Status.APPROVED)
    ReportedValue.objects.create(report=report, indicator=form, value=50, source="test")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)

    def share() -> Decimal | None:
        row = Progress.objects.filter(
            indicator__code="SCP-06", province=None, year=2023, origin="share_of_units"
        ).first()
        return row.value if row else None

    assert share()
    data = {
        key: ("" if value is None else value)
        for key, value in model_to_dict(form).items()
        if key != "id"
    }
    url = reverse("admin:indicators_indicator_change", args=[form.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = administrator_client.post(url, {**data, "parent": ""})
    assert response.status_code == 302, response.context["adminform"].errors
    assert not share()


def test_a_plan_added_in_the_admin_counts_in_the_register_of_plans(
    administrator_client: Client, django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """SCP-09 (provinces with a plan) reads the documents: a plan the administrator adds
    counts from its year, without waiting for the nightly recompute."""
    from programmes.models import Document
    from progress.models import Progress
    from sxtd.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)

    def share(year: int) -> Decimal | None:
        return Progress.objects.get(
            indicator__code="SCP-09", province=None, year=year, origin="plan_register"
        ).value

    before = share(2023)
    cao_bang = province_for_code_in_year(code="04", year=2023)
    data = {
        "number": "99/KH-UBND",
        "kind": Document.Kind.PROVINCIAL_PLAN,
        "province": cao_bang.pk,
        "issued_on": "2023-05-01",
        "period_start": "2023",
        "period_end": "2030",
        "title_vi": "Kế hoạch thử",
        "title_en": "Test plan",
        "issuer": "UBND tỉnh Cao Bằng",
        "implements": Document.objects.get(number="889/QĐ-TTg").pk,
        "source": "test",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = administrator_client.post(reverse("admin:programmes_document_add"), data)
    assert response.status_code == 302, response.context["adminform"].errors
    assert share(2023) > before


def test_a_reports_admin_page_costs_the_same_queries_however_many_values_it_holds(
    administrator_client: Client, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from indicators.models import Indicator
    from reports.models import Report

    report = Report.objects.create(
        province=province_for_code_in_year(code="01", year=2023), year=2023
    )
    indicators = list(Indicator.objects.order_by("code")[:6])
    ReportedValue.objects.create(report=report, indicator=indicators[0], value=1)
    url = reverse("admin:reports_report_change", args=[report.pk])
    administrator_client.get(url)
    with CaptureQueriesContext(connection) as one_value:
        administrator_client.get(url)
    for indicator in indicators[1:]:
        ReportedValue.objects.create(report=report, indicator=indicator, value=1)
    with django_assert_num_queries(len(one_value.captured_queries)):
        assert administrator_client.get(url).status_code == 200
