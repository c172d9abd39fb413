"""The spreadsheet import of yearly results: template, upload, preview, confirm."""

import io
import re
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from indicators.models import Indicator
from provinces.selectors import province_for_code_in_year
from reports import import_services
from reports.import_services import (
    ImportApplyError,
    ImportStaleError,
    import_batch_preview,
    report_import_apply,
    report_import_preview,
)
from reports.imports import ImportFileError
from reports.models import ImportBatch, Report, ValueChange
from reports.services import ReportValidationError, ValueInput, report_values_save

from .conftest import client_for

pytestmark = pytest.mark.django_db

HEADER = "unit_code,indicator_code,year,value,qualifier,numerator,denominator,note,source"
THIS_YEAR = timezone.localdate().year


def _csv(*lines: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *lines]).encode()


def _preview(user, content: bytes, filename: str = "ket-qua.csv"):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return report_import_preview(content=content, filename=filename, by=user)


def _apply(preview, user):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return report_import_apply(batch=preview.batch, by=user, digest=preview.digest)


def _errors(preview) -> list[tuple[int, str, str]]:  # type: ignore[no-untyped-def]
    return preview.errors


def _hanoi(year: int):  # type: ignore[no-untyped-def]
    return province_for_code_in_year(code="01", year=year)


def _draft(user, year: int = 2023, **values: str) -> Report:  # type: ignore[no-untyped-def]
    report = Report.objects.create(province=_hanoi(year), year=year)
    items = [
        ValueInput(indicator=Indicator.objects.get(code=code.replace("_", "-")), value=Decimal(v))
        for code, v in values.items()
    ]
    if items:
        report_values_save(
            report=report, values=items, by=user, path=ValueChange.Path.FORM, expected_version=None
        )
        report.refresh_from_db()
    return report


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.content.decode())


# --- preview and apply ---------------------------------------------------------------


