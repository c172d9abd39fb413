"""The spreadsheet import over the API: upload, preview with its ETag, apply with If-Match;
the same services, messages and all-or-nothing rule as the pages."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import User
from indicators.models import Indicator
from provinces.selectors import province_for_code_in_year
from reports.models import ImportBatch, Report, ReportedValue, ValueChange
from reports.services import ValueInput, report_values_save

pytestmark = pytest.mark.django_db

HEADER = "unit_code,indicator_code,year,value,qualifier,numerator,denominator,note,source"


def _token_client(user: User) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _upload(client: APIClient, *lines: str):  # type: ignore[no-untyped-def]
    content = "\n".join([HEADER, *lines]).encode()
    return client.post(
        reverse("api:import-list"),
        {"file": SimpleUploadedFile("ket-qua.csv", content, "text/csv")},
        format="multipart",
    )


def test_a_script_uploads_reads_the_preview_and_applies_it_with_if_match(people) -> None:  # type: ignore[no-untyped-def]
    client = _token_client(people["officer_hanoi"])
    uploaded = _upload(
        client, "01,SCP-07,2024,91,,,,,Sở Công Thương Hà Nội", "01,HN-CHO,2024,45,about,,,,"
    )
    assert uploaded.status_code == 201
    preview = uploaded.json()
    assert preview["counts"] == {"new": 2, "changed": 0, "unchanged": 0, "skipped": 0, "error": 0}
    assert [(r["line"], r["status"], r["indicator_code"]) for r in preview["rows"]] == [
        (2, "new", "SCP-07"),
        (3, "new", "HN-CHO"),
    ]
    assert uploaded["ETag"] == f'"{preview["digest"]}"'
    assert not Report.objects.filter(province__code="01", year=2024).exists()  # nothing yet

    url = reverse("api:import-apply", args=[preview["id"]])
    applied = client.post(url, HTTP_IF_MATCH=uploaded["ETag"])
    assert applied.status_code == 200, applied.content
    assert applied.json()["changed"] == 2
    report = Report.objects.get(pk=applied.json()["reports"][0])
    values = {v.indicator.code: (v.value, v.qualifier) for v in report.values.all()}
    assert values == {"SCP-07": (Decimal("91"), "exact"), "HN-CHO": (Decimal("45"), "about")}
    assert set(report.changes.values_list("path", flat=True)) == {ValueChange.Path.IMPORT}

    # The same batch twice: refused, and the same file again changes nothing.
    assert client.post(url, HTTP_IF_MATCH=uploaded["ETag"]).status_code == 400
    again = _upload(
        client, "01,SCP-07,2024,91,,,,,Sở Công Thương Hà Nội", "01,HN-CHO,2024,45,about,,,,"
    )
    assert again.json()["counts"]["unchanged"] == 2


def test_apply_without_if_match_is_428_and_after_another_save_412(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    client = _token_client(officer)
    report = Report.objects.create(
        province=province_for_code_in_year(code="01", year=2024), year=2024
    )
    uploaded = _upload(client, "01,SCP-07,2024,91,,,,,")
    url = reverse("api:import-apply", args=[uploaded.json()["id"]])
    assert client.post(url).status_code == 428

    # A colleague saves the same value by the form after the script read its preview.
    report_values_save(
        report=report,
        values=[ValueInput(indicator=Indicator.objects.get(code="SCP-07"), value=Decimal(70))],
        by=officer,
        path=ValueChange.Path.FORM,
        expected_version=None,
    )
    stale = client.post(url, HTTP_IF_MATCH=uploaded["ETag"])
    assert stale.status_code == 412
    assert ReportedValue.objects.get(report=report).value == Decimal(70)

    fresh = client.get(reverse("api:import-detail", args=[uploaded.json()["id"]]))
    assert fresh.json()["rows"][0]["old"]["value"] == "70"
    assert client.post(url, HTTP_IF_MATCH=fresh["ETag"]).status_code == 200
    assert ReportedValue.objects.get(report=report).value == Decimal(91)


def test_a_file_with_one_bad_row_names_it_and_writes_nothing(people) -> None:  # type: ignore[no-untyped-def]
    client = _token_client(people["officer_hanoi"])
    uploaded = _upload(client, "01,SCP-07,2024,91,,,,,", "19,SCP-07,2025,80,,,,,")
    rows = uploaded.json()["rows"]
    assert rows[1]["status"] == "error"
    assert rows[1]["errors"][0]["column"] == "unit_code"
    before = (Report.objects.count(), ReportedValue.objects.count(), ValueChange.objects.count())
    applied = client.post(
        reverse("api:import-apply", args=[uploaded.json()["id"]]), HTTP_IF_MATCH=uploaded["ETag"]
    )
    assert applied.status_code == 400
    assert applied.json()["detail"] == "Tệp có 1 dòng lỗi; chưa có gì thay đổi."
    after = (Report.objects.count(), ReportedValue.objects.count(), ValueChange.objects.count())
    assert after == before


def test_an_unreadable_file_is_400_naming_the_reason(people) -> None:  # type: ignore[no-untyped-def]
    client = _token_client(people["officer_hanoi"])
    response = client.post(
        reverse("api:import-list"),
        {"file": SimpleUploadedFile("ket-qua.csv", b"unit_code,year\n01,2024\n", "text/csv")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "indicator_code" in response.json()["file"][0]
    assert not ImportBatch.objects.exists()


def test_only_the_uploader_sees_and_applies_an_upload(people) -> None:  # type: ignore[no-untyped-def]
    uploaded = _upload(_token_client(people["officer_hanoi"]), "01,SCP-07,2024,91,,,,,")
    pk = uploaded.json()["id"]
    for role in ["officer_thainguyen", "reviewer", "analyst", "administrator"]:
        client = _token_client(people[role])
        assert client.get(reverse("api:import-detail", args=[pk])).status_code == 404
        response = client.post(
            reverse("api:import-apply", args=[pk]), HTTP_IF_MATCH=uploaded["ETag"]
        )
        assert response.status_code == 404
    assert _upload(_token_client(people["reviewer"]), "01,SCP-07,2024,91,,,,,").status_code == 404
    assert not Report.objects.filter(province__code="01", year=2024).exists()
