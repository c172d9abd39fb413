import shutil
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators.models import Indicator, Target
from programmes.models import Document
from provinces.models import Province
from reference.errors import ReferenceDataError
from reference.services import DATA_DIR, reference_data_load
from reports.models import Report, ReportedValue

from .snapshots import database_snapshot

pytestmark = pytest.mark.django_db


def test_every_reference_row_is_loaded() -> None:
    assert Province.objects.count() == 86
    assert Document.objects.count() == 7
    assert Indicator.objects.count() == 25
    assert Target.objects.count() == 39
    assert ReportedValue.objects.count() == 13


def test_bac_kan_2025_renewable_capacity_target_keeps_the_documents_words() -> None:
    target = Target.objects.get(indicator__code="BK-NLTT-CS", year=2025)
    assert target.text_vi == "khoảng 35 MW"
    assert target.comparator == Target.Comparator.AT_LEAST
    assert target.low == Decimal("35")
    assert target.high is None
    assert target.approximate is True
    assert target.document.number == "405/KH-UBND"
    assert target.province.name == "Bắc Kạn"
    assert target.province.valid_to is not None


def test_a_former_units_2030_target_stays_with_that_unit() -> None:
    target = Target.objects.get(indicator__code="BK-NLTT-CS", year=2030)
    assert target.province.name == "Bắc Kạn"
    assert target.low == Decimal("57")


def test_ranges_and_qualitative_targets_keep_their_shape() -> None:
    hanoi = Target.objects.get(indicator__code="SCP-03", year=2024, document__number="263/KH-UBND")
    assert (hanoi.comparator, hanoi.low, hanoi.high) == ("between", Decimal("3.5"), Decimal("4.5"))
    policy = Target.objects.get(indicator__code="SCP-01", year=2030)
    assert (policy.comparator, policy.low, policy.high) == ("qualitative", None, None)


def test_results_keep_qualifier_and_share_parts() -> None:
    generation = ReportedValue.objects.get(indicator__code="BK-NLTT-SL")
    assert generation.qualifier == ReportedValue.Qualifier.MORE_THAN
    assert generation.value == Decimal("50")
    plans = ReportedValue.objects.get(indicator__code="SCP-09", report__year=2022)
    assert (plans.numerator, plans.denominator, plans.value) == (24, 63, Decimal("38.1"))
    assert plans.report.province is None


def test_every_count_has_an_english_singular_and_symbols_have_none() -> None:
    """A count is of things ("1 product", "2 products"); a symbol or a mass noun does not
    change after 1 ("1 MW", "1 million kWh", "1 %")."""
    assert not Indicator.objects.filter(measure=Indicator.Measure.COUNT, unit_en_singular="")
    singulars = dict(Indicator.objects.values_list("code", "unit_en_singular"))
    assert singulars["BK-OCOP-5S"] == "product" and singulars["SCP-05"] == "model"
    assert singulars["BK-NLTT-CS"] == singulars["BK-NLTT-SL"] == singulars["SCP-07"] == ""


def test_reference_results_load_as_approved_reports_of_the_unit_in_force_that_year() -> None:
    capacity = ReportedValue.objects.select_related("report__province").get(
        indicator__code="BK-NLTT-CS"
    )
    assert capacity.report.status == Report.Status.APPROVED
    assert capacity.report.province.name == "Bắc Kạn"
    assert capacity.report.year == 2022
    assert not Report.objects.exclude(status=Report.Status.APPROVED).exists()


def test_plans_link_to_the_programme_they_implement() -> None:
    programme = Document.objects.get(number="889/QĐ-TTg")
    assert set(programme.implementing_documents.values_list("number", flat=True)) == {
        "3529/QĐ-BCT",
        "4052/QĐ-UBND",
        "266/KH-UBND",
        "263/KH-UBND",
        "405/KH-UBND",
    }


@pytest.mark.parametrize("model", [Province, Document, Indicator, Target, ReportedValue])
def test_every_loaded_row_keeps_its_source(model: type) -> None:
    assert model.objects.count() > 0
    assert not model.objects.filter(source="").exists()


def test_loading_twice_leaves_identical_tables_and_says_nothing_changed() -> None:
    before = database_snapshot()
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    assert database_snapshot() == before
    assert "nothing changed" in out.getvalue() or "không có gì thay đổi" in out.getvalue()