def test_preview_classifies_every_row_new_changed_unchanged_skipped(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    _draft(officer, SCP_07="90", HN_DN_LN="40")
    preview = _preview(
        officer,
        _csv(
            '01,SCP-07,2023,"92,5",,,,,Sở Công Thương',
            "01,HN-DN-LN,2023,40,,,,,",
            "01,HN-DN-KCN,2023,75,trên,,,,",
            "01,SCP-04,2023,,,,,,",
        ),
    )
    assert [(r.line, r.status) for r in preview.rows] == [
        (2, "changed"),
        (3, "unchanged"),
        (4, "new"),
        (5, "skipped"),
    ]
    changed = preview.rows[0]
    assert (changed.old["value"], changed.new["value"]) == ("90", "92.5")
    assert preview.rows[2].new["qualifier"] == "more_than"
    assert preview.counts == {"new": 1, "changed": 1, "unchanged": 1, "skipped": 1, "error": 0}


def test_confirm_applies_the_file_with_the_import_path_in_the_audit(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    report = _draft(officer, SCP_07="90")
    preview = _preview(
        officer, _csv("01,SCP-07,2023,93,,,,,Báo cáo 12", "01,HN-DN-LN,2023,40,about,,,,")
    )
    result = _apply(preview, officer)
    assert result.changed == 2
    assert result.reports == [report]
    values = dict(report.values.values_list("indicator__code", "value"))
    assert values == {"SCP-07": Decimal("93"), "HN-DN-LN": Decimal("40")}
    imported = ValueChange.objects.filter(report=report, path=ValueChange.Path.IMPORT)
    assert sorted(c.indicator.code for c in imported) == ["HN-DN-LN", "SCP-07"]
    change = imported.get(indicator__code="SCP-07")
    assert (change.by, change.old["value"], change.new["value"]) == (officer, "90", "93")
    assert change.at is not None
    preview.batch.refresh_from_db()
    assert preview.batch.applied_at is not None


def test_an_import_opens_the_report_when_there_is_none(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    result = _apply(_preview(officer, _csv("01,SCP-07,2024,88,,,,,")), officer)
    report = Report.objects.get(province=_hanoi(2024), year=2024)
    assert result.reports == [report]
    assert report.status == Report.Status.DRAFT
    assert report.values.get().value == Decimal("88")


def test_the_same_file_applied_twice_changes_nothing_the_second_time(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    report = _draft(officer, SCP_07="90")
    content = _csv(
        "01,SCP-07,2023,93,,,,,",
        '01,HN-DN-LN,2023,"40,5",khoảng,,,Ước tính,Sở Công Thương',
        "01,SCP-04,2023,,,,,,",
        "01,HN-DN-KCN,2023,50,,25,50,,",
    )
    assert _apply(_preview(officer, content), officer).changed == 3
    report.refresh_from_db()
    version, changes = report.version, ValueChange.objects.count()

    again = _preview(officer, content)
    assert {r.status for r in again.rows} == {"unchanged", "skipped"}
    assert _apply(again, officer).changed == 0
    report.refresh_from_db()
    assert (report.version, ValueChange.objects.count()) == (version, changes)


def test_an_applied_batch_is_not_applied_again(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    preview = _preview(officer, _csv("01,SCP-07,2024,88,,,,,"))
    _apply(preview, officer)
    with pytest.raises(ImportApplyError, match="already been applied"):
        _apply(preview, officer)


def test_uploads_are_deleted_after_the_retention_period_and_their_values_stay(
    people, settings
) -> None:  # type: ignore[no-untyped-def]
    from reports.tasks import purge_import_batches

    settings.IMPORT_BATCH_RETENTION_DAYS = 7
    officer = people["officer_hanoi"]
    applied = _preview(officer, _csv("01,SCP-07,2024,88,,,,,"))
    _apply(applied, officer)
    never_applied = _preview(officer, _csv("01,SCP-07,2023,70,,,,,"))
    recent = _preview(officer, _csv("01,SCP-07,2021,60,,,,,"))
    eight_days_ago = timezone.now() - timedelta(days=8)
    ImportBatch.objects.filter(pk__in=[applied.batch.pk, never_applied.batch.pk]).update(
        uploaded_at=eight_days_ago
    )

    assert purge_import_batches.apply().get() == 2

    assert list(ImportBatch.objects.values_list("pk", flat=True)) == [recent.batch.pk]
    value = Report.objects.get(province=_hanoi(2024), year=2024).values.get(
        indicator__code="SCP-07"
    )
    assert value.value == Decimal("88")
    assert ValueChange.objects.filter(
        report=value.report, indicator=value.indicator, path="import"
    ).exists()
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert purge_import_batches.name in schedule


def test_a_blank_value_never_removes_a_stored_value(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    report = _draft(officer, SCP_07="90")
    preview = _preview(officer, _csv("01,SCP-07,2023,,,,,,"))
    assert preview.rows[0].status == "skipped"
    assert _apply(preview, officer).changed == 0
    assert report.values.get().value == Decimal("90")


def test_columns_the_file_does_not_have_keep_what_is_stored(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    report = _draft(officer, SCP_07="90")
    report.values.update(as_of="2024-01-15", evidence_url="https://example.org/bc")
    preview = _preview(officer, _csv("01,SCP-07,2023,90,,,,,"))
    assert preview.rows[0].status == "unchanged"


# --- the day a figure was counted (as_of) -------------------------------------------------

AS_OF_HEADER = f"{HEADER},as_of"
TOMORROW = timezone.localdate() + timedelta(days=1)


def test_an_as_of_column_is_read_as_iso_day_first_or_a_date_cell(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    preview = _preview(
        officer,
        _csv(
            "01,SCP-07,2023,80,,,,,,2023-07-15",
            "01,HN-DN-LN,2023,40,,,,,,15/7/2023",
            "01,HN-DN-KCN,2023,70,,,,,,",
            header=AS_OF_HEADER,
        ),
    )
    assert not preview.has_errors, _errors(preview)
    assert [r.new["as_of"] for r in preview.rows] == ["2023-07-15", "2023-07-15", None]

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(AS_OF_HEADER.split(","))
    sheet.append(["01", "SCP-07", 2023, 80, None, None, None, None, None, date(2023, 7, 15)])
    sheet.append(["01", "HN-DN-LN", 2023, 40, None, None, None, None, None, "15/07/2023"])
    # A day with a time of day (=NOW(), "15/07/2023 10:30" typed in) stands for its day.
    typed = datetime(2023, 7, 15, 10, 30)  # noqa: DTZ001 - a spreadsheet cell has no zone
    sheet.append(["01", "HN-DN-KCN", 2023, 70, None, None, None, None, None, typed])
    out = io.BytesIO()
    workbook.save(out)
    preview = _preview(officer, out.getvalue(), "ket-qua.xlsx")
    assert not preview.has_errors, _errors(preview)
    assert [r.new["as_of"] for r in preview.rows] == ["2023-07-15"] * 3
    _apply(preview, officer)
    report = Report.objects.get(province=_hanoi(2023), year=2023)
    assert {v.as_of for v in report.values.all()} == {date(2023, 7, 15)}


def test_a_day_with_a_time_of_day_in_a_csv_cell_stands_for_its_day(people) -> None:  # type: ignore[no-untyped-def]
    # What Excel saves for a date-time cell, and what another system's export writes.
    preview = _preview(
        people["officer_hanoi"],
        _csv(
            "01,SCP-07,2023,80,,,,,,15/07/2023 10:30",
            "01,HN-DN-LN,2023,40,,,,,,2023-07-15T00:00:00",
            "01,HN-DN-KCN,2023,70,,,,,,15/07/2023 24:00",
            header=AS_OF_HEADER,
        ),
    )
    assert [r.new["as_of"] for r in preview.rows[:2]] == ["2023-07-15", "2023-07-15"]
    assert _errors(preview) == [
        (4, "as_of", "'15/07/2023 24:00' is not a day: write it as dd/mm/yyyy, e.g. 15/07/2024")
    ]


def test_a_change_of_day_alone_is_previewed_as_a_change_and_applied(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    report = _draft(officer, SCP_07="90", HN_DN_LN="40")
    report.values.filter(indicator__code="HN-DN-LN").update(as_of=date(2023, 6, 30))
    client = client_for(officer)
    upload = client.post(
        reverse("report-import"),
        {
            "file": _named(
                _csv(
                    "01,SCP-07,2023,90,,,,,,15/07/2023",
                    "01,HN-DN-LN,2023,40,,,,,,",  # an empty day: the whole year's figure
                    header=AS_OF_HEADER,
                ),
                "a.csv",
            )
        },
    )
    preview = import_batch_preview(batch=ImportBatch.objects.get(), by=officer)
    assert [(r.status, r.old["as_of"], r.new["as_of"]) for r in preview.rows] == [
        ("changed", None, "2023-07-15"),
        ("changed", "2023-06-30", None),
    ]
    page = _text(client.get(upload["Location"]))
    scp07 = re.search(r'<tr class="row-changed">(?:(?!</tr>).)*SCP-07.*?</tr>', page)
    assert scp07 and scp07.group(0).count("tính đến 15/7/2023") == 1  # the After side only
    digest = re.search(r'name="digest" value="(\w+)"', page).group(1)  # type: ignore[union-attr]
    client.post(reverse("report-import-apply", args=[preview.batch.pk]), {"digest": digest})
    assert dict(report.values.values_list("indicator__code", "as_of")) == {
        "SCP-07": date(2023, 7, 15),
        "HN-DN-LN": None,
    }
    change = ValueChange.objects.get(report=report, path="import", indicator__code="SCP-07")
    assert (change.old["as_of"], change.new["as_of"]) == (None, "2023-07-15")


def test_a_file_without_the_as_of_column_keeps_the_stored_day(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    report = _draft(officer, SCP_07="90")
    report.values.update(as_of=date(2023, 7, 15))
    _apply(_preview(officer, _csv("01,SCP-07,2023,92,,,,,")), officer)
    value = report.values.get()
    assert (value.value, value.as_of) == (Decimal("92"), date(2023, 7, 15))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_template_carries_the_stored_day_and_reads_back_unchanged(people, fmt) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    report = _draft(officer, year=2024, SCP_07="90")
    report.values.update(as_of=date(2024, 7, 15))
    content = client_for(officer).get(reverse("report-template", args=[report.pk, fmt])).content
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(content)).active
        cell = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "SCP-07")[9]
        # A date cell (openpyxl reads it back as a naive datetime at midnight).
        assert (cell.is_date, cell.value.date(), cell.number_format) == (
            True,
            date(2024, 7, 15),
            "DD/MM/YYYY",
        )
    else:
        # Day first, as officers read it: an Excel of another locale saves it back in the
        # order it read it, where an ISO day would come back month first.
        assert "01,SCP-07,2024,90,exact,,,,,15/07/2024," in content.decode("utf-8-sig")
    preview = _preview(officer, content, f"sxtd-01-2024.{fmt}")
    assert {r.status for r in preview.rows} == {"unchanged", "skipped"}
    assert [r.new["as_of"] for r in preview.rows if r.new] == ["2024-07-15"]


AS_OF_ERROR_CASES = [
    (
        "01,SCP-07,2024,50,,,,,,2023-12-31",
        "31 Dec 2023 is before 2024: a figure of the 2024 report is counted in 2024 or later",
    ),
    (
        f"01,SCP-07,2024,50,,,,,,{TOMORROW:%d/%m/%Y}",
        "is in the future: give the day the figure was counted",
    ),
    (
        "01,SCP-07,2024,,,,,,,30/06/2024",
        "a day is given but no value: give the value, or leave the day empty",
    ),
    ("01,SCP-07,2024,50,,,,,,30/6/24", "'30/6/24' is not a day: write it as dd/mm/yyyy"),
    ("01,SCP-07,2024,50,,,,,,31/06/2024", "'31/06/2024' is not a day of the calendar"),
    # Never month first: 30 is no month.
    ("01,SCP-07,2024,50,,,,,,6/30/2024", "'6/30/2024' is not a day of the calendar"),
    (
        "01,SCP-01,2024,,,,,Đã ban hành,,30/06/2024",
        "a qualitative result has no figure to date: leave the day empty",
    ),
]


@pytest.mark.parametrize(("line", "reason"), AS_OF_ERROR_CASES)
def test_each_refused_day_names_line_column_and_reason(people, line, reason) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    preview = _preview(officer, _csv("01,SCP-07,2023,90,,,,,,", line, header=AS_OF_HEADER))
    found = [(n, column, text) for n, column, text in _errors(preview) if n == 3]
    assert len(found) == 1 and found[0][:2] == (3, "as_of"), _errors(preview)
    assert reason in found[0][2]
    with pytest.raises(ImportApplyError):
        _apply(preview, officer)
    assert not Report.objects.filter(province=_hanoi(2023), year=2023).exists()


def test_the_preview_says_what_changes_besides_the_figure(people) -> None:  # type: ignore[no-untyped-def]
    """A file adding only a source read "80 → 80" in the preview, as the change log did."""
    officer = people["officer_hanoi"]
    _draft(officer, SCP_07="80")
    client = client_for(officer)
    response = client.post(
        reverse("report-import"),
        {"file": _named(_csv("01,SCP-07,2023,80,,,,,Báo cáo 12/BC-SCT"), "a.csv")},
    )
    text = _text(client.get(response["Location"]))
    assert "nguồn: thêm “Báo cáo 12/BC-SCT”" in text


def test_the_preview_page_names_a_refused_day_in_vietnamese(people) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people["officer_hanoi"])
    response = client.post(
        reverse("report-import"),
        {"file": _named(_csv("01,SCP-07,2024,50,,,,,,2023-12-31", header=AS_OF_HEADER), "a.csv")},
    )
    text = _text(client.get(response["Location"]))
    assert '<td class="num">2</td><td class="code">as_of</td>' in text
    assert "31/12/2023 là trước năm 2024" in text


# --- every error, with line, column and reason ------------------------------------------

ERROR_CASES = [
    ("99,SCP-07,2024,50,,,,,", "unit_code", "no unit has the code 99 in 2024"),
    # Code 02 was Hà Giang until 30/6/2025, with no plan of its own: in 2025 no unit has it.
    ("02,SCP-07,2025,50,,,,,", "unit_code", "no unit has the code 02 in 2025"),
    ("19,SCP-07,2025,50,,,,,", "unit_code", "you do not report for Thái Nguyên, code 19 in 2025"),
    (
        "06,BK-OCOP-3S,2024,50,,,,,",
        "unit_code",
        "you do not report for Bắc Kạn (until 30 Jun 2025), code 06 in 2024",
    ),
    (",SCP-07,2024,50,,,,,", "unit_code", "the unit code is missing"),
    ("01,XYZ-99,2024,50,,,,,", "indicator_code", "unknown indicator 'XYZ-99'"),
    ("01,,2024,50,,,,,", "indicator_code", "the indicator code is missing"),
    ("01,SCP-07,20x4,50,,,,,", "year", "'20x4' is not a year"),
    ("01,SCP-07,,50,,,,,", "year", "the year is missing"),
    ("01,SCP-07,2019,50,,,,,", "year", f"reports cover 2021 to {min(THIS_YEAR, 2030)}"),
    ("01,SCP-07,2024,abc,,,,,", "value", "'abc' is not a number"),
    ("01,SCP-07,2024,50,,x,2,,", "numerator", "'x' is not a number"),
    (
        "01,SCP-07,2024,50,roughly,,,,",
        "qualifier",
        "unknown qualifier 'roughly': write exact, more_than, less_than or about "
        "(or trên, dưới, khoảng)",
    ),
    (
        "01,SCP-07,2024,120,,,,,",
        "value",
        "a share must be between 0 and 100 %; give the numerator and denominator if it is not a "
        "share",
    ),
    ("01,SCP-05,2024,-3,,,,,", "value", "a count or quantity cannot be negative"),
    (
        '01,BK-NLTT-CS,2024,"21,12345",,,,,',
        "value",
        "at most 16 digits before the decimal mark and 4 after it (21.12345)",
    ),
    ('01,SCP-05,2024,"3,5",,,,,', "value", "a count must be a whole number"),
    # A lone mark before three digits is asked about, as the entry form asks.
    (
        "01,SCP-05,2024,1.234,,,,,",
        "value",
        "'1.234' could be read as 1234 or as 1.2340: write 1234, without a thousands "
        "separator, or 1.2340",
    ),
    # Not grouped as thousands are: the one reading is a decimal, and a count is whole.
    (
        "01,SCP-05,2024,1234.567,,,,,",
        "value",
        "a count must be a whole number: if you meant 1234567, write it without the mark",
    ),
    ("01,SCP-07,2024,,,5,0,,", "denominator", "the denominator cannot be zero"),
    ("01,SCP-07,2024,,,-5,-10,,", "denominator", "the denominator must be more than zero"),
    (
        "01,SCP-07,2024,,,5,,,",
        "denominator",
        "give both the numerator and the denominator, or neither",
    ),
    ("01,SCP-07,2024,,,,,,Sở Công Thương", "value", "a value is required"),
    ("01,SCP-07,2024,,,,,chưa có số liệu,", "value", "a value is required"),
    (
        "01,SCP-01,2024,,,,,,Sở Công Thương",
        "note",
        "a qualitative indicator is reported in the note",
    ),
    (
        "01,SCP-01,2024,5,,,,Đã ban hành,",
        "value",
        "a qualitative indicator takes a note, not a number",
    ),
]


@pytest.mark.parametrize(("line", "column", "reason"), ERROR_CASES)
def test_each_row_error_names_line_column_and_reason(people, line, column, reason) -> None:  # type: ignore[no-untyped-def]
    preview = _preview(people["officer_hanoi"], _csv("01,SCP-07,2023,90,,,,,", line))
    assert (3, column, reason) in _errors(preview), _errors(preview)
    assert preview.rows[0].status == "new"
    with pytest.raises(ImportApplyError, match=r"^The file has 1 row with errors; "):
        _apply(preview, people["officer_hanoi"])
    assert not Report.objects.filter(province=_hanoi(2023), year=2023).exists()


def test_a_running_total_below_last_year_needs_a_note(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    _draft(officer, year=2023, SCP_05="10")
    preview = _preview(officer, _csv("01,SCP-05,2024,8,,,,,", "01,SCP-05,2025,12,,,,,"))
    assert _errors(preview) == [
        (2, "note", "a running total lower than last year's (10) needs a note saying why")
    ]
    # Within one file, the earlier year's row is what the later one is checked against.
    preview = _preview(officer, _csv("01,SCP-05,2025,11,,,,,", "01,SCP-05,2024,12,,,,,"))
    assert _errors(preview) == [
        (2, "note", "a running total lower than last year's (12) needs a note saying why")
    ]
    ok = _preview(officer, _csv("01,SCP-05,2024,8,,,,Rà soát lại số mô hình,"))
    assert not ok.has_errors


def test_a_merged_units_first_running_total_is_checked_against_its_former_units(people) -> None:  # type: ignore[no-untyped-def]
    from tests.progress_builders import approved_value

    approved_value(province_for_code_in_year(code="19", year=2024), "SCP-05", 2024, "4")
    approved_value(province_for_code_in_year(code="06", year=2024), "SCP-05", 2024, "6")
    preview = _preview(people["officer_thainguyen"], _csv("19,SCP-05,2025,7,,,,,"))
    assert _errors(preview) == [
        (2, "note", "a running total lower than last year's (10) needs a note saying why")
    ]


def test_a_duplicate_row_names_both_lines(people) -> None:  # type: ignore[no-untyped-def]
    preview = _preview(
        people["officer_hanoi"],
        _csv("01,SCP-07,2024,50,,,,,", "01,HN-CHO,2024,50,,,,,", "1,scp-07,2024,51,,,,,"),
    )
    assert _errors(preview) == [
        (2, "indicator_code", "repeated on line 4: give each unit, indicator and year once"),
        (4, "indicator_code", "line 4 repeats line 2: the same unit, indicator and year"),
    ]


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_a_file_naming_a_locked_report_is_refused_up_front(people, status) -> None:  # type: ignore[no-untyped-def]
    """It was previewed with an error on every row of that report; now one message says
    which reports are locked, and nothing is stored."""
    officer = people["officer_hanoi"]
    report = _draft(officer, SCP_07="90")
    Report.objects.filter(pk=report.pk).update(status=status)
    content = _csv("01,SCP-07,2023,91,,,,,", "01,HN-DN-KCN,2023,50,,,,,", "01,SCP-07,2024,5,,,,,")
    with pytest.raises(ImportFileError) as refused:
        _preview(officer, content)
    assert str(refused.value) == (
        "Nothing was imported: the file has rows for reports that are sent to or approved by "
        f"the ministry and can no longer be changed: Hà Nội 2023 ({status}). Remove their "
        "rows, or ask the ministry to return the report."
    )
    response = client_for(officer).post(
        reverse("report-import"), {"file": _named(content, "a.csv")}
    )
    assert response.status_code == 200
    assert "Không nhập gì: tệp có dòng thuộc báo cáo đã gửi Bộ hoặc đã được duyệt" in _text(
        response
    )
    assert not ImportBatch.objects.exists()


def test_a_report_locked_after_the_upload_is_an_error_on_its_rows(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    report = _draft(officer, SCP_07="90")
    preview = _preview(officer, _csv("01,SCP-07,2023,91,,,,,"))
    Report.objects.filter(pk=report.pk).update(status="submitted")
    with translation.override("en"):
        again = import_batch_preview(batch=preview.batch, by=officer)
    assert _errors(again) == [
        (2, "year", "the report of Hà Nội for 2023 is submitted and cannot be changed")
    ]


def test_hanoi_officer_cannot_import_for_thai_nguyen(people) -> None:  # type: ignore[no-untyped-def]
    preview = _preview(people["officer_hanoi"], _csv("19,SCP-07,2025,50,,,,,"))
    assert _errors(preview) == [
        (2, "unit_code", "you do not report for Thái Nguyên, code 19 in 2025")
    ]
    assert not Report.objects.filter(province__code="19", year=2025).exists()


def test_thai_nguyen_officer_imports_bac_kan_2024_and_the_new_unit_2025(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_thainguyen"]
    preview = _preview(
        officer,
        _csv(
            "06,BK-OCOP-3S,2024,190,,,,,Sở Công Thương Thái Nguyên",
            "19,SCP-07,2025,60,,,,,Sở Công Thương Thái Nguyên",
        ),
    )
    assert not preview.has_errors, _errors(preview)
    assert [r.province.name for r in preview.rows] == ["Bắc Kạn", "Thái Nguyên"]
    _apply(preview, officer)
    bac_kan = Report.objects.get(
        province=province_for_code_in_year(code="06", year=2024), year=2024
    )
    assert bac_kan.values.get().value == Decimal("190")
    new_unit = Report.objects.get(province=province_for_code_in_year(code="19", year=2025))
    assert new_unit.values.get().indicator.code == "SCP-07"


# --- the file as a whole -------------------------------------------------------------


def test_a_share_given_again_as_the_page_shows_it_keeps_its_parts(people) -> None:  # type: ignore[no-untyped-def]
    """1 of 3 supermarkets is stored as 33.3333 and shown 33,33 %: a four-column sheet
    giving 33,33 gives the same figure, and must not drop its parts for an exact 33,33."""
    officer = people["officer_hanoi"]
    report = _draft(officer, year=2024, SCP_07="90")
    report.values.update(value=Decimal("33.3333"), numerator=Decimal(1), denominator=Decimal(3))
    preview = _preview(
        officer, _csv('01,SCP-07,2024,"33,33"', header="unit_code,indicator_code,year,value")
    )
    assert [row.status for row in preview.rows] == ["unchanged"], _errors(preview)


def test_missing_columns_are_named(people) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(
        ImportFileError,
        match=r"^The first line must name the columns; missing: year, value\.$",
    ):
        _preview(people["officer_hanoi"], _csv(header="unit_code,indicator_code,note"))
    assert not ImportBatch.objects.exists()


def test_a_file_of_unit_indicator_year_and_value_alone_is_read(people) -> None:  # type: ignore[no-untyped-def]
    """An officer's own sheet of four columns was refused for lacking qualifier, numerator,
    denominator, note and source. Without them nothing stored is blanked: a new figure is
    exact and has no parts, an unchanged one keeps its own, and note and source stay."""
    officer = people["officer_hanoi"]
    report = _draft(officer, year=2024, SCP_07="90")
    report.values.update(
        qualifier="more_than",
        numerator=Decimal(9),
        denominator=Decimal(10),
        note="9 của 10 siêu thị",
        source="Sở Công Thương",
    )
    header = "unit_code,indicator_code,year,value"
    # The stored value given again: the file changes nothing, its qualifier and parts kept.
    same = _preview(officer, _csv("01,SCP-07,2024,90", header=header))
    assert [row.status for row in same.rows] == ["unchanged"], _errors(same)
    preview = _preview(officer, _csv("01,SCP-07,2024,95", "01,HN-CHO,2024,40", header=header))
    assert not preview.has_errors, _errors(preview)
    assert [row.status for row in preview.rows] == ["changed", "new"]
    _apply(preview, officer)
    stored = report.values.get(indicator__code="SCP-07")
    assert (stored.value, stored.qualifier, stored.numerator, stored.denominator) == (
        Decimal(95),
        "exact",
        None,
        None,
    )
    assert (stored.note, stored.source) == ("9 của 10 siêu thị", "Sở Công Thương")
    assert report.values.get(indicator__code="HN-CHO").value == Decimal(40)


def test_extra_columns_and_header_case_and_spaces_are_accepted(people) -> None:  # type: ignore[no-untyped-def]
    header = " Unit_Code ,INDICATOR_CODE,year,value,qualifier,numerator,denominator,note,source,tên"
    preview = _preview(
        people["officer_hanoi"], _csv("01,SCP-07,2024,50,,,,,,bỏ qua", header=header)
    )
    assert [r.status for r in preview.rows] == ["new"]


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "a.csv", "The file is empty."),
        (b"%PDF-1.4", "a.pdf", "Upload an .xlsx or a .csv file."),
        (b"not a zip", "a.xlsx", "The file is not a valid .xlsx workbook."),
        (
            # UTF-16 cut off in the middle of a letter.
            f"{HEADER}\n".encode("utf-16-le")[:-1],
            "a.csv",
            "The file has the NUL bytes of UTF-16 text but is not valid UTF-16; "
            "save it as CSV UTF-8.",
        ),
    ],
)
def test_unreadable_files_are_refused(people, content, filename, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ImportFileError, match=f"^{re.escape(message)}$"):
        _preview(people["officer_hanoi"], content, filename)


def _header_only_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(HEADER.split(","))
    workbook.active.append([])  # a blank line after the header says nothing either
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (_csv(), "a.csv"),
        (_csv(",,,,,,,,", ""), "a.csv"),
        (_header_only_xlsx(), "a.xlsx"),
    ],
)
def test_a_file_with_only_the_header_is_refused(people, content, filename) -> None:  # type: ignore[no-untyped-def]
    """Previewed, it offered to "apply 0 changes": it is refused, saying why."""
    with pytest.raises(ImportFileError, match=r"^The file has no data rows: only the line"):
        _preview(people["officer_hanoi"], content, filename)
    response = client_for(people["officer_hanoi"]).post(
        reverse("report-import"), {"file": _named(content, filename)}
    )
    assert response.status_code == 200
    assert "Tệp không có dòng dữ liệu nào" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_over_the_size_limit_is_refused(people, settings) -> None:  # type: ignore[no-untyped-def]
    settings.IMPORT_MAX_BYTES = 2**20
    content = _csv(*["01,SCP-07,2024,50,,,,," + "x" * 100] * 11000)
    with pytest.raises(ImportFileError, match=r"^The file is larger than 1 MB\.$"):
        _preview(people["officer_hanoi"], content)
    response = client_for(people["officer_hanoi"]).post(
        reverse("report-import"), {"file": _named(content, "a.csv")}
    )
    assert "Tệp lớn hơn 1 MB." in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_over_the_row_limit_is_refused(people, settings) -> None:  # type: ignore[no-untyped-def]
    settings.IMPORT_MAX_ROWS = 3
    content = _csv(*[f"01,SCP-07,{year},50,,,,," for year in range(2021, 2025)])
    with pytest.raises(
        ImportFileError, match=r"^The file has more than 3 rows; split it into smaller files\.$"
    ):
        _preview(people["officer_hanoi"], content)
    # Blank lines at the end are not rows.
    _preview(people["officer_hanoi"], _csv("01,SCP-07,2024,50,,,,,", ",,,,,,,,", "", ""))


def _workbook(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_xlsx_that_expands_past_the_limit_is_refused(people, settings) -> None:  # type: ignore[no-untyped-def]
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 2**20
    out = io.BytesIO(_workbook([["01", "SCP-07", 2024, 50]]))
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (3 * 2**20))
    bomb = out.getvalue()
    assert len(bomb) < 20_000  # small on disk, 3 MB once inflated
    with pytest.raises(
        ImportFileError,
        match=r"^The workbook expands to more than 1 MB when opened; it is refused\.$",
    ):
        _preview(people["officer_hanoi"], bomb, "bom.xlsx")


def test_an_xlsx_with_number_cells_is_read(people) -> None:  # type: ignore[no-untyped-def]
    content = _workbook([[1, "SCP-07", 2024, 21.6, None, None, None, "ghi chú", None]])
    preview = _preview(people["officer_hanoi"], content, "ket-qua.xlsx")
    assert [(r.status, r.new["value"], r.new["note"]) for r in preview.rows] == [
        ("new", "21.6", "ghi chú")
    ]


def test_bac_kans_area_is_imported_after_the_merger_on_its_own_plans_indicators_only(
    people,
) -> None:  # type: ignore[no-untyped-def]
    """Bắc Kạn ended on 30/6/2025 but its 405/KH-UBND runs to 2030: the new Thái Nguyên
    files the area's 2025 figures against it, and reports the programme's as itself."""
    officer = people["officer_thainguyen"]
    preview = _preview(officer, _csv("06,BK-OCOP-3S,2025,196,,,,,", "06,SCP-06,2025,50,,,,,"))
    assert _errors(preview) == [
        (
            3,
            "indicator_code",
            "once Bắc Kạn (until 30 Jun 2025) ended, only its own plan's indicators are "
            "reported for its area; report SCP-06 under the code 19 (Thái Nguyên), the unit it "
            "became part of",
        )
    ]
    _apply(_preview(officer, _csv("06,BK-OCOP-3S,2025,196,,,,,")), officer)
    report = Report.objects.get(province__code="06", year=2025)
    assert report.province.valid_to == date(2025, 6, 30)
    assert [v.indicator.code for v in report.values.all()] == ["BK-OCOP-3S"]


# --- encodings and delimiters -----------------------------------------------------------

HUE_NFC = "Thừa Thiên Huế"
# Windows-1258 writes most tone marks as combining characters after the base letter.
HUE_CP1258 = "Th\u01b0\u0300a Thi\u00ean Hu\u00ea\u0301"


@pytest.mark.parametrize(
    ("content", "label"),
    [
        (f"{HEADER}\n01,SCP-07,2024,21.6,,,,{HUE_NFC},\n".encode(), "UTF-8"),
        (f"{HEADER}\r\n01,SCP-07,2024,21.6,,,,{HUE_NFC},\r\n".encode("utf-8-sig"), "UTF-8 BOM"),
        (
            f"{HEADER.replace(',', chr(9))}\r\n01\tSCP-07\t2024\t21,6\t\t\t\t{HUE_NFC}\t\r\n".encode(
                "utf-16"
            ),
            "UTF-16 tab",
        ),
        (
            f"{HEADER.replace(',', chr(9))}\r\n01\tSCP-07\t2024\t21,6\t\t\t\t{HUE_NFC}\t\r\n".encode(
                "utf-16-le"
            ),
            "UTF-16 LE without BOM",
        ),
        (
            f"{HEADER}\n01,SCP-07,2024,21.6,,,,{HUE_NFC},\n".encode("utf-16-be"),
            "UTF-16 BE without BOM",
        ),
        (
            f"{HEADER.replace(',', ';')}\r\n01;SCP-07;2024;21,6;;;;{HUE_CP1258};\r\n".encode(
                "cp1258"
            ),
            "Windows-1258 semicolon",
        ),
        (
            f"{HEADER}\n01,SCP-07,2024,21.6,,,,"
            f"{HUE_NFC.replace('ừ', 'u' + chr(0x31B) + chr(0x300))},\n".encode(),
            "UTF-8 decomposed",
        ),
    ],
)
def test_encodings_and_delimiters_read_the_same_row(people, content, label) -> None:  # type: ignore[no-untyped-def]
    preview = _preview(people["officer_hanoi"], content)
    assert not preview.has_errors, (label, _errors(preview))
    row = preview.rows[0]
    assert (row.new["value"], row.new["note"]) == ("21.6", HUE_NFC), label
    assert row.new["note"].encode() == HUE_NFC.encode()


def test_vietnamese_text_typed_two_ways_is_one_value(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    _apply(_preview(officer, _csv(f"01,SCP-07,2024,50,,,,{HUE_NFC},")), officer)
    again = _preview(
        officer, f"{HEADER.replace(',', ';')}\n01;SCP-07;2024;50;;;;{HUE_CP1258};".encode("cp1258")
    )
    assert [r.status for r in again.rows] == ["unchanged"]


# --- nothing half-applied ------------------------------------------------------------


def _snapshot() -> str:
    out = io.StringIO()
    call_command(
        "dumpdata",
        "reports.Report",
        "reports.ReportedValue",
        "reports.ValueChange",
        "reports.ReportTransition",
        "reports.ImportBatch",
        "progress",
        stdout=out,
        indent=None,
    )
    return out.getvalue()


def test_a_file_with_one_bad_row_leaves_the_database_byte_for_byte_unchanged(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    _draft(officer, SCP_07="90")
    lines = [
        "01,SCP-07,2023,91,,,,,",  # changed
        "01,SCP-07,2024,92,,,,,",  # new, in a report the import would open
        "01,SCP-04,2025,60,,,,,",
        "01,HN-CHO,2024,140,,,,,",  # the one bad row: a share above 100
    ]
    preview = _preview(officer, _csv(*lines))
    assert [r.status for r in preview.rows].count("error") == 1
    before = _snapshot()
    client = client_for(officer)
    response = client.post(
        reverse("report-import-apply", args=[preview.batch.pk]), {"digest": preview.digest}
    )
    assert response.status_code == 302
    assert _snapshot() == before
    assert "140" in _text(client.get(response["Location"]))


def test_a_failure_in_the_last_report_rolls_back_the_earlier_ones(people, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    _draft(officer, SCP_07="90")
    preview = _preview(officer, _csv("01,SCP-07,2023,91,,,,,", "01,SCP-07,2024,92,,,,,"))
    before = _snapshot()
    calls = []
    real = import_services.report_values_save

    def save_then_fail(**kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs["report"].year)
        if len(calls) == 2:
            raise ImportApplyError("simulated failure after the first report was written")
        return real(**kwargs)

    monkeypatch.setattr(import_services, "report_values_save", save_then_fail)
    with pytest.raises(ImportApplyError):
        _apply(preview, officer)
    assert calls == [2023, 2024]
    assert _snapshot() == before


def test_a_preview_overtaken_by_another_save_is_not_applied(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    report = _draft(officer, SCP_07="90")
    preview = _preview(officer, _csv("01,SCP-07,2023,93,,,,,"))
    report_values_save(
        report=report,
        values=[ValueInput(indicator=Indicator.objects.get(code="SCP-07"), value=Decimal(95))],
        by=officer,
        path=ValueChange.Path.FORM,
        expected_version=report.version,
    )
    with pytest.raises(ImportStaleError):
        _apply(preview, officer)
    assert report.values.get().value == Decimal("95")


# --- queries -------------------------------------------------------------------------


def test_the_preview_reads_in_a_fixed_number_of_queries(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_thainguyen"]
    bac_kan = province_for_code_in_year(code="06", year=2024)
    # The year before the small file's 2024 row: last year's report is not read for it.
    Report.objects.create(province=bac_kan, year=2023)

    def count(lines: list[str]) -> int:
        batch = ImportBatch.objects.create(
            uploaded_by=officer, filename="a.csv", content=_csv(*lines)
        )
        by = type(officer).objects.get(pk=officer.pk)  # as a request has it: nothing kept
        with CaptureQueriesContext(connection) as queries:
            preview = import_batch_preview(batch=batch, by=by)
        assert not preview.has_errors, preview.errors
        return len(queries)

    # The officer's unit, the units they report for (two queries for a merged unit, read
    # once), every unit, the file's indicators, the reportable years, the former units'
    # areas (two), the forms' indicators (three), the reports.
    small = count(["06,BK-OCOP-3S,2024,190,,,,,", "19,SCP-04,2025,50,,,,,"])
    # However many rows, three more at most: the values of the reports that exist (Bắc
    # Kạn's 2023), last year's figures of the running totals (SCP-05) and, for a merged
    # unit's first year, its former units.
    large = count(
        [
            *[
                f"06,{indicator},{year},{n},,,,,"
                for n, year in enumerate([2023, 2024, 2025])
                for indicator in ["BK-OCOP-3S", "BK-OCOP-5S", "SCP-05", "SCP-07", "SCP-04"]
            ],
            *[f"19,{indicator},2025,50,,,,," for indicator in ["SCP-05", "SCP-07", "SCP-04"]],
        ]
    )
    assert (small, large) == (12, 15)


# --- pages ----------------------------------------------------------------------------


def test_xlsx_round_trip_download_fill_upload_preview_confirm(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    report = _draft(officer, year=2024, SCP_07="90")
    client = client_for(officer)
    response = client.get(reverse("report-template", args=[report.pk, "xlsx"]))
    assert response["Content-Disposition"] == 'attachment; filename="sxtd-01-2024.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    # The nine columns where older templates had them, then the day a figure was counted.
    assert header[:10] == [*HEADER.split(","), "as_of"]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    assert rows["SCP-07"][0].value == "01"
    assert rows["SCP-07"][3].value == 90
    assert rows["SCP-07"][9].value is None  # a whole year's figure
    assert rows["SCP-07"][12].value.startswith("2024: 100% siêu thị")  # the document's words
    assert rows["SCP-07"][13].value is None  # no value for 2023

    # The template as downloaded changes nothing.
    unchanged = client.post(
        reverse("report-import"), {"file": _named(response.content, "sxtd-01-2024.xlsx")}
    )
    untouched = import_batch_preview(batch=ImportBatch.objects.get(), by=officer)
    assert unchanged.status_code == 302
    assert {r.status for r in untouched.rows} <= {"unchanged", "skipped"}

    rows["SCP-07"][3].value = 95.5
    rows["SCP-07"][9].value = date(2024, 6, 30)  # a date cell, as Excel keeps a typed day
    rows["HN-CHO"][3].value = "40,5"
    rows["HN-CHO"][4].value = "khoảng"
    out = io.BytesIO()
    workbook.save(out)
    upload = client.post(reverse("report-import"), {"file": _named(out.getvalue(), "filled.xlsx")})
    batch = ImportBatch.objects.latest("pk")
    assert upload["Location"] == reverse("report-import-preview", args=[batch.pk])
    text = _text(client.get(upload["Location"]))
    assert "thay đổi: <strong>1</strong>" in text and "giá trị mới: <strong>1</strong>" in text
    digest = re.search(r'name="digest" value="(\w+)"', text).group(1)  # type: ignore[union-attr]
    confirm = client.post(reverse("report-import-apply", args=[batch.pk]), {"digest": digest})
    assert confirm["Location"] == reverse("report-detail", args=[report.pk])
    assert dict(report.values.values_list("indicator__code", "value")) == {
        "SCP-07": Decimal("95.5"),
        "HN-CHO": Decimal("40.5"),
    }
    assert dict(report.values.values_list("indicator__code", "as_of")) == {
        "SCP-07": date(2024, 6, 30),
        "HN-CHO": None,
    }
    detail = _text(client.get(confirm["Location"]))
    assert "2 giá trị đã thay đổi" in detail


def _named(content: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def test_csv_template_is_utf8_with_bom_and_reads_back_unchanged(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_thainguyen"]
    report = Report.objects.create(
        province=province_for_code_in_year(code="06", year=2023), year=2023
    )
    report.values.create(indicator=Indicator.objects.get(code="BK-OCOP-3S"), value=190, source="t")
    response = client_for(officer).get(reverse("report-template", args=[report.pk, "csv"]))
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith(HEADER)
    # 190 products read as typed, not "190.0"; last year's 181 beside them.
    ocop = next(line for line in text.splitlines() if line.startswith("06,BK-OCOP-3S,"))
    assert ocop.startswith("06,BK-OCOP-3S,2023,190,exact,") and ocop.endswith(",181"), ocop
    assert "Số sản phẩm OCOP" in text
    preview = _preview(officer, response.content, "sxtd-06-2023.csv")
    assert {r.status for r in preview.rows} == {"skipped", "unchanged"}


def test_a_template_of_another_unit_is_404(people) -> None:  # type: ignore[no-untyped-def]
    other = Report.objects.create(
        province=province_for_code_in_year(code="19", year=2025), year=2025
    )
    client = client_for(people["officer_hanoi"])
    assert client.get(reverse("report-template", args=[other.pk, "csv"])).status_code == 404
    own = _draft(people["officer_hanoi"])
    assert client.get(reverse("report-template", args=[own.pk, "pdf"])).status_code == 404


def test_only_the_uploader_sees_and_applies_a_batch(people) -> None:  # type: ignore[no-untyped-def]
    preview = _preview(people["officer_hanoi"], _csv("01,SCP-07,2024,88,,,,,"))
    other = client_for(people["officer_thainguyen"])
    assert other.get(reverse("report-import-preview", args=[preview.batch.pk])).status_code == 404
    apply_url = reverse("report-import-apply", args=[preview.batch.pk])
    assert other.post(apply_url, {"digest": preview.digest}).status_code == 404
    assert not Report.objects.filter(province=_hanoi(2024), year=2024).exists()


def test_the_preview_page_shows_errors_with_line_column_and_reason_in_vietnamese(people) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people["officer_hanoi"])
    response = client.post(
        reverse("report-import"),
        {"file": _named(_csv("01,XYZ-99,2024,50,,,,,", "01,SCP-07,2024,abc,,,,,"), "a.csv")},
    )
    text = _text(client.get(response["Location"]))
    assert '<td class="num">2</td><td class="code">indicator_code</td>' in text
    assert "chỉ tiêu không có trong danh mục &#x27;XYZ-99&#x27;" in text
    assert "&#x27;abc&#x27; không phải là số" in text
    assert 'name="digest"' not in text  # no Confirm button while there are errors


def test_the_upload_page_names_missing_columns_in_vietnamese(people) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people["officer_hanoi"])
    response = client.post(
        reverse("report-import"), {"file": _named(b"unit_code,year\n01,2024\n", "a.csv")}
    )
    assert response.status_code == 200
    assert "thiếu: indicator_code, value" in _text(response)


def test_a_note_that_looks_like_a_formula_stays_text_in_the_xlsx_template(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    report = _draft(officer, year=2024)
    _apply(_preview(officer, _csv('01,SCP-07,2024,90,,,,"=HYPERLINK(""x"")",')), officer)
    content = client_for(officer).get(reverse("report-template", args=[report.pk, "xlsx"])).content
    preview = _preview(officer, content, "sxtd-01-2024.xlsx")
    assert {r.status for r in preview.rows} <= {"unchanged", "skipped"}
    assert [r.new["note"] for r in preview.rows if r.new] == ['=HYPERLINK("x")']


def test_only_officers_may_upload(people) -> None:  # type: ignore[no-untyped-def]
    for role in ["reviewer", "administrator", "analyst"]:
        response = client_for(people[role]).post(
            reverse("report-import"), {"file": _named(_csv("01,SCP-07,2024,88,,,,,"), "a.csv")}
        )
        assert response.status_code == 404
    assert not ImportBatch.objects.exists()


def test_applying_writes_in_a_number_of_queries_that_does_not_grow_with_the_rows(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    # Each report has one value to change and the rest to add: one UPDATE and one INSERT
    # (COPY on PostgreSQL) however many rows.
    _draft(officer, year=2023, SCP_07="90")
    _draft(officer, year=2024, SCP_07="90")
    codes = ["SCP-07", "HN-DN-KCN", "HN-CHO", "HN-DN-LN", "SCP-04", "SCP-06-HUYEN"]

    def count(year: int, indicators: list[str]) -> int:
        preview = _preview(officer, _csv(*[f"01,{code},{year},50,,,,," for code in indicators]))
        by = type(officer).objects.get(pk=officer.pk)  # as the applying request has it
        with CaptureQueriesContext(connection) as queries:
            result = _apply(preview, by)
        assert result.changed == len(indicators)
        return len(queries)

    # Last year's figures are read for running totals only, and these rows have none. The
    # INSERTs go as COPY on PostgreSQL, which the query log does not see.
    copies = 2 if connection.vendor == "postgresql" else 0
    assert count(2023, codes[:2]) == count(2024, codes) == 28 - copies


def test_a_template_for_a_unit_and_year_without_a_report_opens_nothing(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_thainguyen"]
    bac_kan = province_for_code_in_year(code="06", year=2024)
    client = client_for(officer)
    url = reverse("report-unit-template")
    response = client.get(url, {"province": bac_kan.pk, "year": 2024, "format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="sxtd-06-2024.csv"'
    text = response.content.decode("utf-8-sig")
    assert "06,BK-OCOP-3S,2024," in text
    assert "Số sản phẩm OCOP" in text
    assert not Report.objects.filter(province=bac_kan, year=2024).exists()
    hanoi = _hanoi(2024)
    for query in [
        {"province": hanoi.pk, "year": 2024, "format": "csv"},  # not Thái Nguyên's unit
        {"province": bac_kan.pk, "year": 2019, "format": "csv"},
        {"province": bac_kan.pk, "year": 2024, "format": "pdf"},
        {"province": "x", "year": 2024, "format": "csv"},
    ]:
        assert client.get(url, query).status_code == 404, query


def test_confirming_a_preview_overtaken_by_another_save_says_so_and_changes_nothing(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    report = _draft(officer, SCP_07="90")
    client = client_for(officer)
    upload = client.post(
        reverse("report-import"), {"file": _named(_csv("01,SCP-07,2023,93,,,,,"), "a.csv")}
    )
    page = _text(client.get(upload["Location"]))
    digest = re.search(r'name="digest" value="(\w+)"', page).group(1)  # type: ignore[union-attr]
    report_values_save(
        report=report,
        values=[ValueInput(indicator=Indicator.objects.get(code="SCP-07"), value=Decimal(95))],
        by=officer,
        path=ValueChange.Path.FORM,
        expected_version=report.version,
    )
    batch = ImportBatch.objects.get()
    response = client.post(reverse("report-import-apply", args=[batch.pk]), {"digest": digest})
    assert response["Location"] == upload["Location"]
    assert "Báo cáo đã thay đổi sau khi xem trước" in _text(client.get(response["Location"]))
    assert report.values.get().value == Decimal("95")
    batch.refresh_from_db()
    assert batch.applied_at is None


def test_the_admin_lists_uploads_read_only(people, administrator_client) -> None:  # type: ignore[no-untyped-def]
    preview = _preview(people["officer_hanoi"], _csv("01,SCP-07,2024,88,,,,,"), "tháng-12.csv")
    listing = administrator_client.get(reverse("admin:reports_importbatch_changelist"))
    assert "tháng-12.csv" in listing.content.decode()
    change = reverse("admin:reports_importbatch_change", args=[preview.batch.pk])
    assert administrator_client.get(change).status_code == 200
    assert administrator_client.post(change, {"filename": "x"}).status_code == 403


def test_a_long_file_is_previewed_a_page_of_rows_at_a_time_with_every_error_listed(
    people, settings
) -> None:  # type: ignore[no-untyped-def]
    from reports import views

    settings.IMPORT_MAX_ROWS = 2000
    client = client_for(people["officer_hanoi"])
    # Not 2022: Hà Nội's 2022 report is approved, and a file naming it is refused whole.
    years = [2021, 2023, 2024, 2025]
    lines = [f"01,SCP-07,{year},{n % 90},,,,," for n, year in enumerate(years)]
    # Duplicates of the same rows: every one past the first is an error naming its line.
    content = _csv(*(lines * (views.PREVIEW_ROWS_PER_PAGE // 4 + 10)))
    response = client.post(reverse("report-import"), {"file": _named(content, "a.csv")})
    url = response["Location"]
    first, second = _text(client.get(url)), _text(client.get(url + "?page=2"))
    last_line = len(lines) * (views.PREVIEW_ROWS_PER_PAGE // 4 + 10) + 1
    assert "?page=2" in first
    # Every error is listed on each page, the rows only on theirs.
    assert f'<td class="num">{last_line}</td><td class="code">' in first
    assert first.count('<tr class="row-') == views.PREVIEW_ROWS_PER_PAGE
    assert second.count('<tr class="row-') == last_line - 1 - views.PREVIEW_ROWS_PER_PAGE


def test_a_note_that_looks_like_a_formula_is_neutralised_in_the_csv_template_and_reads_back(
    people,
) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    report = _draft(officer, year=2024)
    _apply(_preview(officer, _csv('01,SCP-07,2024,90,,,,"=HYPERLINK(""x"")",')), officer)
    content = client_for(officer).get(reverse("report-template", args=[report.pk, "csv"])).content
    assert "'=HYPERLINK" in content.decode("utf-8-sig")  # Excel shows it, does not run it
    preview = _preview(officer, content, "sxtd-01-2024.csv")
    assert {r.status for r in preview.rows} <= {"unchanged", "skipped"}
    assert [r.new["note"] for r in preview.rows if r.new] == ['=HYPERLINK("x")']


def test_a_whole_number_past_what_a_float_holds_stays_text_in_templates() -> None:
    assert import_services._cell(Decimal("190")) == 190
    assert import_services._cell(Decimal("9999999999999999")) == "9999999999999999"


def test_a_percentage_cell_of_an_xlsx_is_read_as_the_officer_typed_it(people) -> None:  # type: ignore[no-untyped-def]
    """Excel stores "85 %" typed in a percentage cell as 0.85: read as 0,85 % the share
    would be a hundred times too small, and the preview would call it valid."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(["01", "SCP-07", 2024, 0.85])
    sheet["D2"].number_format = "0%"
    sheet.append(["01", "HN-CHO", 2024, 0.216])
    sheet["D3"].number_format = "0.0%"
    sheet.append(["01", "SCP-04-KCN", 2024, 0.5])
    sheet["D4"].number_format = '0.0"%"'  # a literal sign: the cell shows 0.5%
    out = io.BytesIO()
    workbook.save(out)
    preview = _preview(people["officer_hanoi"], out.getvalue(), "ket-qua.xlsx")
    assert [(r.indicator.code, r.new["value"]) for r in preview.rows] == [
        ("SCP-07", "85"),
        ("HN-CHO", "21.6"),
        ("SCP-04-KCN", "0.5"),
    ]


def test_a_formula_without_a_saved_result_is_refused_naming_its_line_and_column(people) -> None:  # type: ignore[no-untyped-def]
    """A workbook written by a script keeps formulas without their results; the cell read
    as empty, and the row was silently skipped."""
    content = _workbook(
        [["01", "SCP-07", 2024, 50], ["01", "HN-CHO", 2024, "=40+25"]],
    )
    with pytest.raises(ImportFileError, match=r"^Line 3, column value: the cell holds a formula"):
        _preview(people["officer_hanoi"], content, "ket-qua.xlsx")
    assert not ImportBatch.objects.exists()


def test_a_formula_with_its_saved_result_is_read_as_that_result(people) -> None:  # type: ignore[no-untyped-def]
    content = _workbook([["01", "SCP-07", 2024, "=40+25"]])
    # What Excel writes: the formula and, beside it, its result.
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    members[sheet] = members[sheet].replace(b"<f>40+25</f><v />", b"<f>40+25</f><v>65</v>")
    assert b"<v>65</v>" in members[sheet]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    preview = _preview(people["officer_hanoi"], out.getvalue(), "ket-qua.xlsx")
    assert [(r.status, r.new["value"]) for r in preview.rows] == [("new", "65")]


def test_a_unit_cannot_report_another_units_plan_indicator(people) -> None:  # type: ignore[no-untyped-def]
    """HN-CHO is Hà Nội's (263/KH-UBND), BK-OCOP-3S Bắc Kạn's (405/KH-UBND): a file
    putting them under another unit was accepted, and the figure read as that plan
    measured elsewhere. The unit a plan's unit became part of still reports them."""
    hanoi = _preview(people["officer_hanoi"], _csv("01,BK-OCOP-3S,2024,5,,,,,"))
    assert _errors(hanoi) == [
        (
            2,
            "indicator_code",
            "BK-OCOP-3S is an indicator of 405/KH-UBND, the plan of another unit: "
            "Hà Nội does not report it",
        )
    ]
    thai_nguyen = _preview(
        people["officer_thainguyen"],
        _csv("19,HN-CHO,2025,50,,,,,", "19,SCP-07,2024,50,,,,,", "19,BK-OCOP-3S,2024,5,,,,,"),
    )
    assert [(line, column) for line, column, _reason in _errors(thai_nguyen)] == [
        (2, "indicator_code"),
        (4, "indicator_code"),  # the former Thái Nguyên did not report Bắc Kạn's plan
    ]
    # After the merger Bắc Kạn's plan is reported for its area, under its own code.
    merged = _preview(people["officer_thainguyen"], _csv("19,BK-OCOP-3S,2025,205,,,,,"))
    assert _errors(merged) == [
        (
            2,
            "indicator_code",
            "BK-OCOP-3S is an indicator of 405/KH-UBND, the plan of Bắc Kạn (until 30 Jun "
            "2025): report it for the area of Bắc Kạn (until 30 Jun 2025), under the code 06",
        )
    ]
    area = _preview(people["officer_thainguyen"], _csv("06,BK-OCOP-3S,2025,205,,,,,"))
    assert [row.status for row in area.rows] == ["new"]


def test_an_indicator_not_on_the_reports_form_is_refused_as_the_form_and_api_do(people) -> None:  # type: ignore[no-untyped-def]
    """HN-CHO's plan 263/KH-UBND covers 2024 only: Hà Nội's 2023 form and the API leave it
    out, and the import accepted it. Now one rule (form_indicator_ids) says so everywhere,
    naming the line, the column and the reason, and the file applies nothing."""
    officer = people["officer_hanoi"]
    preview = _preview(officer, _csv("01,SCP-07,2023,90,,,,,", "01,HN-CHO,2023,40,,,,,"))
    assert _errors(preview) == [
        (
            3,
            "indicator_code",
            "HN-CHO is an indicator of 263/KH-UBND, which covers 2024: it is not on the "
            "2023 report of Hà Nội",
        )
    ]
    with pytest.raises(ImportApplyError):
        _apply(preview, officer)
    assert not Report.objects.filter(province=_hanoi(2023), year=2023).exists()
    # The same file for 2024, when the plan runs, is accepted.
    assert not _preview(officer, _csv("01,HN-CHO,2024,40,,,,,")).has_errors
    # And the service every path goes through refuses it too.
    report = _draft(officer)
    with (
        pytest.raises(ReportValidationError, match="HN-CHO: HN-CHO is an indicator of"),
        translation.override("en"),
    ):
        report_values_save(
            report=report,
            values=[ValueInput(indicator=Indicator.objects.get(code="HN-CHO"), value=Decimal(40))],
            by=officer,
            path=ValueChange.Path.FORM,
            expected_version=None,
        )
    # Vietnamese on the preview page, with its line and column.
    client = client_for(officer)
    upload = client.post(
        reverse("report-import"), {"file": _named(_csv("01,HN-CHO,2023,40,,,,,"), "a.csv")}
    )
    page = _text(client.get(upload["Location"]))
    assert (
        "HN-CHO là chỉ tiêu của 263/KH-UBND, kế hoạch áp dụng cho 2024: chỉ tiêu này không có"
        in page
    )


def test_merged_cells_are_refused_naming_the_line_and_column_they_cover(people) -> None:  # type: ignore[no-untyped-def]
    """Officers merge the unit code and year over a unit's lines: Excel shows them on
    every line, the file holds them once, and line 3 was refused as "the unit code is
    missing" though the officer sees it there."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(["01", "SCP-07", 2024, 50, None, None, None, None, None])
    sheet.append([None, "HN-CHO", None, 60])
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("C2:C3")
    sheet.merge_cells("H2:I3")  # merged empty note and source cells say nothing
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(
        ImportFileError, match=r"^Line 3, column unit_code: the cell is merged with the cells"
    ):
        _preview(people["officer_hanoi"], out.getvalue(), "ket-qua.xlsx")

    sheet.unmerge_cells("A2:A3")
    sheet.unmerge_cells("C2:C3")
    sheet["A3"], sheet["C3"] = "01", 2024
    out = io.BytesIO()
    workbook.save(out)
    preview = _preview(people["officer_hanoi"], out.getvalue(), "ket-qua.xlsx")
    assert [row.status for row in preview.rows] == ["new", "new"]


def test_the_data_is_read_from_the_sheet_that_names_the_columns(people) -> None:  # type: ignore[no-untyped-def]
    """A sheet of instructions in front of the data made the whole file refused: "the
    first line must name the columns; missing: unit_code, indicator_code, …"."""
    from openpyxl import Workbook

    workbook = Workbook()
    instructions = workbook.active
    instructions.title = "Hướng dẫn"
    instructions.append(["Điền cột value rồi tải lên"])
    data = workbook.create_sheet("Số liệu")
    data.append(HEADER.split(","))
    data.append(["01", "SCP-07", 2024, 50])
    out = io.BytesIO()
    workbook.save(out)
    preview = _preview(people["officer_hanoi"], out.getvalue(), "ket-qua.xlsx")
    assert [(row.status, row.new["value"]) for row in preview.rows] == [("new", "50")]


def test_a_column_named_twice_is_refused(people) -> None:  # type: ignore[no-untyped-def]
    """A file with two "value" columns (last year's and this year's, say) was read from
    the first one, silently."""
    content = _csv("01,SCP-07,2024,10,,,,,,90", header=f"{HEADER},Value")
    with pytest.raises(
        ImportFileError, match=r"^The first line names these columns more than once: value\.$"
    ):
        _preview(people["officer_hanoi"], content)


def test_the_import_link_shows_only_where_an_import_can_be_applied(people) -> None:  # type: ignore[no-untyped-def]
    """It showed on submitted and approved reports, and importing into them then failed
    row by row."""
    officer = people["officer_hanoi"]
    client = client_for(officer)
    draft = _draft(officer, year=2023, SCP_07="90")
    submitted = _draft(officer, year=2024, SCP_07="90")
    Report.objects.filter(pk=submitted.pk).update(status=Report.Status.SUBMITTED)
    import_url = reverse("report-import")

    def page(report: Report) -> str:
        return _text(client.get(reverse("report-detail", args=[report.pk])))

    assert f'href="{import_url}"' in page(draft)
    assert f'href="{import_url}"' not in page(submitted)
    approved = Report.objects.get(province=_hanoi(2022), year=2022)  # the reference data's
    assert f'href="{import_url}"' not in page(approved)

    listing = _text(client.get(reverse("report-list")))
    rows = {
        pk: re.search(rf'<tr>\s*<td><a href="/reports/{pk}/">.*?</tr>', listing).group(0)  # type: ignore[union-attr]
        for pk in (draft.pk, submitted.pk, approved.pk)
    }
    assert f'href="{import_url}"' in rows[draft.pk]
    assert f'href="{import_url}"' not in rows[submitted.pk]
    assert f'href="{import_url}"' not in rows[approved.pk]
    assert "Nhập từ bảng tính</a></p>" in listing  # 2021, 2025… are still open

    # Once every year is sent, nothing is left to import into: no button.
    for year in range(2021, THIS_YEAR + 1):
        Report.objects.update_or_create(
            province=_hanoi(year), year=year, defaults={"status": Report.Status.APPROVED}
        )
    assert "Nhập từ bảng tính</a></p>" not in _text(client.get(reverse("report-list")))


def test_the_import_page_tells_the_officer_of_the_merged_unit_which_code_is_which(people) -> None:  # type: ignore[no-untyped-def]
    """It said "from 2025, 19 is the new Thái Nguyên" and no more, while Bắc Kạn's area
    files its own plan's 2025 figures under 06, as its template does."""
    page = _text(client_for(people["officer_thainguyen"]).get(reverse("report-import")))
    assert "từ năm 2025, 19 là tỉnh Thái Nguyên mới, còn 06 là địa bàn Bắc Kạn" in page


def test_the_import_page_says_which_columns_a_file_needs(people) -> None:  # type: ignore[no-untyped-def]
    page = _text(client_for(people["officer_hanoi"]).get(reverse("report-import")))
    needed = re.search(
        r"Dòng đầu tiên ghi tên các cột: (.*?)\. Có thể có thêm các cột: (.*?)\.", page
    )
    assert needed, page
    assert re.findall(r'class="code">([a-z_]+)<', needed.group(1)) == [
        "unit_code",
        "indicator_code",
        "year",
        "value",
    ]
    assert "note" in needed.group(2)
    assert "Thiếu cột nào trong số này cũng không xóa gì" in page


# --- number cells as the sheet shows them -------------------------------------------------


def _with_results(content: bytes, results: dict[str, str]) -> bytes:
    """The workbook with each formula's result saved beside it, as Excel and LibreOffice
    save it: openpyxl writes a formula without one."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    for formula, result in results.items():
        for name in members:
            if name.startswith("xl/worksheets/sheet"):
                members[name] = members[name].replace(
                    f"<f>{formula}</f><v />".encode(), f"<f>{formula}</f><v>{result}</v>".encode()
                )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_computed_share_is_read_as_the_cell_shows_it(people) -> None:  # type: ignore[no-untyped-def]
    """=24/63*100 shown as 38,1 (or 38,10 %) was refused for "more than 4 decimals":
    the file holds 38.095238095238095, which the officer never sees."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    for code, value, shown in [
        ("SCP-07", "=24/63*100", "0.0"),  # a formula, its result saved: 38,1
        ("HN-CHO", 24 / 63 * 100, "0.0"),  # the same result typed or pasted as a number
        ("SCP-04-KCN", 24 / 63, "0.00%"),  # 38,10 %
        ("SCP-04", 0.381, "0.0%"),  # 38,1 %, as the officer typed it
        ("SCP-03", 24 / 63 * 100, "General"),  # no fixed decimals: the 4 a value keeps
        ("SCP-09", 24 / 63 * 100, '#,##0.00" %"'),  # grouped, with a literal sign: 38,10 %
        ("SCP-05", "=(0.1+0.2)*40", "General"),  # a count: 12.000000000000002 in the file
    ]:
        sheet.append(["01", code, 2024, value])
        sheet.cell(row=sheet.max_row, column=4).number_format = shown
    sheet.append(["01", "SCP-06", "2024", "38,0952381"])  # typed text: refused, as in the form
    sheet["C9"].number_format = "0.0"  # a year in a "0.0" cell shows 2024,0 and is 2024
    out = io.BytesIO()
    workbook.save(out)
    content = _with_results(
        out.getvalue(),
        {"24/63*100": repr(24 / 63 * 100), "(0.1+0.2)*40": repr((0.1 + 0.2) * 40)},
    )
    assert repr((0.1 + 0.2) * 40) == "12.000000000000002"
    preview = _preview(people["officer_hanoi"], content, "ket-qua.xlsx")
    assert [(r.indicator.code, r.status, r.new and r.new["value"]) for r in preview.rows] == [
        ("SCP-07", "new", "38.1"),
        ("HN-CHO", "new", "38.1"),
        ("SCP-04-KCN", "new", "38.1"),
        ("SCP-04", "new", "38.1"),
        ("SCP-03", "new", "38.0952"),
        ("SCP-09", "new", "38.1"),
        ("SCP-05", "new", "12"),
        ("SCP-06", "error", None),
    ]
    assert _errors(preview) == [
        (9, "value", "at most 16 digits before the decimal mark and 4 after it (38.0952381)")
    ]


# --- a lone mark before three digits ----------------------------------------------------


def _bac_kan_2024() -> Report:
    return Report.objects.create(
        province=province_for_code_in_year(code="06", year=2024), year=2024
    )


@pytest.mark.parametrize(
    ("language", "typed", "question"),
    [
        ("vi", "1.500", "'1.500' có thể là 1500 hoặc 1,5: hãy viết 1500, không có dấu phân cách"),
        ("en", '"1,500"', "'1,500' could be read as 1500 or as 1.5: write 1500, without a"),
    ],
)
def test_a_lone_mark_before_three_digits_is_asked_about_and_nothing_is_written(  # type: ignore[no-untyped-def]
    people, language, typed, question
) -> None:
    """1.500 MW typed by a Vietnamese officer was previewed as a new 1,5 MW with no flag,
    and could be applied: a figure a thousand times too small. The file is refused with
    the entry form's question, in the page's language, naming the line and the column."""
    officer = people["officer_thainguyen"]
    content = _csv(
        "06,BK-NLTT-SL,2024,50,,,,,",
        f"06,BK-NLTT-CS,2024,{typed},,,,,",
        "06,SCP-07,2024,,,1.200,2.000,,",  # a share's parts may be grouped: asked too
    )
    with translation.override(language):
        preview = report_import_preview(content=content, filename="ket-qua.csv", by=officer)
    assert [(line, column) for line, column, _reason in _errors(preview)] == [
        (3, "value"),
        (4, "numerator"),
        (4, "denominator"),
    ]
    assert _errors(preview)[0][2].startswith(question), _errors(preview)
    assert [row.status for row in preview.rows] == ["new", "error", "error"]
    with pytest.raises(ImportApplyError):
        _apply(preview, officer)
    assert not Report.objects.filter(year=2024).exists()


def test_a_number_written_one_way_is_taken_and_a_share_is_never_asked_about(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_thainguyen"]
    content = _csv(
        "06,BK-NLTT-CS,2024,1500,,,,,",
        '06,BK-NLTT-SL,2024,"1,5",,,,,',
        '06,BK-NLTT-TT,2024,"33,333",,,,,',  # a share: 33333 % cannot be meant
        "06,SCP-07,2024,12.500,,,,,",
    )
    preview = _preview(officer, content)
    assert _errors(preview) == []
    _apply(preview, officer)
    stored = Report.objects.get(province=province_for_code_in_year(code="06", year=2024), year=2024)
    assert dict(stored.values.values_list("indicator__code", "value")) == {
        "BK-NLTT-CS": Decimal("1500"),
        "BK-NLTT-SL": Decimal("1.5"),
        "BK-NLTT-TT": Decimal("33.333"),
        "SCP-07": Decimal("12.5"),
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_apps_own_template_reads_back_unchanged_with_three_decimals(  # type: ignore[no-untyped-def]
    people, fmt, language
) -> None:
    """The template writes a stored 21,125 MW as "21.125", which typed anew would be
    asked about: given back, it is the stored figure, in either language."""
    officer = people["officer_thainguyen"]
    report = _bac_kan_2024()
    report.values.create(indicator=Indicator.objects.get(code="BK-NLTT-CS"), value="21.125")
    report.values.create(indicator=Indicator.objects.get(code="BK-NLTT-SL"), value=1500)
    client = client_for(officer)
    client.post(reverse("set_language"), {"language": language})
    content = client.get(reverse("report-template", args=[report.pk, fmt])).content
    if fmt == "csv":
        text = content.decode("utf-8-sig")
        assert "06,BK-NLTT-CS,2024,21.125," in text and "06,BK-NLTT-SL,2024,1500," in text
    with translation.override(language):
        preview = report_import_preview(content=content, filename=f"mau.{fmt}", by=officer)
    assert _errors(preview) == []
    changed = {r.indicator.code: r.status for r in preview.rows if r.status != "skipped"}
    assert changed == {"BK-NLTT-CS": "unchanged", "BK-NLTT-SL": "unchanged"}


def test_the_stored_figure_as_the_form_shows_it_reads_unchanged_and_a_new_one_is_asked(  # type: ignore[no-untyped-def]
    people,
) -> None:
    officer = people["officer_thainguyen"]
    _bac_kan_2024().values.create(
        indicator=Indicator.objects.get(code="BK-NLTT-CS"), value="21.125"
    )
    with translation.override("vi"):
        shown = report_import_preview(
            content=_csv('06,BK-NLTT-CS,2024,"21,125",,,,,'), filename="a.csv", by=officer
        )
        typed = report_import_preview(
            content=_csv('06,BK-NLTT-CS,2024,"21,650",,,,,'), filename="a.csv", by=officer
        )
    assert [r.status for r in shown.rows] == ["unchanged"], _errors(shown)
    assert [(line, column) for line, column, _reason in _errors(typed)] == [(2, "value")]
    assert "'21,650' có thể là 21650 hoặc 21,65:" in _errors(typed)[0][2]


def _formatted_workbook(cells: list[tuple[str, int, object, str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    for code, year, value, shown in cells:
        sheet.append(["06", code, year, value])
        sheet.cell(row=sheet.max_row, column=4).number_format = shown
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_number_cell_shown_with_a_thousands_separator_is_not_asked_about(people) -> None:  # type: ignore[no-untyped-def]
    """A number cell is one number whatever its format shows ("1.500" or "1,500" for 1500
    in '#,##0'; 21,125 in '0.000'): only text is what the officer typed, and asked about."""
    officer = people["officer_thainguyen"]
    content = _formatted_workbook(
        [
            ("BK-NLTT-CS", 2024, 1500, "#,##0"),
            ("BK-NLTT-CS", 2023, 21.125, "#,##0.000"),
            ("BK-NLTT-SL", 2024, "1.500", "@"),  # a text cell: typed, so asked
        ]
    )
    preview = _preview(officer, content, "ket-qua.xlsx")
    assert [(r.year, r.indicator.code, r.new and r.new["value"]) for r in preview.rows] == [
        (2024, "BK-NLTT-CS", "1500"),
        (2023, "BK-NLTT-CS", "21.125"),
        (2024, "BK-NLTT-SL", None),
    ]
    assert [(line, column) for line, column, _reason in _errors(preview)] == [(4, "value")]

    # Uploaded before number cells were told from text, its rows are read from the file
    # again rather than asked about.
    batch = preview.batch
    batch.rows = [stored[:3] for stored in batch.rows]
    batch.save(update_fields=["rows"])
    again = import_batch_preview(batch=batch, by=officer)
    assert [(line, column) for line, column, _reason in _errors(again)] == [(4, "value")]


# --- workbooks of several sheets ----------------------------------------------------------


def _sheets(*sheets: tuple[str, list[list[object]]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_every_sheet_that_names_the_columns_is_read_and_the_preview_names_them(people) -> None:  # type: ignore[no-untyped-def]
    """An officer who put 2023 on one sheet and 2024 on another had only the first read,
    and the preview did not say so."""
    officer = people["officer_hanoi"]
    columns = HEADER.split(",")
    content = _sheets(
        ("Hướng dẫn", [["Điền cột value rồi tải lên"]]),
        ("2023", [columns, ["01", "SCP-07", 2023, 11]]),
        ("2024", [columns, ["01", "SCP-07", 2024, 99], ["01", "HN-CHO", 2024, 45]]),
    )
    preview = _preview(officer, content, "ket-qua.xlsx")
    assert [(r.sheet, r.line, r.cells["year"], r.status) for r in preview.rows] == [
        ("2023", 2, "2023", "new"),
        ("2024", 2, "2024", "new"),
        ("2024", 3, "2024", "new"),
    ]
    client = client_for(officer)
    upload = client.post(reverse("report-import"), {"file": _named(content, "ket-qua.xlsx")})
    page = _text(client.get(upload["Location"]))
    assert "Đã đọc 2 trang tính “2023”, “2024”" in page
    assert "Hướng dẫn" not in page
    assert '<th scope="col">Trang tính</th>' in page
    assert '<td>2024</td><td class="num">3</td>' in page
    _apply(preview, officer)
    assert Report.objects.get(province=_hanoi(2023), year=2023).values.get().value == 11
    assert Report.objects.get(province=_hanoi(2024), year=2024).values.count() == 2
    # One sheet read is named too, and the line numbers need no sheet beside them.
    single = _sheets(("Hướng dẫn", [["…"]]), ("Số liệu", [columns, ["01", "SCP-07", 2021, 5]]))
    upload = client.post(reverse("report-import"), {"file": _named(single, "mot.xlsx")})
    page = _text(client.get(upload["Location"]))
    assert "Đã đọc trang tính “Số liệu”" in page
    assert '<th scope="col">Trang tính</th>' not in page


def test_errors_on_several_sheets_name_the_sheet(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_hanoi"]
    columns = HEADER.split(",")
    content = _sheets(
        ("2023", [columns, ["01", "SCP-07", 2023, 11], ["01", "SCP-07", 2024, 12]]),
        ("2024", [columns, ["01", "SCP-07", 2024, 120]]),
        ("2024 (2)", [columns, ["01", "SCP-07", 2024, 99]]),
    )
    preview = _preview(officer, content, "ket-qua.xlsx")
    assert [(r.sheet, r.line, r.errors) for r in preview.rows if r.errors] == [
        (
            "2023",
            3,
            [
                (
                    "indicator_code",
                    "repeated on line 2 of sheet “2024”: give each unit, indicator and year once",
                )
            ],
        ),
        (
            "2024",
            2,
            [
                (
                    "indicator_code",
                    "line 2 of sheet “2024” repeats line 3 of sheet “2023”: the same unit, "
                    "indicator and year",
                ),
                (
                    "value",
                    "a share must be between 0 and 100 %; give the numerator and denominator "
                    "if it is not a share",
                ),
            ],
        ),
        (
            "2024 (2)",
            2,
            [
                (
                    "indicator_code",
                    "line 2 of sheet “2024 (2)” repeats line 3 of sheet “2023”: the same unit, "
                    "indicator and year",
                )
            ],
        ),
    ]
    client = client_for(officer)
    upload = client.post(reverse("report-import"), {"file": _named(content, "ket-qua.xlsx")})
    page = _text(client.get(upload["Location"]))
    assert (
        '<tr><td>2024 (2)</td><td class="num">2</td><td class="code">indicator_code</td>'
        "<td>dòng 2 của trang tính “2024 (2)” lặp lại dòng 3 của trang tính “2023”"
    ) in page
    # A file-wide refusal names the sheet when the workbook has several.
    merged = _sheets(
        ("2023", [columns, ["01", "SCP-07", 2023, 11]]),
        ("2024", [columns, ["01", "SCP-07", 2024, "=40+25"]]),
    )
    with pytest.raises(
        ImportFileError,
        match=r"^Sheet “2024”: Line 2, column value: the cell holds a formula whose result",
    ):
        _preview(officer, merged, "ket-qua.xlsx")


def test_a_sheet_naming_only_some_columns_is_refused_not_passed_over(people) -> None:  # type: ignore[no-untyped-def]
    """A sheet whose first line names some of the columns is data with a header typed
    wrong ("values"); passed over, its rows would be lost without a word."""
    columns = HEADER.split(",")
    content = _sheets(
        ("2023", [columns, ["01", "SCP-07", 2023, 11]]),
        ("2024", [[*columns[:3], "values"], ["01", "SCP-07", 2024, 99]]),
    )
    with pytest.raises(
        ImportFileError,
        match=r"^Sheet “2024”: The first line must name the columns; missing: value\.$",
    ):
        _preview(people["officer_hanoi"], content, "ket-qua.xlsx")
    client = client_for(people["officer_hanoi"])
    response = client.post(reverse("report-import"), {"file": _named(content, "ket-qua.xlsx")})
    assert "Trang tính “2024”: " in _text(response)


def test_the_api_preview_gives_each_rows_sheet(people) -> None:  # type: ignore[no-untyped-def]
    columns = HEADER.split(",")
    content = _sheets(
        ("2023", [columns, ["01", "SCP-07", 2023, 11]]),
        ("2024", [columns, ["01", "SCP-07", 2024, 12]]),
    )
    client = client_for(people["officer_hanoi"])
    response = client.post("/api/v1/imports/", {"file": _named(content, "ket-qua.xlsx")})
    assert response.status_code == 201, response.content
    assert [(row["sheet"], row["line"]) for row in response.json()["rows"]] == [
        ("2023", 2),
        ("2024", 2),
    ]


# --- former units in the preview -----------------------------------------------------------


def test_the_preview_labels_former_units_as_the_report_list_does(people) -> None:  # type: ignore[no-untyped-def]
    """The preview said "Thái Nguyên | 2024" for the former unit, named as the new one
    is, where the report list says "Thái Nguyên (đến 30/6/2025)". And SCP-02 under Bắc
    Kạn's 06 in 2025 did not say which code to use instead."""
    client = client_for(people["officer_thainguyen"])
    content = _csv("19,SCP-05,2024,3,,,,,", "06,BK-OCOP-3S,2025,150,,,,,", "19,SCP-05,2025,4,,,,,")
    upload = client.post(reverse("report-import"), {"file": _named(content, "a.csv")})
    page = _text(client.get(upload["Location"]))
    cells = re.findall(r'<td class="num">\d+</td> <td>(.*?)</td> <td>(\d+)</td>', page)
    assert cells == [
        ("Thái Nguyên (đến 30/6/2025)", "2024"),
        ("Bắc Kạn (đến 30/6/2025)", "2025"),
        ("Thái Nguyên", "2025"),
    ]
    client.cookies["django_language"] = "en"
    upload = client.post(
        reverse("report-import"), {"file": _named(_csv("06,SCP-02,2025,3,,,,,"), "b.csv")}
    )
    page = _text(client.get(upload["Location"]))
    assert "report SCP-02 under the code 19 (Thái Nguyên), the unit it became part of" in page


# --- what the import page tells ------------------------------------------------------


def _english_officer(people):  # type: ignore[no-untyped-def]
    client = client_for(people["officer_hanoi"])
    client.post("/i18n/setlang/", {"language": "en"})
    return client


def test_a_refused_file_is_the_error_its_field_is_described_by(people) -> None:  # type: ignore[no-untyped-def]
    """The file input pointed at an "id_file_error" the page did not have."""
    response = _english_officer(people).post(
        reverse("report-import"), {"file": _named(b"%PDF-1.4", "a.pdf")}
    )
    page = _text(response)
    field = re.search(r'<input type="file"[^>]*>', page)
    assert field and 'aria-invalid="true"' in field.group(0)
    assert 'aria-describedby="id_file_error"' in field.group(0)
    error = re.search(
        r'<div class="notice error" role="alert" id="id_file_error">(.*?)</div>', page
    )
    assert error and "Upload an .xlsx or a .csv file." in error.group(1)


def test_the_row_limit_is_written_with_the_languages_grouping(people, settings) -> None:  # type: ignore[no-untyped-def]
    """ "20000 rows" in both languages; a figure elsewhere reads 20.000 / 20,000."""
    settings.IMPORT_MAX_ROWS = 20000
    client = client_for(people["officer_hanoi"])
    assert "MB và 20.000 dòng." in _text(client.get(reverse("report-import")))
    client.post("/i18n/setlang/", {"language": "en"})
    assert "MB and 20,000 rows a file." in _text(client.get(reverse("report-import")))
    settings.IMPORT_MAX_ROWS = 1000
    content = _csv(*["01,SCP-07,2024,50,,,,,"] * 1001)
    with pytest.raises(ImportFileError, match=r"^The file has more than 1,000 rows; "):
        _preview(people["officer_hanoi"], content)


def test_an_import_counts_the_rows_and_values_in_words_that_agree(people) -> None:  # type: ignore[no-untyped-def]
    """ "Imported: 0 value(s) changed.", "2 row(s) with errors": an "(s)", and a nought where
    nothing was."""
    officer = people["officer_hanoi"]
    preview = _preview(
        officer, _csv("01,SCP-07,2023,90,,,,,", "01,XYZ,2023,1,,,,,", "01,ABC,2023,1,,,,,")
    )
    with pytest.raises(ImportApplyError, match=r"^The file has 2 rows with errors; "):
        _apply(preview, officer)

    client = _english_officer(people)
    content = _csv("01,SCP-07,2023,93,,,,,")
    for said in ("Imported: 1 value changed.", "Imported: nothing changed."):
        upload = client.post(reverse("report-import"), {"file": _named(content, "a.csv")})
        digest = re.search(r'name="digest" value="(\w+)"', _text(client.get(upload["Location"])))
        batch = ImportBatch.objects.latest("pk")
        applied = client.post(
            reverse("report-import-apply", args=[batch.pk]),
            {"digest": digest.group(1)},  # type: ignore[union-attr]
            follow=True,
        )
        assert f'<p class="notice success" role="status">{said}</p>' in _text(applied)
