"""Analysts' exports: tidy CSV that pandas reads back, Excel with both sheets, the zip
bundle, formula neutralisation, and exactly what the person may see."""

import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from accounts.models import User
from exports.tidy import COLUMNS, PROGRESS_COLUMNS, REPORT_COLUMNS, STATUS_COLUMNS
from exports.writers import BOM, neutralise
from indicators.models import Indicator
from progress.models import RecomputeRun
from progress.services import progress_recompute_now
from provinces.models import Province
from provinces.selectors import province_for_code_in_year
from reports.models import Report, ReportedValue

from .conftest import client_for
from .progress_builders import approved_value

pytestmark = pytest.mark.django_db

INJECTIONS = ['=HYPERLINK("http://x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def _body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content) if response.streaming else response.content


def _csv(client, name: str = "values", **params) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    response = client.get(reverse("export", args=[name, "csv"]), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return pd.read_csv(io.BytesIO(_body(response)), encoding="utf-8-sig", keep_default_na=True)


def _draft(code: str, *, note: str = "", source: str = "t", value: str = "90") -> Report:
    report = Report.objects.create(
        province=province_for_code_in_year(code=code, year=2025), year=2025
    )
    ReportedValue.objects.create(
        report=report,
        indicator=Indicator.objects.get(code="SCP-07"),
        value=Decimal(value),
        note=note,
        source=source,
    )
    return report


def test_neutralise_prefixes_formulas_but_not_numbers() -> None:
    assert [neutralise(text) for text in INJECTIONS] == ["'" + text for text in INJECTIONS]
    assert neutralise("-5") == "-5"
    assert neutralise("+3,5") == "+3,5"
    assert neutralise(Decimal(-5)) == Decimal(-5)
    assert neutralise("Bắc Kạn") == "Bắc Kạn"


def test_pandas_reads_the_values_csv_back_with_values_types_and_vietnamese(people) -> None:  # type: ignore[no-untyped-def]
    frame = _csv(client_for(people["analyst"]))
    assert list(frame.columns) == COLUMNS
    assert len(frame) == ReportedValue.objects.filter(report__status="approved").count()
    bac_kan = frame[(frame.indicator_code == "BK-NLTT-CS") & (frame.year == 2022)].iloc[0]
    assert bac_kan.unit_name == "Bắc Kạn"
    # The nation's code "VN" keeps the column text, so "06" keeps its leading zero.
    assert bac_kan.unit_code == "06"
    assert bac_kan.value == pytest.approx(21.6)
    assert bac_kan.qualifier == "exact"
    assert bac_kan.report_status == "approved"
    assert str(frame.year.dtype) == "int64"
    assert str(frame.value.dtype) == "float64"
    assert frame.target_low.dtype.kind == "f"
    share = frame[frame.indicator_code == "SCP-09"].iloc[0]
    assert (share.numerator, share.denominator) == (24, 63)
    assert share.unit_code == "VN"
    # The codes as text, as a script would read them, keep their leading zero.
    typed = pd.read_csv(
        io.BytesIO(
            _body(client_for(people["analyst"]).get(reverse("export", args=["values", "csv"])))
        ),
        encoding="utf-8-sig",
        dtype={"unit_code": str},
    )
    assert set(typed.unit_code) >= {"VN", "01", "06"}
    # Every value matches the database.
    stored = {
        (v.indicator.code, v.report.year, v.report.province.code if v.report.province else "VN"): v
        for v in ReportedValue.objects.filter(report__status="approved").select_related(
            "indicator", "report__province"
        )
    }
    for row in typed.itertuples():
        value = stored[(row.indicator_code, row.year, row.unit_code)]
        assert row.value == pytest.approx(float(value.value)), row
        assert row.source == value.source


def test_progress_csv_reads_back_with_achievement_and_status(people) -> None:  # type: ignore[no-untyped-def]
    frame = _csv(client_for(people["visitor"]), "progress", indicator="BK-NLTT-CS")
    assert list(frame.columns) == PROGRESS_COLUMNS
    assert set(frame.indicator_code) == {"BK-NLTT-CS"}
    assert frame.achievement.dtype.kind == "f"
    assert "Bắc Kạn" in set(frame.unit_name)


def test_bom_by_default_and_none_with_encoding_utf8(people) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people["analyst"])
    url = reverse("export", args=["values", "csv"])
    assert _body(client.get(url)).startswith(BOM.encode())
    plain = _body(client.get(url, {"encoding": "utf-8"}))
    assert plain.startswith(b"unit_code,")
    assert "Thái Nguyên".encode() in plain or "Bắc Kạn".encode() in plain


def test_xlsx_has_data_and_metadata_sheets(people) -> None:  # type: ignore[no-untyped-def]
    response = client_for(people["analyst"]).get(
        reverse("export", args=["values", "xlsx"]), {"indicator": "BK-NLTT-CS"}
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(_body(response)), read_only=True)
    assert book.sheetnames == ["data", "metadata"]
    rows = list(book["data"].iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    assert rows[1][COLUMNS.index("value")] == pytest.approx(21.6)
    assert rows[1][COLUMNS.index("unit_name")] == "Bắc Kạn"
    meta = [row for row in book["metadata"].iter_rows(values_only=True)]
    flat = {cell for row in meta for cell in row if cell is not None}
    assert {"exported_at", "filter:indicator", "indicators", "documents", "sources"} <= flat
    assert "405/KH-UBND" in flat


def test_formula_injection_through_note_and_source_is_neutralised(people) -> None:  # type: ignore[no-untyped-def]
    report = _draft("01", note=INJECTIONS[0], source=INJECTIONS[1])
    report.status = Report.Status.APPROVED
    report.save()
    client = client_for(people["analyst"])
    frame = _csv(client, indicator="SCP-07", year_from=2025)
    row = frame.iloc[0]
    assert row.note == "'" + INJECTIONS[0]
    assert row.source == "'" + INJECTIONS[1]
    response = client.get(
        reverse("export", args=["values", "xlsx"]), {"indicator": "SCP-07", "year_from": 2025}
    )
    sheet = load_workbook(io.BytesIO(_body(response)))["data"]
    header = [cell.value for cell in sheet[1]]
    note, source = (
        sheet.cell(2, header.index("note") + 1),
        sheet.cell(2, header.index("source") + 1),
    )
    assert note.value == "'" + INJECTIONS[0] and note.data_type == "s"
    assert source.value == "'" + INJECTIONS[1] and source.data_type == "s"


def test_a_negative_number_as_text_is_not_prefixed(people) -> None:  # type: ignore[no-untyped-def]
    report = _draft("01", note="-5", source="-5")
    report.status = Report.Status.APPROVED
    report.save()
    frame = _csv(client_for(people["analyst"]), indicator="SCP-07", year_from=2025)
    assert frame.iloc[0].note == -5 and frame.iloc[0].source == -5


def test_officer_exports_own_drafts_but_never_another_units(people) -> None:  # type: ignore[no-untyped-def]
    _draft("01", note="Hà Nội draft")
    _draft("19", note="Thái Nguyên draft")
    for name in ("csv", "xlsx"):
        response = client_for(people["officer_hanoi"]).get(reverse("export", args=["values", name]))
        body = _body(response)
        if name == "xlsx":
            sheet = load_workbook(io.BytesIO(body), read_only=True)["data"]
            text = "\n".join(str(row) for row in sheet.iter_rows(values_only=True))
        else:
            text = body.decode("utf-8-sig")
        assert "Hà Nội draft" in text
        assert "Thái Nguyên draft" not in text


def test_analyst_export_has_only_approved_figures(people) -> None:  # type: ignore[no-untyped-def]
    _draft("01", note="Hà Nội draft")
    frame = _csv(client_for(people["analyst"]))
    assert set(frame.report_status) == {"approved"}
    assert "Hà Nội draft" not in set(frame.note.dropna())


def test_filters_narrow_the_export(people) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people["analyst"])
    bac_kan = province_for_code_in_year(code="06", year=2022)
    frame = _csv(client, unit=bac_kan.pk, year_from=2022, year_to=2022)
    assert set(frame.unit_name) == {"Bắc Kạn"} and set(frame.year) == {2022}
    response = client.get(reverse("export", args=["values", "csv"]), {"year_from": "abc"})
    assert response.status_code == 400
    # Django's own Vietnamese for this one, "Nhập một số tổng thể.", reads as nonsense.
    assert response.json()["errors"]["year_from"][0]["message"] == "Hãy nhập một số nguyên."
    assert "Hãy nhập một số nguyên." in response.content.decode()  # not \u-escaped


def test_download_all_bundle_has_data_and_metadata_csvs(people) -> None:  # type: ignore[no-untyped-def]
    _draft("19", note="Thái Nguyên draft")
    response = client_for(people["officer_hanoi"]).get(reverse("export-bundle"))
    assert response.status_code == 200
    bundle = zipfile.ZipFile(io.BytesIO(_body(response)))
    assert set(bundle.namelist()) == {
        "data.csv",
        "progress.csv",
        "indicators.csv",
        "documents.csv",
        "targets.csv",
        "units.csv",
        "sources.csv",
        "export.csv",
    }
    data = pd.read_csv(bundle.open("data.csv"), encoding="utf-8-sig")
    assert list(data.columns) == COLUMNS
    assert "Thái Nguyên draft" not in set(data.note.dropna())
    units = pd.read_csv(bundle.open("units.csv"), encoding="utf-8-sig", dtype={"code": str})
    assert "Bắc Kạn" in set(units.name)
    indicators = pd.read_csv(bundle.open("indicators.csv"), encoding="utf-8-sig")
    assert {"code", "name_vi", "unit", "direction", "accumulation"} <= set(indicators.columns)


def test_export_streams(people) -> None:  # type: ignore[no-untyped-def]
    response = client_for(people["analyst"]).get(reverse("export", args=["values", "csv"]))
    assert response.streaming


@pytest.mark.parametrize("name", ["values", "progress", "reports"])
def test_export_queries_do_not_grow_with_rows(people, name, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    """A fixed number of queries per chunk of 2,000 rows: more units' drafts, same count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(people["officer_thainguyen"])
    url = reverse("export", args=[name, "csv"])
    _body(client.get(url))
    with CaptureQueriesContext(connection) as before:
        _body(client.get(url))
    for code in ["19", "06", "01", "04"]:
        year = 2024 if code == "06" else 2025
        report = Report.objects.create(
            province=province_for_code_in_year(code=code, year=year), year=year
        )
        for indicator in Indicator.objects.all()[:5]:
            ReportedValue.objects.create(report=report, indicator=indicator, value=1)
    with django_assert_num_queries(len(before.captured_queries)):
        _body(client.get(url))


def test_every_pages_download_links_carry_its_filters_and_answer(people) -> None:  # type: ignore[no-untyped-def]
    import re

    from programmes.models import Document

    bac_kan = province_for_code_in_year(code="06", year=2022)
    plan = Document.objects.get(number="405/KH-UBND")
    pages = {
        reverse("home"): "programme=",
        reverse("indicator-detail", args=["BK-NLTT-CS"]): "indicator=BK-NLTT-CS",
        reverse("province-detail", args=[bac_kan.pk]): f"lineage={bac_kan.pk}",
        reverse("document-detail", args=[plan.pk]): f"document={plan.pk}",
        reverse("report-list") + "?status=approved&year=2022": "year_from=2022",
        reverse("reporting-status") + "?from=2022&to=2023": "year_from=2022",
    }
    client = client_for(people["reviewer"])
    for page, carried in pages.items():
        html = client.get(page).content.decode()
        links = re.findall(r'href="([^"]+)" data-export="([^"]+)"', html)
        assert len(links) >= 3, page
        for href, _kind in links:
            href = href.replace("&amp;", "&")
            assert carried in href, (page, href)
            response = client.get(href)
            assert response.status_code == 200, (page, href, response.status_code)
            _body(response)


def test_report_list_export_has_own_drafts_only(people) -> None:  # type: ignore[no-untyped-def]
    own, other = _draft("01"), _draft("19")
    frame = pd.read_csv(
        io.BytesIO(
            _body(
                client_for(people["officer_hanoi"]).get(reverse("export", args=["reports", "csv"]))
            )
        ),
        encoding="utf-8-sig",
        dtype={"unit_code": str},
    )
    assert own.pk in set(frame["id"]) and other.pk not in set(frame["id"])
    assert set(frame[frame.status != "approved"]["id"]) == {own.pk}
    assert "Bắc Kạn" in set(frame.unit_name)


def test_reporting_status_export_is_the_ministrys_grid(people) -> None:  # type: ignore[no-untyped-def]
    url = reverse("export", args=["status", "csv"])
    assert client_for(people["analyst"]).get(url).status_code == 404
    response = client_for(people["reviewer"]).get(url, {"year_from": 2022, "year_to": 2024})
    frame = pd.read_csv(io.BytesIO(_body(response)), encoding="utf-8-sig", dtype={"unit_code": str})
    # Before the merger, the 63 units' reports, in the rows of the 34 units in force.
    assert len(frame) == 63 * 3 and set(frame.year) == {2022, 2023, 2024}
    assert (frame.groupby("year").row_unit_code.nunique() == 34).all()
    thai_nguyen = frame[(frame.unit_name == "Thái Nguyên") & (frame.year == 2022)].iloc[0]
    assert thai_nguyen.unit_code == "19" and thai_nguyen.late in (True, False)
    book = load_workbook(
        io.BytesIO(
            _body(client_for(people["reviewer"]).get(reverse("export", args=["status", "xlsx"])))
        ),
        read_only=True,
    )
    assert book.sheetnames == ["data", "metadata"]


@pytest.mark.parametrize(
    ("params", "years"),
    [
        ({"year_from": 2030}, []),
        ({"year_from": 1900, "year_to": 1901}, []),
        ({"year_from": 2019, "year_to": 2022}, [2021, 2022]),
        ({"year_from": 2026}, [2026]),
    ],
)
def test_status_export_covers_only_the_reportable_years_asked_for(
    people, clock, params, years
) -> None:  # type: ignore[no-untyped-def]
    clock(date(2026, 3, 1))
    client = client_for(people["reviewer"])
    response = client.get(reverse("export", args=["status", "csv"]), params)
    assert response.status_code == 200
    frame = pd.read_csv(io.BytesIO(_body(response)), encoding="utf-8-sig")
    assert sorted(set(frame.year)) == years
    assert (frame.groupby("year").row_unit_code.nunique() == 34).all()
    book = load_workbook(
        io.BytesIO(_body(client.get(reverse("export", args=["status", "xlsx"]), params))),
        read_only=True,
    )
    filters = {
        row[0].removeprefix("filter:"): int(row[1])
        for row in book["metadata"].iter_rows(max_row=4, values_only=True)
        if row and str(row[0]).startswith("filter:")
    }
    # The heading names the years shown, or those asked for when none is reportable.
    assert filters == ({"year_from": years[0], "year_to": years[-1]} if years else params)


def test_status_export_refuses_a_reversed_year_range(people) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people["reviewer"])
    for name in ["status", "values", "progress", "reports"]:
        for fmt in ["csv", "xlsx"]:
            response = client.get(
                reverse("export", args=[name, fmt]), {"year_from": 2025, "year_to": 2021}
            )
            assert response.status_code == 400, (name, fmt)
            [error] = response.json()["errors"]["year_to"]
            assert error["message"] == "year_to (2021) sớm hơn year_from (2025)."
    bundle = client.get(reverse("export-bundle"), {"year_from": 2025, "year_to": 2021})
    assert bundle.status_code == 400 and "year_to" in bundle.json()["errors"]


def _refusal(response, name: str) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 400, response.content
    [error] = response.json()["errors"][name]
    return error["message"]


@pytest.mark.parametrize(
    ("url", "query"),
    [
        (reverse("export", args=["values", "csv"]), {"unit": [1, 36]}),
        (reverse("export", args=["values", "xlsx"]), {"indicator": ["SCP-07", "BK-NLTT-CS"]}),
        (reverse("export", args=["progress", "csv"]), {"year": [2022, 2025]}),
        (reverse("export", args=["reports", "csv"]), {"status": ["draft", "approved"]}),
        (reverse("export", args=["status", "csv"]), {"year_to": [2023, 2024]}),
        (reverse("export-bundle"), {"unit": [1, 36]}),
        # Each half of the bundle reads one of these alone.
        (reverse("export-bundle"), {"status": ["draft", "approved"]}),
        (reverse("export-bundle"), {"origin": ["reported", "national"]}),
        (reverse("export", args=["values", "csv"]), {"encoding": ["utf-8", "utf-8"]}),
    ],
)
def test_an_export_refuses_a_parameter_given_twice_naming_it(people, url, query) -> None:  # type: ignore[no-untyped-def]
    """``/exports/values.csv?unit=1&unit=36`` gave unit 36's rows alone, as if it were all
    the script had asked for."""
    client = client_for(people["reviewer"])
    client.cookies["django_language"] = "en"
    [name] = query
    assert _refusal(client.get(url, query), "__all__") == (
        f"Parameter '{name}' is given more than once: give it once."
    )
    assert client.get(url, {name: query[name][0]}).status_code == 200


def test_an_export_refuses_a_year_outside_year_from_and_year_to(people) -> None:  # type: ignore[no-untyped-def]
    """``?year=2022&year_from=2023`` gave a file of no rows, read as "nothing for 2022"."""
    client = client_for(people["reviewer"])
    client.cookies["django_language"] = "en"
    for query, message in [
        ({"year": 2022, "year_from": 2023}, "year (2022) is before year_from (2023)."),
        ({"year": 2022, "year_to": 2021}, "year (2022) is after year_to (2021)."),
    ]:
        for name in ["values", "progress", "reports"]:
            for fmt in ["csv", "xlsx"]:
                response = client.get(reverse("export", args=[name, fmt]), query)
                assert _refusal(response, "year") == message, (name, fmt)
        assert _refusal(client.get(reverse("export-bundle"), query), "year") == message
    frame = _csv(client, year=2022, year_from=2022, year_to=2022)
    assert len(frame) and set(frame.year) == {2022}


def _text_csv(response) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """A CSV as text, as a script reads it: "" for an empty cell."""
    assert response.status_code == 200
    return pd.read_csv(
        io.BytesIO(_body(response)), encoding="utf-8-sig", dtype=str, keep_default_na=False
    )


def test_the_status_export_gives_each_report_a_merged_cell_expects_as_the_page_does(
    people,
) -> None:  # type: ignore[no-untyped-def]
    """The page's new Thái Nguyên 2022 cell reads "Bắc Kạn (until 30/6/2025): approved ·
    Thái Nguyên (until 30/6/2025): no report · late"; the export gave one row, ``19,Thái Nguyên,2022,none,true,…,3``: status
    none beside Bắc Kạn's approved report. Now a row for each report the cell expects, each
    with its unit, its own status, lateness and report, and the rows the totals count."""
    client = client_for(people["reviewer"])
    url = reverse("export", args=["status", "csv"])
    frame = _text_csv(client.get(url, {"year_from": 2022, "year_to": 2025}))
    assert list(frame.columns) == STATUS_COLUMNS
    bac_kan = province_for_code_in_year(code="06", year=2022)
    report = Report.objects.get(province=bac_kan, year=2022)
    columns = ["unit_code", "unit_name", "unit_valid_to", "status", "late", "report"]
    cell = frame[(frame.row_unit_code == "19") & (frame.year == "2022")]
    assert cell[columns].values.tolist() == [
        ["06", "Bắc Kạn", "2025-06-30", "approved", "false", str(report.pk)],
        ["19", "Thái Nguyên", "2025-06-30", "none", "true", ""],
    ]
    assert set(cell.row_unit_name) == {"Thái Nguyên"}
    page = client.get(reverse("reporting-status"), {"from": 2022, "to": 2022}).content.decode()
    assert f'href="{url}?year_from=2022&amp;year_to=2022"' in page
    # From the merger, the new unit's own report and Bắc Kạn's area, which it reports for
    # while 405/KH-UBND runs.
    cell = frame[(frame.row_unit_code == "19") & (frame.year == "2025")]
    assert cell[["unit_code", "unit_valid_from", "unit_valid_to"]].values.tolist() == [
        ["19", "2025-07-01", ""],
        ["06", "", "2025-06-30"],
    ]
    # The grid's totals count these rows, year by year.
    counts = client.get(
        reverse("api:reporting-status"), {"year_from": 2022, "year_to": 2025}
    ).json()["counts"]
    for year, count in counts.items():
        rows = frame[frame.year == year]
        assert dict(rows.status.value_counts()) == {
            status: n for status, n in count.items() if status != "late" and n
        }
        assert (rows.late == "true").sum() == count["late"]


def test_former_units_rows_say_when_the_unit_ended(people) -> None:  # type: ignore[no-untyped-def]
    """Bắc Kạn's 2025 rows read like a unit in force's, and the old and the new Thái
    Nguyên (both 19) differed only by an empty ``unit_valid_from``: ``unit_valid_to``
    says when a former unit ended, and is empty for a unit in force."""
    thai_nguyen = province_for_code_in_year(code="19", year=2025)
    approved_value(thai_nguyen, "SCP-05", 2025, "4")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    client = client_for(people["reviewer"])
    values = _text_csv(
        client.get(reverse("export", args=["values", "csv"]), {"lineage": thai_nguyen.pk})
    )
    assert COLUMNS.index("unit_valid_to") == COLUMNS.index("unit_valid_from") + 1
    ended = {(row.unit_code, row.unit_valid_from): row.unit_valid_to for row in values.itertuples()}
    assert ended[("06", "")] == "2025-06-30"
    assert ended[("19", "2025-07-01")] == ""
    progress = _text_csv(
        client.get(reverse("export", args=["progress", "csv"]), {"lineage": thai_nguyen.pk})
    )
    ended = {(row.unit_name, row.unit_valid_to) for row in progress.itertuples()}
    assert {("Bắc Kạn", "2025-06-30"), ("Thái Nguyên", "")} <= ended
    reports = _text_csv(client.get(reverse("export", args=["reports", "csv"])))
    assert list(reports.columns) == REPORT_COLUMNS
    bac_kan = reports[reports.unit_code == "06"].iloc[0]
    assert (bac_kan.unit_valid_from, bac_kan.unit_valid_to) == ("", "2025-06-30")
    assert set(reports[reports.unit_code == "01"].unit_valid_to) == {""}


def test_the_units_a_merged_roll_up_lacks_are_given_by_code_too(people) -> None:  # type: ignore[no-untyped-def]
    """The new Thái Nguyên's 2023 sum of its former units lacks the old Thái Nguyên, whose
    name is the row's own unit's too: ``missing_units`` labels it with its last day, and
    ``missing_codes`` gives it as ``19``, which the new one (``19`` from 2025-07-01) is not."""
    thai_nguyen = province_for_code_in_year(code="19", year=2025)
    approved_value(province_for_code_in_year(code="06", year=2023), "SCP-05", 2023, "1")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    progress = _text_csv(
        client_for(None).get(
            reverse("export", args=["progress", "csv"]),
            {"unit": thai_nguyen.pk, "indicator": "SCP-05", "year": 2023},
        )
    )
    row = progress[progress.origin == "predecessors"].iloc[0]
    assert (row.unit_code, row.unit_valid_from) == ("19", "2025-07-01")
    assert (row.missing_units, row.missing_codes) == ("Thái Nguyên (đến 30/6/2025)", "19")
    assert PROGRESS_COLUMNS.index("missing_codes") == PROGRESS_COLUMNS.index("missing_units") + 1


def test_a_provincial_plans_downloads_give_its_units_rows_only(people) -> None:  # type: ignore[no-untyped-def]
    """Bắc Kạn's 405/KH-UBND page linked to ``values.csv?document=7``, which holds every
    unit's rows of the indicators it targets: Hà Nội's SCP-07 too. Its links now add the
    plan's unit; a programme's page keeps every unit's."""
    import re

    from programmes.models import Document

    bac_kan = province_for_code_in_year(code="06", year=2022)
    plan = Document.objects.get(number="405/KH-UBND")
    client = client_for(people["analyst"])
    html = client.get(reverse("document-detail", args=[plan.pk])).content.decode()
    links = [
        href.replace("&amp;", "&")
        for href, _kind in re.findall(r'href="([^"]+)" data-export="([^"]+)"', html)
    ]
    assert links and all(f"unit={bac_kan.pk}" in href for href in links)
    values_link = next(href for href in links if "/values.csv" in href)
    values = _text_csv(client.get(values_link))
    assert len(values) and set(values.unit_name) == {"Bắc Kạn"}
    progress_link = next(href for href in links if "/progress.csv" in href)
    assert set(_text_csv(client.get(progress_link)).unit_name) == {"Bắc Kạn"}
    # The document filter alone still means its indicators, whichever unit.
    everyone = _text_csv(
        client.get(reverse("export", args=["values", "csv"]), {"document": plan.pk})
    )
    assert len(set(everyone.unit_name)) > 1
    programme = Document.objects.get(pk=plan.implements_id)
    html = client.get(reverse("document-detail", args=[programme.pk])).content.decode()
    assert f"document={programme.pk}" in html and "unit=" not in html


def test_pandas_keeps_a_codes_leading_zero_in_the_excel_export_read_as_the_readme_says(
    people,
) -> None:  # type: ignore[no-untyped-def]
    """Without a national row, pandas reads the Excel's text "01" as the number 1, whatever
    the cell's type: the README gives ``dtype`` for ``read_excel`` as for ``read_csv``."""
    hanoi = province_for_code_in_year(code="01", year=2025)
    response = client_for(people["analyst"]).get(
        reverse("export", args=["values", "xlsx"]), {"lineage": hanoi.pk}
    )
    frame = pd.read_excel(io.BytesIO(_body(response)), sheet_name="data", dtype={"unit_code": str})
    assert set(frame.unit_code) == {"01"}
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert 'pd.read_excel(f, sheet_name="data", dtype={"unit_code": str})' in readme


def test_a_merged_units_page_exports_its_former_units_rows_as_the_page_shows_them(people) -> None:  # type: ignore[no-untyped-def]
    thai_nguyen = province_for_code_in_year(code="19", year=2025)
    _both_former_units_models_of_2024()
    html = client_for(None).get(reverse("province-detail", args=[thai_nguyen.pk])).content.decode()
    assert f"{reverse('export', args=['values', 'csv'])}?lineage={thai_nguyen.pk}" in html
    client = client_for(None)
    own_only = _csv(client, unit=thai_nguyen.pk)
    lineage = _csv(client, lineage=thai_nguyen.pk)
    assert own_only.empty or set(own_only["unit_name"]) <= {"Thái Nguyên"}
    # Bắc Kạn's approved 21,6 MW of 2022, which the new Thái Nguyên's page charts.
    bac_kan = lineage[lineage["unit_name"] == "Bắc Kạn"]
    assert 21.6 in set(bac_kan[bac_kan["indicator_code"] == "BK-NLTT-CS"]["value"])
    progress = _csv(client, "progress", lineage=thai_nguyen.pk)
    assert {"Bắc Kạn", "Thái Nguyên"} <= set(progress["unit_name"])


def _both_former_units_models_of_2024() -> None:
    """The old Thái Nguyên's and Bắc Kạn's 2024 models, which the new Thái Nguyên's page
    shows combined: its own progress rows (the reference data's are Bắc Kạn's alone)."""
    approved_value(province_for_code_in_year(code="19", year=2024), "SCP-05", 2024, "3")
    approved_value(province_for_code_in_year(code="06", year=2024), "SCP-05", 2024, "2")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)


def test_a_submitted_values_row_carries_the_target_it_will_be_judged_against(people) -> None:  # type: ignore[no-untyped-def]
    """Bắc Kạn's 2024 figure awaiting review has no stored progress row for 2024 (nothing
    approved, no 2024 target); its row still names the 2025 target of 405/KH-UBND, as the
    engine will judge it once approved, with no verdict yet."""
    bac_kan = province_for_code_in_year(code="06", year=2024)
    report = Report.objects.create(province=bac_kan, year=2024, status=Report.Status.SUBMITTED)
    ReportedValue.objects.create(
        report=report, indicator=Indicator.objects.get(code="BK-NLTT-CS"), value=30
    )
    frame = _csv(client_for(people["reviewer"]), status="submitted")
    row = frame[frame.indicator_code == "BK-NLTT-CS"].iloc[0]
    assert (row.year, row.report_status, row.value) == (2024, "submitted", 30)
    assert (row.target_document, row.target_year, row.target_comparator) == (
        "405/KH-UBND",
        2025,
        "at_least",
    )
    assert (row.target_low, bool(row.target_approximate)) == (35, True)
    assert pd.isna(row.achievement) and pd.isna(row.status)


def test_a_bound_a_partial_roll_up_and_a_bounded_pace_read_without_the_pages(people) -> None:  # type: ignore[no-untyped-def]
    """Bắc Kạn's "trên 50" of 115 million kWh (2022) is "at least 43,5 %" on the pages and
    ``bound: lower`` in the API: the export says so in ``achievement_bound``, not only in the
    value's qualifier. The new Thái Nguyên's 2022 sum of its former units lacks the old Thái
    Nguyên (``partial``, ``missing_units``), and a pace from "trên 30" is a lower bound."""
    bac_kan = province_for_code_in_year(code="06", year=2023)
    approved_value(bac_kan, "BK-NLTT-CS", 2023, "30", qualifier="more_than")
    approved_value(bac_kan, "SCP-05", 2022, "2")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    client = client_for(people["analyst"])

    progress = _csv(client, "progress", indicator="BK-NLTT-SL", year_to=2022)
    assert list(progress.columns) == PROGRESS_COLUMNS
    reported = progress[progress.origin == "reported"].iloc[0]
    assert (reported.unit_name, reported.value, reported.qualifier) == ("Bắc Kạn", 50, "more_than")
    assert (reported.achievement, reported.achievement_bound) == (0.435, "lower")
    assert (reported.status, reported.explanation_code) == ("no_data", "insufficient_points")
    assert (reported.status_as_of_year, bool(reported.partial)) == (2022, False)
    # Bắc Kạn's own plan's indicator is not combined with the old Thái Nguyên, which never
    # had it; a national programme's indicator is every unit's.
    assert "predecessors" not in set(progress.origin)
    models = _csv(client, "progress", indicator="SCP-05", origin="predecessors", year_to=2022)
    combined = models.iloc[0]
    assert (combined.unit_name, bool(combined.partial)) == ("Thái Nguyên", True)
    assert combined.missing_units == "Thái Nguyên (đến 30/6/2025)"

    values = _csv(client, indicator="BK-NLTT-SL", year_to=2022)
    row = values.iloc[0]
    assert (row.achievement, row.achievement_bound, bool(row.partial)) == (0.435, "lower", False)

    paced = _csv(client, "progress", indicator="BK-NLTT-CS", origin="reported", year_from=2023)
    row = paced[paced.year == 2023].iloc[0]
    assert (row.status, row.explanation_code) == ("on_track", "pace_ratio")
    assert (row.pace_bound, row.projection_bound) == ("lower", "lower")
    assert row.pace_ratio > 1 and row.projection > 0
    # The API says the same of the same row.
    from_api = client.get(
        "/api/v1/progress/",
        {"unit": bac_kan.pk, "indicator": "BK-NLTT-CS", "origin": "reported", "year_from": 2023},
    ).json()["results"]
    api_row = next(item for item in from_api if item["year"] == 2023)
    assert (api_row["pace_bound"], api_row["explanation_code"]) == ("lower", "pace_ratio")
    assert float(api_row["pace_ratio"]) == pytest.approx(row.pace_ratio)
    assert float(api_row["projection"]) == pytest.approx(row.projection)

    response = client.get(
        reverse("export", args=["progress", "xlsx"]), {"indicator": "BK-NLTT-SL", "year_to": 2022}
    )
    sheet = list(load_workbook(io.BytesIO(_body(response)), read_only=True)["data"].values)
    header, first = list(sheet[0]), sheet[1]
    assert header == PROGRESS_COLUMNS
    assert first[header.index("achievement_bound")] == "lower"
    bundle = zipfile.ZipFile(io.BytesIO(_body(client.get(reverse("export-bundle")))))
    progress_csv = pd.read_csv(bundle.open("progress.csv"), encoding="utf-8-sig")
    assert list(progress_csv.columns) == PROGRESS_COLUMNS


def _progress_table(client, **params) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """The progress CSV as text, as a script reads it: "" for an empty cell."""
    response = client.get(reverse("export", args=["progress", "csv"]), params)
    assert response.status_code == 200
    return pd.read_csv(
        io.BytesIO(_body(response)), encoding="utf-8-sig", dtype=str, keep_default_na=False
    )


def test_the_progress_export_and_the_api_give_the_day_a_figure_stands_for(people) -> None:  # type: ignore[no-untyped-def]
    """Hà Nội's SCP-07 80 % for 2022 stands for 15/7/2022, which is why it is at risk and
    not missed: the page says "(tính đến 15/7/2022)", and the progress CSV, Excel and API
    said nothing (an ``as_of`` column always empty beside an always empty ``note``). Its
    2024 row, with no report, has no day of its own."""
    hanoi = province_for_code_in_year(code="01", year=2022)
    client = client_for(people["visitor"])
    params = {"indicator": "SCP-07", "unit": hanoi.pk}

    table = _progress_table(client, **params)
    assert list(table.columns) == PROGRESS_COLUMNS and "note" not in table.columns
    frame = table.set_index("year")
    assert (frame.loc["2022", "status"], frame.loc["2022", "explanation_code"]) == (
        "at_risk",
        "target_year_interim",
    )
    assert (frame.loc["2022", "as_of"], frame.loc["2024", "as_of"]) == ("2022-07-15", "")

    response = client.get(reverse("export", args=["progress", "xlsx"]), params)
    # Not read-only, which leaves out a row's empty cells at its end.
    sheet = list(load_workbook(io.BytesIO(_body(response)))["data"].values)
    header = list(sheet[0])
    days = {row[header.index("year")]: row[header.index("as_of")] for row in sheet[1:]}
    assert days[2022].date() == date(2022, 7, 15) and days[2024] is None

    from_api = client.get("/api/v1/progress/", params).json()["results"]
    assert {row["year"]: row["as_of"] for row in from_api} == {2022: "2022-07-15", 2024: None}
    api_csv = pd.read_csv(
        io.BytesIO(_body(client.get("/api/v1/progress/", {**params, "format": "csv"}))),
        encoding="utf-8-sig",
        dtype=str,
        keep_default_na=False,
    )
    assert dict(zip(api_csv.year, api_csv.as_of, strict=True)) == {
        "2022": "2022-07-15",
        "2024": "",
    }


def test_achieved_and_the_achievement_bound_read_alike_in_the_csv_and_the_api(people) -> None:  # type: ignore[no-untyped-def]
    """The API's ``achieved`` was not in the CSV at all, and its ``bound`` and the CSV's
    ``achievement_bound`` read "exact" where the README, ``pace_bound`` and
    ``projection_bound`` say empty. Both now say the same of every row, as the README
    defines them: ``achieved`` is whether the row's own figure meets the target in force,
    which is not its status."""
    # SCP-02's 12 documents in 2023 meet the 2025 target early: the 2025 row, with no
    # figure, is achieved and has no ``achieved`` of its own.
    approved_value(None, "SCP-02", 2023, "12")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    client = client_for(people["analyst"])
    units = {unit.pk: (unit.code, str(unit.valid_from or "")) for unit in Province.objects.all()}
    from_api = client.get("/api/v1/progress/", {"page_size": 1000}).json()
    assert from_api["next"] is None
    api_rows = {
        (*units.get(row["unit"], ("VN", "")), row["indicator"], str(row["year"]), row["origin"]): (
            {True: "true", False: "false", None: ""}[row["achieved"]],
            row["bound"],
            row["status"],
        )
        for row in from_api["results"]
    }
    frame = _progress_table(client)
    csv_rows = {
        (row.unit_code, row.unit_valid_from, row.indicator_code, row.year, row.origin): (
            row.achieved,
            row.achievement_bound,
            row.status,
        )
        for row in frame.itertuples()
    }
    assert csv_rows == api_rows
    assert {bound for _achieved, bound, _status in csv_rows.values()} == {"", "lower"}

    def said(unit: str, code: str, year: int, origin: str = "reported") -> tuple[str, str, str]:
        return csv_rows[(unit, "", code, str(year), origin)]

    # Exact: no bound, in the CSV as in the API, and 181 of 200 OCOP products is short.
    assert said("06", "BK-OCOP-3S", 2022) == ("false", "", "no_data")
    # "Trên 50" of 115: only a floor, which cannot say the target is missed.
    assert said("06", "BK-NLTT-SL", 2022) == ("", "lower", "no_data")
    # Short of the 2025 target in 2022, yet on track; met in 2023, early.
    assert said("VN", "SCP-02", 2022) == ("false", "", "on_track")
    assert said("VN", "SCP-02", 2023) == ("true", "", "achieved")
    assert said("VN", "SCP-02", 2025) == ("", "", "achieved")
    # 80 % as of 15/7/2022 of 100 % is short as it stands, and at risk; 2024 has no figure.
    assert said("01", "SCP-07", 2022) == ("false", "", "at_risk")
    assert said("01", "SCP-07", 2024) == ("", "", "no_data")
    # The register of plans: complete in 2021, missing plans from 2022, so not judged.
    assert said("VN", "SCP-09", 2021, "plan_register") == ("false", "", "no_data")
    assert said("VN", "SCP-09", 2022, "plan_register") == ("", "lower", "no_data")


def test_times_are_written_as_the_api_writes_them(people) -> None:  # type: ignore[no-untyped-def]
    """One instant, one form: the report list's submitted_at read +07:00 in the API and
    +00:00 in /exports/reports.csv. Every export writes times in the project's time zone
    (Asia/Ho_Chi_Minh) with its offset, as the API does."""
    from datetime import UTC, datetime

    report = _draft("01")
    Report.objects.filter(pk=report.pk).update(
        submitted_at=datetime(2025, 3, 1, 20, 30, 15, 123456, tzinfo=UTC),
        first_submitted_at=datetime(2025, 1, 30, 18, 0, tzinfo=UTC),
    )
    client = client_for(people["officer_hanoi"])
    from_api = next(
        row for row in client.get("/api/v1/reports/").json()["results"] if row["id"] == report.pk
    )
    assert from_api["submitted_at"] == "2025-03-02T03:30:15.123456+07:00"
    frame = pd.read_csv(
        io.BytesIO(_body(client.get(reverse("export", args=["reports", "csv"])))),
        encoding="utf-8-sig",
        dtype=str,
    )
    row = frame[frame["id"] == str(report.pk)].iloc[0]
    assert from_api["first_submitted_at"] == "2025-01-31T01:00:00+07:00"
    assert (row.submitted_at, row.first_submitted_at, row.updated_at) == (
        from_api["submitted_at"],
        from_api["first_submitted_at"],
        from_api["updated_at"],
    )
    assert row.updated_at.endswith("+07:00")
    # The API's own ?format=csv is the same table.
    api_csv = _body(client.get("/api/v1/reports/", {"format": "csv"})).decode("utf-8-sig")
    assert from_api["submitted_at"] in api_csv
    # When the export was made, in the zip's export.csv, is written the same way.
    bundle = zipfile.ZipFile(io.BytesIO(_body(client.get(reverse("export-bundle")))))
    heading = pd.read_csv(bundle.open("export.csv"), encoding="utf-8-sig")
    assert dict(zip(heading.key, heading.value, strict=True))["exported_at"].endswith("+07:00")


def test_the_lineage_filter_follows_every_merger_as_the_unit_page_does(people) -> None:  # type: ignore[no-untyped-def]
    """After a second reorganisation (the new Thái Nguyên merged again, into a unit formed
    in 2030), that unit's page shows Bắc Kạn's figures through two mergers; its export links
    (``lineage=``) followed one level only and left them out."""
    from datetime import date

    from progress.models import Progress
    from provinces.models import Province
    from provinces.selectors import province_lineage

    thai_nguyen = province_for_code_in_year(code="19", year=2025)
    _both_former_units_models_of_2024()
    later = Province.objects.create(
        code="19", name="Thái Nguyên mới", kind="tinh", valid_from=date(2030, 1, 1), source="t"
    )
    Province.objects.filter(pk=thai_nguyen.pk).update(valid_to=date(2029, 12, 31), successor=later)
    expected = {unit.name for unit in province_lineage(province=later)}
    assert {"Thái Nguyên mới", "Thái Nguyên", "Bắc Kạn"} <= expected

    client = client_for(people["analyst"])
    values = _csv(client, lineage=later.pk)
    assert "Bắc Kạn" in set(values.unit_name)
    assert set(values.unit_name) <= expected
    progress = _csv(client, "progress", lineage=later.pk)
    assert {"Bắc Kạn", "Thái Nguyên"} <= set(progress.unit_name) <= expected
    bac_kan = province_for_code_in_year(code="06", year=2022)
    assert (
        len(progress[progress.unit_name == "Bắc Kạn"])
        == Progress.objects.filter(province=bac_kan).count()
    )
    # The API's lists read the same filter.
    from_api = client.get("/api/v1/progress/", {"lineage": later.pk, "page_size": 1000}).json()
    assert bac_kan.pk in {row["unit"] for row in from_api["results"]}


# ------------------------------------------------------- scripts with the API's token


def _scripted(key: str) -> Client:
    """A script: no session, the token the person made at /account/token/."""
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Token {key}")


def test_a_script_with_the_reviewers_token_exports_what_the_reviewer_sees(people) -> None:  # type: ignore[no-untyped-def]
    """The exports read only the session: a reviewer's token got the visitor's approved
    reports, a 404 for the status grid, and no way to the Excel files or the bundle."""
    _draft("01")
    reviewer = people["reviewer"]
    scripted = _scripted(Token.objects.create(user=reviewer).key)
    session = client_for(reviewer)
    params = {"encoding": "utf-8"}
    for name in ["reports", "status", "values"]:
        url = reverse("export", args=[name, "csv"])
        by_token = scripted.get(url, params)
        assert by_token.status_code == 200, name
        assert _body(by_token) == _body(session.get(url, params)), name
    reports = pd.read_csv(
        io.BytesIO(_body(scripted.get(reverse("export", args=["reports", "csv"]))))
    )
    from_api = scripted.get(reverse("api:report-list"), {"format": "csv"})
    assert len(reports) == len(pd.read_csv(io.BytesIO(_body(from_api))))
    assert set(reports.status) > {"approved"}
    for url in [reverse("export", args=["status", "xlsx"]), reverse("export-bundle")]:
        assert scripted.get(url).status_code == 200, url


def test_an_invalid_token_is_401_not_the_visitors_export(people) -> None:  # type: ignore[no-untyped-def]
    token = Token.objects.create(user=people["reviewer"])
    revoked = token.key
    token.delete()
    inactive = Token.objects.create(user=people["analyst"])
    User.objects.filter(pk=people["analyst"].pk).update(is_active=False)
    urls = [
        reverse("export", args=["reports", "csv"]),
        reverse("export", args=["values", "xlsx"]),
        reverse("export", args=["status", "csv"]),
        reverse("export-bundle"),
    ]
    for header in [f"Token {revoked}", "Token", f"Token {inactive.key}"]:
        for url in urls:
            # A session does not rescue a bad token, as on the API.
            client = client_for(people["officer_hanoi"])
            response = client.get(url, HTTP_AUTHORIZATION=header)
            assert response.status_code == 401, (header, url)
            assert response["WWW-Authenticate"] == "Token"
            assert response.json()["detail"]


def test_without_a_token_the_exports_read_the_session_or_show_the_visitors_rows(people) -> None:  # type: ignore[no-untyped-def]
    _draft("01")
    url = reverse("export", args=["reports", "csv"])
    visitor = pd.read_csv(io.BytesIO(_body(client_for(None).get(url))))
    assert set(visitor.status) == {"approved"}
    assert client_for(None).get(reverse("export", args=["status", "csv"])).status_code == 404
    # Another scheme than the API's is not a token: the session (here none) is read.
    other = client_for(None).get(url, HTTP_AUTHORIZATION="Bearer abc")
    assert pd.read_csv(io.BytesIO(_body(other))).equals(visitor)
    officer = pd.read_csv(io.BytesIO(_body(client_for(people["officer_hanoi"]).get(url))))
    assert "draft" in set(officer.status)


def test_bad_tokens_on_the_exports_do_not_count_as_failed_logins(people) -> None:  # type: ignore[no-untyped-def]
    """django-axes locks a username after failed password logins; a wrong token names no
    username and must neither lock anyone out nor be refused by the lockout."""
    from axes.models import AccessAttempt

    url = reverse("export", args=["reports", "csv"])
    for _ in range(10):
        assert Client().get(url, HTTP_AUTHORIZATION="Token wrong").status_code == 401
    assert not AccessAttempt.objects.exists()
    login = Client().post(reverse("login"), {"username": "reviewer-1", "password": "pw-reviewer-1"})
    assert login.status_code == 302
    key = Token.objects.create(user=people["reviewer"]).key
    assert _scripted(key).get(url).status_code == 200


def test_an_export_reads_accept_language_as_the_api_does(people) -> None:  # type: ignore[no-untyped-def]
    """A script asking ``/exports/…`` for English with Accept-Language got Vietnamese: the
    exports followed the language cookie only, as the pages do, while the API it fetches
    with the same token reads the cookie, then Accept-Language, then Vietnamese."""
    client = _scripted(Token.objects.create(user=people["analyst"]).key)
    url = reverse("export", args=["values", "csv"])
    bad_year = {"year_from": "abc"}

    def message(response) -> str:  # type: ignore[no-untyped-def]
        assert response.status_code == 400
        return response.json()["errors"]["year_from"][0]["message"]

    english = client.get(url, bad_year, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert message(english) == "Enter a whole number."
    assert english["Content-Language"] == "en"
    assert "Accept-Language" in english["Vary"]
    assert message(client.get(url, bad_year)) == "Hãy nhập một số nguyên."
    assert message(client.get(url, bad_year, HTTP_ACCEPT_LANGUAGE="fr")) == (
        "Hãy nhập một số nguyên."
    )
    # A file answered in English says so, for a cache keeping one copy per language.
    for name in ["values.xlsx", "progress.csv", "reports.csv"]:
        dataset, fmt = name.split(".")
        response = client.get(reverse("export", args=[dataset, fmt]), HTTP_ACCEPT_LANGUAGE="en")
        assert (response.status_code, response["Content-Language"]) == (200, "en"), name
    bundle = client.get(reverse("export-bundle"), {"yaer": "2022"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bundle.json()["errors"]["__all__"][0]["message"].startswith("Unknown parameter 'yaer'")
    # A token that is not valid is refused in the script's language.
    refused = Client().get(url, HTTP_AUTHORIZATION="Token wrong", HTTP_ACCEPT_LANGUAGE="en")
    assert (refused.status_code, refused.json()["detail"]) == (401, "Invalid token.")
    assert Client().get(url, HTTP_AUTHORIZATION="Token wrong").json()["detail"] == (
        "Token không hợp lệ."
    )
    # The language switch's cookie comes first, as on the API.
    client.cookies["django_language"] = "vi"
    assert message(client.get(url, bad_year, HTTP_ACCEPT_LANGUAGE="en")) == (
        "Hãy nhập một số nguyên."
    )
    # The pages stay Vietnamese first whatever the browser says.
    assert Client().get("/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "vi"


def test_a_roll_ups_missing_units_stay_known_when_a_unit_is_renamed(people) -> None:  # type: ignore[no-untyped-def]
    """The stored row kept the names of the units a roll-up lacked, and the exports and the
    API looked each name up again among the units in force on 31 December of the row's
    year: renamed in the admin since the recompute, Cao Bằng was neither named nor coded
    ("Cao Bằng" stood in ``missing_codes``). The row keeps the units' ids, so its export
    gives every unit's code and its name as it is now, whatever was renamed."""
    hanoi = province_for_code_in_year(code="01", year=2025)
    approved_value(hanoi, "SCP-06-HUYEN", 2025, "80")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    cao_bang = province_for_code_in_year(code="04", year=2025)
    Province.objects.filter(pk=cao_bang.pk).update(name="Cao Bằng (tên mới)")
    query = {"indicator": "SCP-06", "origin": "share_of_units", "year": 2025}
    frame = _text_csv(client_for(None).get(reverse("export", args=["progress", "csv"]), query))
    (row,) = frame.itertuples()
    names, codes = row.missing_units.split("; "), row.missing_codes.split("; ")
    assert len(names) == len(codes) == 33
    assert codes[names.index("Cao Bằng (tên mới)")] == "04"
    # A unit formed on 1/7/2025 is coded with the day it began.
    assert codes[names.index("Tuyên Quang")] == "08@2025-07-01"
    assert "Cao Bằng" not in names and "Hà Nội" not in names
    api_row = client_for(None).get("/api/v1/progress/", query).json()["results"][0]
    assert (api_row["missing"], api_row["missing_codes"]) == (names, codes)


def _text_frame(data: bytes) -> pd.DataFrame:
    """A CSV as the README says to read it for joins: every column a string ("" for an
    empty cell, so that an empty ``unit_valid_from`` joins an empty ``valid_from``)."""
    return pd.read_csv(io.StringIO(data.decode("utf-8-sig")), dtype=str, keep_default_na=False)


def _bundle_frames(response) -> dict[str, pd.DataFrame]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    bundle = zipfile.ZipFile(io.BytesIO(_body(response)))
    return {name.removesuffix(".csv"): _text_frame(bundle.read(name)) for name in bundle.namelist()}


def _csv_text(response) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return _text_frame(_body(response))


def test_the_exports_join_each_other_by_the_keys_the_api_gives(people) -> None:  # type: ignore[no-untyped-def]
    """An analyst could not tell which target row a progress figure was judged against,
    which report a value came from, or join the status grid's rows to the units: the rows
    gave a target's document number and year (a number is two documents), no report, and
    the grid's unit by code alone (19 is two units). Each export carries the ids the API
    gives: a value's ``report`` and ``target``, a progress row's ``target``, the targets'
    ``id``, ``document_id`` and unit key, the grid's ``row_unit_valid_from``."""
    reviewer = client_for(people["reviewer"])
    bundle = _bundle_frames(reviewer.get(reverse("export-bundle")))
    values, progress, targets = bundle["data"], bundle["progress"], bundle["targets"]
    units, documents = bundle["units"], bundle["documents"]
    # Bắc Kạn's 21,6 MW of 2022 was judged against "khoảng 35 MW" by 2025, of 405/KH-UBND.
    bac_kan = (progress.indicator_code == "BK-NLTT-CS") & (progress.year == "2022")
    judged = progress[bac_kan & (progress.origin == "reported")].merge(
        targets, left_on="target", right_on="id", suffixes=("", "_of_target"), validate="1:1"
    )
    assert len(judged) == 1
    row = judged.iloc[0]
    assert (row.unit_name, row.value) == ("Bắc Kạn", "21.6")
    assert (row.text_vi, row.year_of_target, row.document) == (
        "khoảng 35 MW",
        "2025",
        "405/KH-UBND",
    )
    assert (row.unit_code_of_target, row.unit_valid_from_of_target) == ("06", "")
    # Every row with a target finds it, and it is the one the row's own columns describe.
    for frame in (values, progress):
        joined = frame[frame.target != ""].merge(
            targets, left_on="target", right_on="id", suffixes=("", "_t"), validate="m:1"
        )
        assert len(joined) == (frame.target != "").sum() > 0
        assert (joined.target_document == joined.document).all()
        assert (joined.target_year == joined.year_t).all()
        own = joined[joined.unit_code_t != "VN"]
        assert (own.unit_code_t == own.unit_code).all()
        assert (own.unit_valid_from_t == own.unit_valid_from).all()
    # A value is its report's: the report list's id, the status grid's report.
    reports = _csv_text(reviewer.get(reverse("export", args=["reports", "csv"])))
    of_report = values.merge(
        reports, left_on="report", right_on="id", suffixes=("", "_r"), validate="m:1"
    )
    assert len(of_report) == len(values) > 0
    for key in ["unit_code", "unit_valid_from", "unit_valid_to", "year"]:
        assert (of_report[key] == of_report[f"{key}_r"]).all(), key
    assert (of_report.report_status == of_report.status_r).all()
    bac_kan_value = of_report[
        (of_report.indicator_code == "BK-NLTT-CS") & (of_report.year == "2022")
    ]
    assert bac_kan_value[["unit_name", "value", "status_r"]].values.tolist() == [
        ["Bắc Kạn", "21.6", "approved"]
    ]
    # The status grid's reports are the report list's, and its rows are units in force.
    grid = _csv_text(
        reviewer.get(
            reverse("export", args=["status", "csv"]), {"year_from": 2021, "year_to": 2025}
        )
    )
    filed = grid[grid.report != ""].merge(
        reports, left_on="report", right_on="id", suffixes=("", "_r"), validate="1:1"
    )
    assert len(filed) == (grid.report != "").sum() > 0
    for key in ["unit_code", "unit_valid_from", "year", "status"]:
        assert (filed[key] == filed[f"{key}_r"]).all(), key
    rows = grid.merge(
        units,
        left_on=["row_unit_code", "row_unit_valid_from"],
        right_on=["code", "valid_from"],
        validate="m:1",
    )
    assert len(rows) == len(grid) and set(rows.valid_to) == {""}
    assert set(rows[rows.row_unit_code == "19"].valid_from) == {"2025-07-01"}
    # An indicator's programme, a target's document and unit, by key.
    indicators = bundle["indicators"]
    defined = indicators.merge(
        documents, left_on="programme_id", right_on="id", suffixes=("", "_d"), validate="m:1"
    )
    assert len(defined) == (indicators.programme_id != "").sum() > 0
    assert (defined.defined_in == defined.number).all()
    of_document = targets.merge(
        documents, left_on="document_id", right_on="id", suffixes=("", "_d"), validate="m:1"
    )
    assert len(of_document) == len(targets)
    assert (of_document.document == of_document.number).all()
    provincial = targets[targets.unit_code != "VN"]
    assert len(
        provincial.merge(
            units, left_on=["unit_code", "unit_valid_from"], right_on=["code", "valid_from"]
        )
    ) == len(provincial)
    # The JSON API gives the same ids.
    api_progress = reviewer.get(
        "/api/v1/progress/", {"indicator": "BK-NLTT-CS", "year": 2022, "origin": "reported"}
    ).json()["results"]
    assert [str(item["target"]) for item in api_progress] == [row.target]
    api_values = reviewer.get("/api/v1/values/", {"indicator": "BK-NLTT-CS", "year": 2022}).json()[
        "results"
    ]
    assert [str(item["report"]) for item in api_values] == bac_kan_value.report.tolist()


def _national_name(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    frame = pd.read_csv(io.BytesIO(_body(response)), encoding="utf-8-sig", dtype=str)
    return frame[frame.unit_code == "VN"].unit_name.iloc[0]


@pytest.mark.parametrize("person", ["visitor", "analyst"])
def test_a_download_link_gives_the_file_in_the_pages_language(people, person: str) -> None:  # type: ignore[no-untyped-def]
    """On an English browser with no language chosen, the page was Vietnamese and its
    download link English ("National" for "Toàn quốc"): the exports read Accept-Language
    for everyone, as the API does for scripts."""
    client = client_for(people[person])
    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9,vi;q=0.8"}
    url = reverse("export", args=["values", "csv"])
    page = client.get("/", **english_browser)
    assert '<html lang="vi">' in page.content.decode()
    export = client.get(url, **english_browser)
    assert _national_name(export) == "Toàn quốc"
    assert export["Content-Language"] == "vi"
    # A browser cache keeps the English copy apart from the Vietnamese.
    assert {"Cookie", "Accept-Language", "Authorization"} <= {
        field.strip() for field in export["Vary"].split(",")
    }
    client.cookies["django_language"] = "en"
    assert '<html lang="en">' in client.get("/", **english_browser).content.decode()
    assert _national_name(client.get(url, **english_browser)) == "National"
    assert _national_name(client.get(url)) == "National"


def test_the_analysts_script_gets_the_export_in_its_accept_language(people) -> None:  # type: ignore[no-untyped-def]
    """The script that fetches the API and the exports with one token and one
    Accept-Language keeps getting both in that language."""
    script = _scripted(Token.objects.create(user=people["analyst"]).key)
    url = reverse("export", args=["values", "csv"])
    english = script.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9,vi;q=0.8")
    assert (_national_name(english), english["Content-Language"]) == ("National", "en")
    assert _national_name(script.get(url)) == "Toàn quốc"
    # "Token" is read in any case, as REST framework reads it.
    key = Token.objects.get(user=people["analyst"]).key
    lower = Client(HTTP_AUTHORIZATION=f"token {key}").get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert _national_name(lower) == "National"
    # A proxy's Basic credentials, which a browser repeats on every request, are no script's.
    behind_basic_auth = Client(HTTP_AUTHORIZATION="Basic dXNlcjpwdw==")
    assert _national_name(behind_basic_auth.get(url, HTTP_ACCEPT_LANGUAGE="en")) == "Toàn quốc"


def _units_by_code(frame: pd.DataFrame) -> dict[str, str]:
    return dict(zip(frame.indicator_code, frame.indicator_unit, strict=True))


def test_an_english_export_gives_each_indicators_unit_in_english(people) -> None:  # type: ignore[no-untyped-def]
    """English exports read "SCP-02,tài liệu" while their unit names and missing units were
    English: the unit column was the indicator's Vietnamese unit, not the page's."""
    english = {"SCP-02": "documents", "SCP-M-TAPCHI": "issues", "SXSH-03": "provinces"}
    english |= {"SXSH-05": "models", "BK-OCOP-3S": "products", "BK-NLTT-SL": "million kWh"}
    vietnamese = {"SCP-02": "tài liệu", "SCP-M-TAPCHI": "số", "SXSH-03": "tỉnh"}
    vietnamese |= {"SXSH-05": "mô hình", "BK-OCOP-3S": "sản phẩm", "BK-NLTT-SL": "triệu kWh"}
    script = _scripted(Token.objects.create(user=people["analyst"]).key)
    read = dict(encoding="utf-8-sig", dtype=str, keep_default_na=False)

    def units(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
        assert response.status_code == 200
        return _units_by_code(pd.read_csv(io.BytesIO(_body(response)), **read))

    for name in ["values", "progress"]:
        url = reverse("export", args=[name, "csv"])
        by_script = units(script.get(url, HTTP_ACCEPT_LANGUAGE="en"))
        assert {code: by_script[code] for code in english} == english, name
        assert units(script.get(url))["SCP-02"] == "tài liệu", name
        # The API's CSV is the same table.
        api = units(script.get(f"/api/v1/{name}/", {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="en"))
        assert {code: api[code] for code in english} == english, name
    # A download link in English, the Excel file and the bundle alike.
    browser = client_for(people["analyst"])
    browser.cookies["django_language"] = "en"
    workbook = _body(browser.get(reverse("export", args=["progress", "xlsx"])))
    sheet = pd.read_excel(io.BytesIO(workbook), sheet_name="data", dtype=str)
    assert {code: _units_by_code(sheet)[code] for code in english} == english
    bundle = zipfile.ZipFile(io.BytesIO(_body(browser.get(reverse("export-bundle")))))
    for name in ["data.csv", "progress.csv"]:
        found = _units_by_code(pd.read_csv(bundle.open(name), **read))
        assert {code: found[code] for code in english} == english, name
    # Vietnamese stays Vietnamese.
    vi = units(client_for(people["analyst"]).get(reverse("export", args=["values", "csv"])))
    assert {code: vi[code] for code in vietnamese} == vietnamese


def test_an_english_export_falls_back_to_the_vietnamese_unit_without_an_english_one(people) -> None:  # type: ignore[no-untyped-def]
    Indicator.objects.filter(code="SCP-02").update(unit_en="", unit_en_singular="")
    browser = client_for(people["analyst"])
    browser.cookies["django_language"] = "en"
    response = browser.get(reverse("export", args=["values", "csv"]), {"indicator": "SCP-02"})
    frame = pd.read_csv(io.BytesIO(_body(response)), encoding="utf-8-sig", dtype=str)
    assert set(frame.indicator_unit) == {"tài liệu"}


@pytest.mark.parametrize("encoding", ["utf8", "latin1", "utf-16", ""])
def test_an_encoding_there_is_not_is_refused_naming_the_one_there_is(people, encoding: str) -> None:  # type: ignore[no-untyped-def]
    """``?encoding=utf8`` and ``?encoding=latin1`` were answered 200 in UTF-8 with a BOM:
    only ``utf-8`` was read, and any other value silently ignored."""
    script = _scripted(Token.objects.create(user=people["reviewer"]).key)
    message = f"Unknown encoding {encoding!r}: the only one is utf-8 (without a BOM)."
    urls = [reverse("export", args=[name, "csv"]) for name in ["values", "progress", "status"]]
    urls += [reverse("export", args=["values", "xlsx"]), reverse("export-bundle")]
    for url in urls:
        response = script.get(url, {"encoding": encoding}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400, url
        assert response.json()["errors"]["encoding"] == [
            {"message": message, "code": "unknown_encoding"}
        ], url
    # The API's CSV reads it as the exports do, and words the error as its filters'.
    for url in ["/api/v1/values/", "/api/v1/reporting-status/"]:
        response = script.get(
            url, {"format": "csv", "encoding": encoding}, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert (response.status_code, response.json()) == (400, {"encoding": [message]}), url


def test_the_bundle_leaves_the_bom_out_with_encoding_utf8(people) -> None:  # type: ignore[no-untyped-def]
    """``bundle.zip?encoding=utf-8`` still wrote a BOM at the start of every CSV."""
    client = client_for(people["analyst"])

    def starts(params: dict[str, str]) -> set[bytes]:
        response = client.get(reverse("export-bundle"), params)
        assert response.status_code == 200
        bundle = zipfile.ZipFile(io.BytesIO(_body(response)))
        return {bundle.read(name)[:3] for name in bundle.namelist()}

    assert starts({}) == {BOM.encode()}
    assert BOM.encode() not in starts({"encoding": "utf-8"})
    # Read the way the single CSVs are without the BOM.
    response = client.get(reverse("export-bundle"), {"encoding": "UTF-8"})
    data = zipfile.ZipFile(io.BytesIO(_body(response))).read("data.csv")
    assert data.startswith(b"unit_code,") and "Bắc Kạn".encode() in data


def _bundle_description(client, **params) -> tuple[zipfile.ZipFile, pd.DataFrame]:  # type: ignore[no-untyped-def]
    response = client.get(reverse("export-bundle"), params)
    assert response.status_code == 200
    bundle = zipfile.ZipFile(io.BytesIO(_body(response)))
    read = dict(encoding="utf-8-sig", dtype=str, keep_default_na=False)
    return bundle, pd.read_csv(bundle.open("export.csv"), **read)


def _described(description: pd.DataFrame, file: str) -> dict[str, str]:
    rows = description[description.file == file]
    return dict(zip(rows.key, rows.value, strict=True))


def test_the_bundles_description_names_each_files_dataset_and_its_own_filters(people) -> None:  # type: ignore[no-untyped-def]
    """``bundle.zip?origin=plan_register&year=2022`` described itself as ``dataset,values``
    with ``filter:year`` alone, though its progress.csv was narrowed by origin; and with
    ``status=approved`` it listed the status filter for a progress.csv that has every row."""
    client = client_for(people["analyst"])
    bundle, description = _bundle_description(client, origin="plan_register", year="2022")
    assert list(description.columns) == ["key", "value", "file"]
    assert _described(description, "") == {"exported_at": description.value.iloc[0]}
    assert _described(description, "data.csv") == {"dataset": "values", "filter:year": "2022"}
    assert _described(description, "progress.csv") == {
        "dataset": "progress",
        "filter:origin": "plan_register",
        "filter:year": "2022",
    }
    # Every other file of the bundle is named.
    assert set(description.file) - {""} == set(bundle.namelist()) - {"export.csv"}
    progress = pd.read_csv(bundle.open("progress.csv"), encoding="utf-8-sig")
    assert set(progress.origin) == {"plan_register"}
    # A report's status narrows the values only: the progress rows are all of approved
    # figures, with statuses of their own (on track, …), and the description says so.
    bundle, description = _bundle_description(client, status="approved")
    assert _described(description, "data.csv") == {
        "dataset": "values",
        "filter:status": "approved",
    }
    assert _described(description, "progress.csv") == {"dataset": "progress"}
    whole = _csv(client, "progress")
    assert len(pd.read_csv(bundle.open("progress.csv"), encoding="utf-8-sig")) == len(whole)
    # As each single export's metadata records its own filters.
    book = load_workbook(
        io.BytesIO(
            _body(
                client.get(
                    reverse("export", args=["progress", "xlsx"]),
                    {"origin": "plan_register", "status": "no_data"},
                )
            )
        ),
        read_only=True,
    )
    heading = {row[0]: row[1] for row in book["metadata"].iter_rows(max_row=4, values_only=True)}
    assert heading["filter:origin"] == "plan_register" and heading["filter:status"] == "no_data"


_EXPORT_URLS = [
    reverse("export", args=["values", "csv"]),
    reverse("export", args=["progress", "xlsx"]),
    reverse("export", args=["status", "csv"]),
    reverse("export-bundle"),
]


def test_options_says_what_an_export_allows_without_sending_the_file(people) -> None:  # type: ignore[no-untyped-def]
    """``OPTIONS /exports/values.csv`` answered 200 with the whole CSV and no Allow."""
    script = _scripted(Token.objects.create(user=people["reviewer"]).key)
    for client in [script, client_for(None)]:
        for url in _EXPORT_URLS:
            response = client.options(url)
            assert response.status_code == 200, url
            assert response["Allow"] == "GET, HEAD, OPTIONS", url
            assert _body(response) == b"", url
    assert script.head(_EXPORT_URLS[0]).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_an_export_answers_a_write_method_405_not_a_csrf_page(people, method: str) -> None:  # type: ignore[no-untyped-def]
    """POST, PUT and DELETE with a token got the 403 CSRF page meant for a browser's form:
    a script read that its token or its CSRF token was wrong, not that exports only read."""
    key = Token.objects.create(user=people["reviewer"]).key
    english = f'Method "{method.upper()}" not allowed.'
    vietnamese = f"Phương thức “{method.upper()}” không được chấp nhận."
    # A script in its Accept-Language; a browser, with its session or none, in the page's.
    clients = [
        (_scripted(key), english),
        (client_for(people["analyst"]), vietnamese),
        (Client(enforce_csrf_checks=True), vietnamese),
    ]
    for client, message in clients:
        for url in _EXPORT_URLS:
            response = getattr(client, method)(url, HTTP_ACCEPT_LANGUAGE="en")
            assert response.status_code == 405, (method, url)
            assert response["Allow"] == "GET, HEAD, OPTIONS"
            assert response.json()["detail"] == message
    # Vietnamese as it reads, as the exports' other errors: not \u-escaped.
    assert "Phương thức".encode() in _scripted(key).post(_EXPORT_URLS[0]).content


def test_a_script_not_allowed_the_status_grid_gets_a_json_404(people) -> None:  # type: ignore[no-untyped-def]
    """A non-ministry token on /exports/status.csv got the site's HTML 404 page, where every
    other export error a script meets is JSON."""
    for person in ["analyst", "officer_hanoi"]:
        script = _scripted(Token.objects.create(user=people[person]).key)
        for name in ["status.csv", "status.xlsx", "nothing.csv", "values.json"]:
            dataset, fmt = name.split(".")
            url = reverse("export", args=[dataset, fmt])
            english = script.get(url, HTTP_ACCEPT_LANGUAGE="en")
            assert english.status_code == 404, (person, name)
            assert english["Content-Type"] == "application/json", (person, name)
            assert english.json() == {"detail": "Not found."}, (person, name)
            assert script.get(url).json() == {"detail": "Không tìm thấy."}, (person, name)
    # A browser following a link still gets the site's page, in the page's language.
    page = client_for(people["analyst"]).get(reverse("export", args=["status", "csv"]))
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