def test_a_row_corrected_in_the_files_is_updated_in_place_when_asked(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    _replace(data / "results.csv", "06,BK-NLTT-CS,2022,21.6,", "06,BK-NLTT-CS,2022,21.7,")
    kept = reference_data_load(directory=data)
    assert (kept.counts[ReportedValue].kept, kept.counts[ReportedValue].updated) == (1, 0)
    assert ReportedValue.objects.get(indicator__code="BK-NLTT-CS").value == Decimal("21.6")

    summary = reference_data_load(directory=data, update=True)
    assert summary.counts[ReportedValue].updated == 1
    assert summary.counts[ReportedValue].created == 0
    assert ReportedValue.objects.get(indicator__code="BK-NLTT-CS").value == Decimal("21.7")


def test_a_restart_keeps_what_the_ministry_changed_in_the_app(people) -> None:  # type: ignore[no-untyped-def]
    """The loader runs at every start of the app. It put a target the ministry corrected in
    the admin back to the files, and re-approved a report the ministry had reopened, with
    the officer's corrected figure, with no trace in the review history."""
    from reports.services import report_reopen

    target = Target.objects.get(indicator__code="BK-NLTT-CS", year=2025)
    Target.objects.filter(pk=target.pk).update(note="đã đối chiếu với văn bản gốc")
    report = Report.objects.get(province__code="01", province__valid_to=None, year=2022)
    report_reopen(report=report, by=people["reviewer"], reason="số liệu siêu thị cần xem lại")
    ReportedValue.objects.filter(report=report, indicator__code="SCP-07").update(value=82)

    out = StringIO()
    call_command("load_reference_data", stdout=out)
    target.refresh_from_db()
    report.refresh_from_db()
    assert target.note == "đã đối chiếu với văn bản gốc"
    assert report.status == Report.Status.RETURNED
    assert report.values.get(indicator__code="SCP-07").value == 82
    assert "1 kept as changed in the app" in out.getvalue() or "1 giữ" in out.getvalue()

    # Asked to update, the catalogue follows the files; the report under review does not.
    call_command("load_reference_data", update=True, stdout=StringIO())
    target.refresh_from_db()
    report.refresh_from_db()
    assert target.note == ""
    assert report.status == Report.Status.RETURNED
    assert report.values.get(indicator__code="SCP-07").value == 82


def test_a_restart_leaves_out_a_figure_the_officer_removed(people) -> None:  # type: ignore[no-untyped-def]
    """An officer cleared Hà Nội's 2022 SCP-07 in the reopened report; the next start put
    the shipped 80 % back into it, with no trace in the report's history, and with --update
    as well."""
    from reports.models import ValueChange
    from reports.services import ValueInput, report_reopen, report_values_save

    report = Report.objects.get(province__code="01", province__valid_to=None, year=2022)
    report_reopen(report=report, by=people["reviewer"], reason="số liệu siêu thị cần xem lại")
    report.refresh_from_db()
    scp07 = Indicator.objects.get(code="SCP-07")
    report_values_save(
        report=report,
        values=[ValueInput(indicator=scp07, value=None)],
        by=people["officer_hanoi"],
        path=ValueChange.Path.FORM,
        expected_version=None,
    )
    assert not report.values.filter(indicator=scp07).exists()

    for update in (False, True):
        summary = reference_data_load(update=update)
        assert not report.values.filter(indicator=scp07).exists()
        assert (summary.counts[ReportedValue].created, summary.counts[ReportedValue].kept) == (0, 1)


def test_an_indicator_recased_in_the_admin_is_still_the_files(tmp_path: Path) -> None:
    """Codes became unique in any case; the loader still matched them exactly, so SCP-01
    recased "scp-01" in the admin made the next start (make run, the web container) fail
    on the constraint, and the site did not come up."""
    Indicator.objects.filter(code="SCP-01").update(code="scp-01")
    summary = reference_data_load()
    assert list(Indicator.objects.filter(code__iexact="SCP-01").values_list("code", flat=True)) == [
        "scp-01"
    ]
    assert summary.counts[Indicator].kept == 1
    reference_data_load(update=True)
    assert Indicator.objects.filter(code="SCP-01").exists()

    data = _copy_data(tmp_path)
    text = (data / "indicators.csv").read_text(encoding="utf-8")
    twin = next(line for line in text.splitlines() if line.startswith("SCP-09,"))
    (data / "indicators.csv").write_text(text + twin.replace("SCP-09", "scp-09", 1) + "\n")
    with pytest.raises(ReferenceDataError) as caught:
        reference_data_load(directory=data)
    [error] = caught.value.errors
    assert (error.file, error.column) == ("indicators.csv", "code")
    assert "hai lần" in str(error)


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


BAD_ROWS = [
    pytest.param(
        "results.csv",
        "06,BK-NLTT-CS,2022,21.6,",
        "99,BK-NLTT-CS,2022,21.6,",
        "unit_code",
        "99",
        id="unknown-unit-code",
    ),
    pytest.param(
        "results.csv",
        "06,BK-OCOP-3S,2022,181,",
        "06,BK-OCOP-9S,2022,181,",
        "indicator_code",
        "BK-OCOP-9S",
        id="unknown-indicator",
    ),
    pytest.param(
        "targets.csv",
        "405/KH-UBND,06,BK-NLTT-CS,2030,",
        "405/KH-UBND,06,BK-NLTT-CS,2035,",
        "year",
        "2035",
        id="year-outside-document-period",
    ),
    pytest.param(
        "targets.csv",
        "889/QĐ-TTg,,SCP-05,2025,between,20,30,",
        "889/QĐ-TTg,,SCP-05,2025,between,40,30,",
        "low",
        "40",
        id="low-above-high",
    ),
    pytest.param(
        "results.csv",
        "06,BK-OCOP-3S,2022,181,",
        "06,BK-OCOP-3S,2022,181 sản phẩm,",
        "value",
        "181 sản phẩm",
        id="not-a-number",
    ),
    pytest.param(
        "targets.csv",
        "405/KH-UBND,06,BK-NLTT-CS,2025,at_least,35,",
        "405/KH-UBND,06,BK-NLTT-CS,2025,at_least,3x5,",
        "low",
        "3x5",
        id="bound-not-a-number",
    ),
    pytest.param(
        "targets.csv",
        "405/KH-UBND,06,BK-NLTT-CS,2025,",
        "405/KH-UBND,42,BK-NLTT-CS,2025,",
        "unit_code",
        "405/KH-UBND",
        id="target-unit-differs-from-plan",
    ),
    pytest.param(
        "admin_units.csv",
        "06,Bắc Kạn,tinh,,2025-06-30,19,",
        "06,Bắc Kạn,tinh,,2025-06-30,77,",
        "successor_code",
        "77",
        id="successor-not-in-force",
    ),
    pytest.param(
        "documents.csv",
        "405/KH-UBND,provincial_plan,06,2021-07-06,",
        "405/KH-UBND,provincial_plan,06,2021-07-36,",
        "issued_on",
        "2021-07-36",
        id="bad-date",
    ),
    pytest.param(
        "indicators.csv",
        ",Magazine issues on sustainable production and consumption,số,issues,issue,",
        ",Magazine issues on sustainable production and consumption,số,,issue,",
        "unit_en_singular",
        "issue",
        id="singular-without-english-unit",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "column", "mentions"), BAD_ROWS)
def test_a_bad_row_names_file_line_and_column_and_writes_nothing(
    tmp_path: Path, file: str, old: str, new: str, column: str, mentions: str
) -> None:
    data = _copy_data(tmp_path)
    # A good change elsewhere must be undone too: the load is all-or-nothing.
    _replace(data / "results.csv", ",SCP-M-TAPCHI,2022,8,", ",SCP-M-TAPCHI,2022,9,")
    _replace(data / file, old, new)
    line = _line_of(data / file, new)
    before = database_snapshot()

    with pytest.raises(ReferenceDataError) as caught:
        reference_data_load(directory=data)

    [error] = [e for e in caught.value.errors if e.file == file]
    assert (error.line, error.column) == (line, column)
    assert mentions in str(error)
    assert database_snapshot() == before


def test_the_command_stops_with_the_reason_and_nothing_written(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    _replace(data / "results.csv", "06,BK-OCOP-3S,2022,181,", "06,BK-OCOP-3S,2022,abc,")
    before = database_snapshot()
    with pytest.raises(CommandError) as caught:
        call_command("load_reference_data", data_dir=data)
    message = str(caught.value)
    assert "results.csv" in message
    assert f"{_line_of(data / 'results.csv', ',abc,')}" in message
    assert "value" in message
    assert database_snapshot() == before


def test_a_missing_column_is_reported_on_the_header_line(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    _replace(data / "targets.csv", ",approximate,", ",approx,")
    with pytest.raises(ReferenceDataError) as caught:
        reference_data_load(directory=data)
    [error] = caught.value.errors
    assert (error.file, error.line, error.column) == ("targets.csv", 1, "approximate")
