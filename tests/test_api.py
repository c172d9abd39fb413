"""The JSON API: reads with filters and pagination in a fixed number of queries, the
same CSV as the pages, writes through the report services with ETag / If-Match, token and
session authentication (with CSRF)."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import User
from indicators.models import Indicator, Target
from programmes.models import Document
from progress.models import Progress, RecomputeRun
from progress.services import progress_recompute_now
from provinces.models import Province
from provinces.selectors import province_for_code_in_year
from reports.models import Report, ReportedValue, ValueChange

from .conftest import client_for
from .progress_builders import approved_value

pytestmark = pytest.mark.django_db


def api(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def _draft(code: str, year: int = 2025, **values: str) -> Report:
    report = Report.objects.create(
        province=province_for_code_in_year(code=code, year=year), year=year
    )
    ReportedValue.objects.create(
        report=report, indicator=Indicator.objects.get(code="SCP-07"), value=90, note=code
    )
    return report


def _body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content) if response.streaming else response.content


# ------------------------------------------------------------------ reads


def test_units_list_has_validity_successor_and_predecessors(people) -> None:  # type: ignore[no-untyped-def]
    response = api(None).get(reverse("api:unit-list"), {"code": "19"})
    assert response.status_code == 200
    units = {(u["name"], u["valid_to"]): u for u in response.json()["results"]}
    new = next(u for (name, to), u in units.items() if to is None)
    old = next(u for (name, to), u in units.items() if to is not None)
    bac_kan = province_for_code_in_year(code="06", year=2024)
    assert bac_kan.pk in new["predecessors"] and old["successor"] == new["id"]
    assert new["valid_from"] == "2025-07-01"


def test_units_in_force_on_a_day(people) -> None:  # type: ignore[no-untyped-def]
    client = api(None)
    before = client.get(reverse("api:unit-list"), {"on": "2025-06-30"}).json()["count"]
    after = client.get(reverse("api:unit-list"), {"on": "2025-07-01"}).json()["count"]
    assert (before, after) == (63, 34)


def test_pagination_uses_the_page_size_from_settings(people, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "PAGE_SIZE": 10}
    client = api(None)
    first = client.get(reverse("api:unit-list")).json()
    assert first["count"] == Province.objects.count() and len(first["results"]) == 10
    assert first["next"] and first["previous"] is None
    second = client.get(first["next"]).json()
    assert not {u["id"] for u in first["results"]} & {u["id"] for u in second["results"]}


def test_visitor_sees_only_approved_values(people) -> None:  # type: ignore[no-untyped-def]
    _draft("01")
    rows = api(None).get(reverse("api:value-list")).json()["results"]
    assert rows and {row["report_status"] for row in rows} == {"approved"}


def test_officer_sees_own_drafts_never_another_units(people) -> None:  # type: ignore[no-untyped-def]
    own, other = _draft("01"), _draft("19")
    rows = api(people["officer_hanoi"]).get(reverse("api:value-list"), {"year_from": 2025})
    reports = {row["report"] for row in rows.json()["results"]}
    assert own.pk in reports and other.pk not in reports
    client = api(people["officer_hanoi"])
    assert client.get(reverse("api:report-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("api:report-detail", args=[own.pk])).status_code == 200


def test_value_filters(people) -> None:  # type: ignore[no-untyped-def]
    client = api(people["reviewer"])
    _draft("01")
    url = reverse("api:value-list")
    bac_kan = province_for_code_in_year(code="06", year=2022)
    by_unit = client.get(url, {"unit": bac_kan.pk}).json()["results"]
    assert by_unit and {row["unit"] for row in by_unit} == {bac_kan.pk}
    by_indicator = client.get(url, {"indicator": "SCP-09"}).json()["results"]
    assert {row["indicator"] for row in by_indicator} == {"SCP-09"}
    plan = Document.objects.get(number="405/KH-UBND")
    by_document = client.get(url, {"document": plan.pk}).json()["results"]
    assert by_document and {row["indicator"] for row in by_document} <= set(
        Target.objects.filter(document=plan).values_list("indicator__code", flat=True)
    )
    programme = Document.objects.get(number="889/QĐ-TTg")
    by_programme = {
        row["indicator"] for row in client.get(url, {"programme": programme.pk}).json()["results"]
    }
    assert "SCP-09" in by_programme and "BK-NLTT-CS" in by_programme  # 405 implements 889
    years = client.get(url, {"year_from": 2023, "year_to": 2025}).json()["results"]
    assert years and all(2023 <= row["year"] <= 2025 for row in years)
    drafts = client.get(url, {"status": "draft"}).json()["results"]
    assert drafts and {row["report_status"] for row in drafts} == {"draft"}
    assert client.get(url, {"status": "nonsense"}).status_code == 400


@pytest.mark.parametrize(
    "name", ["api:value-list", "api:progress-list", "api:target-list", "api:report-list"]
)
def test_a_list_takes_one_year_and_any_case_of_a_code_and_refuses_an_unknown_parameter(
    people, name
) -> None:  # type: ignore[no-untyped-def]
    """``?year=2022`` and ``?indicatr=SCP-09`` answered with every row, which a script took
    for the rows it asked for."""
    client = api(people["reviewer"])
    url = reverse(name)
    rows = client.get(url, {"year": 2022, "page_size": 1000}).json()["results"]
    assert rows and {row["year"] for row in rows} == {2022}
    if name != "api:report-list":
        lower = client.get(url, {"indicator": "scp-09", "page_size": 1000}).json()["results"]
        assert lower and {row["indicator"] for row in lower} == {"SCP-09"}
    refused = client.get(url, {"format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert refused.json() == {"format": ["Unknown format 'xlsx': json or csv."]}
    for query in ({"indicatr": "SCP-09"}, {"yaer": "2022", "format": "csv"}):
        response = client.get(url, query, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        (message,) = response.json()["__all__"]
        assert message.startswith(f"Unknown parameter '{next(iter(query))}': the filters here are")


def test_the_status_grid_refuses_an_unknown_parameter_and_the_bundle_takes_an_origin(
    people,
) -> None:  # type: ignore[no-untyped-def]
    """?year=2024 on the grid answered with 2021–2025; the bundle, whose values half had
    become strict, refused the progress filter ``origin``."""
    reviewer = client_for(people["reviewer"])
    for response in (
        reviewer.get(reverse("api:reporting-status"), {"year": 2024}),
        reviewer.get(reverse("export", args=["status", "csv"]), {"year": 2024}),
    ):
        assert response.status_code == 400
        assert "'year'" in str(response.json())
    bundle = reviewer.get(reverse("export-bundle"), {"origin": "reported"})
    assert bundle.status_code == 200


def test_an_export_refuses_an_unknown_parameter_naming_it(people) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    response = client.get(reverse("export", args=["values", "csv"]), {"yaer": "2022"})
    assert response.status_code == 400
    (error,) = response.json()["errors"]["__all__"]
    assert error["message"].startswith("Không có tham số 'yaer': các bộ lọc ở đây là")
    assert "year_from" in error["message"]
    rows = pd.read_csv(
        io.BytesIO(
            b"".join(
                client.get(
                    reverse("export", args=["values", "csv"]), {"year": 2022}
                ).streaming_content
            )
        ),
        encoding="utf-8-sig",
    )
    assert len(rows) and set(rows.year) == {2022}


def test_progress_filters(people) -> None:  # type: ignore[no-untyped-def]
    client = api(None)
    rows = client.get(
        reverse("api:progress-list"), {"indicator": "BK-NLTT-CS", "status": "achieved"}
    ).json()["results"]
    assert {(row["indicator"], row["status"]) for row in rows} <= {("BK-NLTT-CS", "achieved")}


def test_a_progress_figure_is_found_by_its_key_after_the_nightly_recompute(people) -> None:  # type: ignore[no-untyped-def]
    """Bắc Kạn's BK-NLTT-CS 2022 was id 97, and 159 after ``recompute_progress``: a script
    keyed on the id lost the figure every night. The rows give no id; their key (unit,
    indicator, year, origin, as the progress CSV is joined) finds the same figures after
    a full recompute."""
    client = api(None)
    url = reverse("api:progress-list")

    def by_key() -> dict[tuple[object, ...], dict[str, object]]:
        rows = client.get(url, {"indicator": "BK-NLTT-CS", "page_size": 1000}).json()["results"]
        return {
            (row["unit_code"], row["unit_valid_from"], row["indicator"], row["year"], row["origin"]): row
            for row in rows
        }  # fmt: skip

    before = by_key()
    assert ("06", None, "BK-NLTT-CS", 2022, "reported") in before
    call_command("recompute_progress", stdout=io.StringIO())
    after = by_key()
    assert after == before
    assert not [row for row in after.values() if "id" in row]


def test_a_target_year_without_a_report_projects_nothing(people) -> None:  # type: ignore[no-untyped-def]
    """SCP-02: 5 documents by 15/7/2022 project at least 12,5 by 2025 on the 2022 row. The
    2025 row, with nothing reported for 2025, gave the same 12,5 as an exact figure (its
    bound dropped) beside "whether its target was met is not known"; the page showed none.
    The JSON and the CSV agree with the page."""
    client = api(None)
    url = reverse("api:progress-list")
    rows = client.get(url, {"indicator": "SCP-02", "origin": "reported"}).json()["results"]
    shown = {
        row["year"]: (row["status"], row["pace_ratio"], row["pace_bound"], row["projection"],
                      row["projection_bound"])
        for row in rows
    }  # fmt: skip
    assert shown == {
        2022: ("on_track", "1.2500", "lower", "12.500000", "lower"),
        2025: ("no_data", None, "", None, ""),
    }
    table = pd.read_csv(
        io.BytesIO(_body(client.get(url, {"indicator": "SCP-02", "format": "csv"}))),
        encoding="utf-8-sig",
        dtype=str,
        keep_default_na=False,
    ).set_index("year")
    assert table.loc["2025", ["projection", "projection_bound"]].tolist() == ["", ""]
    assert table.loc["2022", ["projection", "projection_bound"]].tolist() == ["12.5", "lower"]


def test_targets_documents_indicators_filters(people) -> None:  # type: ignore[no-untyped-def]
    client = api(None)
    plan = Document.objects.get(number="405/KH-UBND")
    targets = client.get(reverse("api:target-list"), {"document": plan.pk}).json()["results"]
    assert targets and {t["document"] for t in targets} == {plan.pk}
    indicators = client.get(reverse("api:indicator-list"), {"document": plan.pk}).json()
    assert {i["code"] for i in indicators["results"]} == {t["indicator"] for t in targets}
    plans = client.get(reverse("api:document-list"), {"kind": "provincial_plan"}).json()
    assert {d["kind"] for d in plans["results"]} == {"provincial_plan"}
    detail = client.get(reverse("api:indicator-detail", args=["SCP-09"])).json()
    assert detail["code"] == "SCP-09"
    assert client.get(reverse("api:indicator-detail", args=["NOPE"])).status_code == 404


def test_reporting_status_is_for_the_ministry_only(people) -> None:  # type: ignore[no-untyped-def]
    url = reverse("api:reporting-status")
    for role in ["visitor", "officer_hanoi", "analyst"]:
        assert api(people[role]).get(url).status_code == 404
    grid = api(people["reviewer"]).get(url, {"year_from": 2022, "year_to": 2023}).json()
    assert grid["years"] == [2022, 2023] and len(grid["rows"]) == 34


def test_a_merged_cell_gives_each_report_it_expects_with_its_own_status(people) -> None:  # type: ignore[no-untyped-def]
    """The new Thái Nguyên's 2022 cell said ``"status": "none", "reports": [3]``, and no
    more: which former unit filed and which did not was lost. Its parts say it, as the
    page ("Bắc Kạn (until 30/6/2025): approved · Thái Nguyên (until 30/6/2025): no report")
    and the export do."""
    bac_kan = province_for_code_in_year(code="06", year=2022)
    old = province_for_code_in_year(code="19", year=2022)
    report = Report.objects.get(province=bac_kan, year=2022)
    grid = (
        api(people["reviewer"])
        .get(reverse("api:reporting-status"), {"year_from": 2022, "year_to": 2022})
        .json()
    )
    row = next(row for row in grid["rows"] if row["unit_code"] == "19")
    [cell] = row["cells"]
    assert (cell["status"], cell["late"], cell["reports"]) == ("none", True, [report.pk])
    assert cell["parts"] == [
        {
            "unit": bac_kan.pk,
            "unit_code": "06",
            "unit_name": "Bắc Kạn",
            "unit_valid_from": None,
            "unit_valid_to": "2025-06-30",
            "status": "approved",
            "late": False,
            "report": report.pk,
        },
        {
            "unit": old.pk,
            "unit_code": "19",
            "unit_name": "Thái Nguyên",
            "unit_valid_from": None,
            "unit_valid_to": "2025-06-30",
            "status": "none",
            "late": True,
            "report": None,
        },
    ]
    # Every part is counted once in the year's totals.
    parts = [part for row in grid["rows"] for part in row["cells"][0]["parts"]]
    counts = grid["counts"]["2022"]
    assert len(parts) == sum(n for status, n in counts.items() if status != "late") == 63
    assert sum(part["late"] for part in parts) == counts["late"]


def test_the_lists_give_each_rows_unit_by_code_and_validity(people) -> None:  # type: ignore[no-untyped-def]
    """values/, progress/, targets/ and reports/ gave ``unit`` as an internal id only,
    while the CSV gives the code and the days: code 19 is the old and the new Thái
    Nguyên, and Bắc Kạn's 2025 rows are a former unit's."""
    bac_kan = province_for_code_in_year(code="06", year=2022)
    new = province_for_code_in_year(code="19", year=2025)
    report = approved_value(new, "SCP-05", 2025, "4").report
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    client = api(people["analyst"])
    keys = ["unit", "unit_code", "unit_valid_from", "unit_valid_to"]
    former = [bac_kan.pk, "06", None, "2025-06-30"]
    in_force = [new.pk, "19", "2025-07-01", None]

    def found(name: str, **params) -> list[list]:  # type: ignore[no-untyped-def]
        rows = client.get(reverse(name), {"page_size": 1000, **params}).json()["results"]
        return [[row[key] for key in keys] for row in rows]

    values = found("api:value-list", lineage=new.pk)
    assert former in values and in_force in values
    progress = found("api:progress-list", lineage=new.pk)
    assert former in progress and in_force in progress
    assert ["VN", None, None] in [row[1:] for row in found("api:progress-list")]
    assert former in found("api:target-list", unit=bac_kan.pk)
    reports = client.get(reverse("api:report-list"), {"page_size": 1000}).json()["results"]
    assert [[row[key] for key in keys] for row in reports if row["id"] == report.pk] == [in_force]
    detail = client.get(reverse("api:report-detail", args=[report.pk])).json()
    assert [detail[key] for key in keys] == in_force
    assert [detail["values"][0][key] for key in keys] == in_force


def test_the_units_a_roll_up_lacks_are_told_apart_across_the_merger() -> None:
    """ "Tuyên Quang" missing from the national share of 2024 and of 2025 are two units: the
    old one (08, labelled with its last day) and the one formed with Hà Giang (08 from
    2025-07-01). ``missing_codes`` gives each as the rows give a unit, code and
    ``valid_from``, in ``missing``'s order."""
    for year in [2024, 2025]:
        approved_value(province_for_code_in_year(code="01", year=year), "SCP-06-HUYEN", year, "80")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    rows = (
        api(None)
        .get("/api/v1/progress/", {"indicator": "SCP-06", "origin": "share_of_units"})
        .json()["results"]
    )
    by_year = {
        row["year"]: dict(zip(row["missing"], row["missing_codes"], strict=True)) for row in rows
    }
    assert by_year[2024]["Tuyên Quang (đến 30/6/2025)"] == "08"
    assert by_year[2025]["Tuyên Quang"] == "08@2025-07-01"
    assert by_year[2025]["Cao Bằng"] == "04"
    assert len(set(by_year[2024].values())) == len(by_year[2024]) == 62
    # The CSV says the same.
    frame = pd.read_csv(
        io.BytesIO(
            _body(
                api(None).get(
                    "/api/v1/progress/",
                    {"indicator": "SCP-06", "origin": "share_of_units", "format": "csv"},
                )
            )
        ),
        encoding="utf-8-sig",
        dtype=str,
    )
    row = frame[frame.year == "2025"].iloc[0]
    assert row.missing_codes.split("; ") == list(by_year[2025].values())


STATUS_YEARS = [
    ({}, [2021, 2022, 2023, 2024, 2025]),  # the five up to the one due
    ({"year_from": 2030}, []),
    ({"year_from": 1900, "year_to": 1901}, []),
    ({"year_from": 2019, "year_to": 2022}, [2021, 2022]),
    ({"year_from": 2026}, [2026]),
    ({"year_to": 2022}, [2021, 2022]),
]


@pytest.mark.parametrize(("params", "years"), STATUS_YEARS)
def test_reporting_status_covers_only_the_reportable_years_asked_for(
    people, clock, params, years
) -> None:  # type: ignore[no-untyped-def]
    """In 2026 it answered 2030 with 2025 and 2026, and 1900–1901 with 2021."""
    clock(date(2026, 3, 1))
    client = api(people["reviewer"])
    grid = client.get(reverse("api:reporting-status"), params)
    assert grid.status_code == 200
    assert grid.json()["years"] == years
    assert sorted(grid.json()["deadlines"]) == [str(year) for year in years]
    assert all(len(row["cells"]) == len(years) for row in grid.json()["rows"])
    rows = pd.read_csv(
        io.BytesIO(_body(client.get(reverse("api:reporting-status"), {**params, "format": "csv"})))
    )
    assert sorted(set(rows.year)) == years
    assert (rows.groupby("year").row_unit_code.nunique() == 34).all()


def _filter_message(response, name: str) -> str:  # type: ignore[no-untyped-def]
    """The one reason given for the parameter ``name``: the lists give it as REST framework
    does (a string), the reporting status as the exports do (message and code)."""
    [error] = response.json()[name]
    return error["message"] if isinstance(error, dict) else error


@pytest.mark.parametrize(
    "name",
    [
        "api:reporting-status",
        "api:value-list",
        "api:progress-list",
        "api:report-list",
        "api:target-list",
    ],
)
def test_a_reversed_year_range_is_refused_naming_year_to(people, name) -> None:  # type: ignore[no-untyped-def]
    """The grid swapped it (2025–2021 gave 2021–2025); the lists gave nothing."""
    client = api(people["reviewer"])
    for extra in [{}, {"format": "csv"}]:
        refused = client.get(reverse(name), {"year_from": 2025, "year_to": 2021, **extra})
        assert refused.status_code == 400, refused.content
        assert _filter_message(refused, "year_to") == "year_to (2021) sớm hơn year_from (2025)."
    english = client.get(
        reverse(name), {"year_from": 2025, "year_to": 2021}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert _filter_message(english, "year_to") == "year_to (2021) is before year_from (2025)."
    assert client.get(reverse(name), {"year_from": 2023, "year_to": 2023}).status_code == 200


# A filter of each list that narrows it, with two values for it.
REPEATED = [
    ("api:unit-list", "code", ["01", "19"]),
    ("api:document-list", "kind", ["national_programme", "provincial_plan"]),
    ("api:indicator-list", "programme", [1, 2]),
    ("api:target-list", "indicator", ["SCP-07", "BK-NLTT-CS"]),
    ("api:value-list", "unit", [1, 36]),
    ("api:progress-list", "year", [2022, 2025]),
    ("api:report-list", "year", [2022, 2025]),
    ("api:reporting-status", "year_from", [2022, 2023]),
    ("api:value-list", "page_size", [10, 20]),
]


@pytest.mark.parametrize(("name", "parameter", "values"), REPEATED)
def test_a_parameter_given_twice_is_refused_naming_it(people, name, parameter, values) -> None:  # type: ignore[no-untyped-def]
    """``?unit=1&unit=36``, which ``requests`` sends for ``params={"unit": [1, 36]}``,
    answered with unit 36's rows alone, as if the script had asked for no other."""
    client = api(people["reviewer"])
    for extra in [{}, {"format": "csv"}]:
        response = client.get(
            reverse(name), {parameter: values, **extra}, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 400, response.content
        assert _filter_message(response, "__all__") == (
            f"Parameter '{parameter}' is given more than once: give it once."
        )
    assert client.get(reverse(name), {parameter: values[0]}).status_code == 200


@pytest.mark.parametrize(
    "name", ["api:value-list", "api:progress-list", "api:report-list", "api:target-list"]
)
def test_a_year_outside_year_from_and_year_to_is_refused_naming_year(people, name) -> None:  # type: ignore[no-untyped-def]
    """``?year=2022&year_from=2023`` answered 200 with nothing, which a script reads as "no
    figures for 2022"."""
    client = api(people["reviewer"])
    for query, message in [
        ({"year": 2022, "year_from": 2023}, "year (2022) is before year_from (2023)."),
        ({"year": 2022, "year_to": 2021}, "year (2022) is after year_to (2021)."),
    ]:
        for extra in [{}, {"format": "csv"}]:
            refused = client.get(reverse(name), {**query, **extra}, HTTP_ACCEPT_LANGUAGE="en")
            assert refused.status_code == 400, refused.content
            assert _filter_message(refused, "year") == message
    within = client.get(reverse(name), {"year": 2022, "year_from": 2022, "year_to": 2022})
    assert within.status_code == 200 and within.json()["count"] > 0


@pytest.mark.parametrize("size", ["0", "-1", "abc", "1.5", "1001"])
def test_a_page_size_out_of_range_is_refused_naming_the_range(people, size: str) -> None:  # type: ignore[no-untyped-def]
    """``?page_size=0`` (or ``abc``) answered 100 rows and ``1001`` 1000, each as if it
    had been taken: a script reading one page took it for all it asked for."""
    response = api(None).get(
        reverse("api:unit-list"), {"page_size": size}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json() == {
        "page_size": [f"page_size must be a whole number from 1 to 1000, not '{size}'."]
    }


def test_a_page_size_in_range_is_taken(people) -> None:  # type: ignore[no-untyped-def]
    client = api(None)
    assert len(client.get(reverse("api:unit-list"), {"page_size": 5}).json()["results"]) == 5
    units = client.get(reverse("api:unit-list"), {"page_size": 1000}).json()["results"]
    assert len(units) == Province.objects.count()


def test_the_filters_refusals_read_in_vietnamese(people) -> None:  # type: ignore[no-untyped-def]
    """Django's own Vietnamese read "Đảm bảo giá trị này lớn hơn hoặc bằng với 0 ." for
    ``?unit=-1``, a space before the full stop. Passes once ``make messages`` has folded
    locale/pending/api-filters.json into the catalogue."""
    client = api(people["reviewer"])
    url = reverse("api:value-list")
    refusals = [
        ({"unit": -1}, "unit", "Giá trị phải lớn hơn hoặc bằng 0."),
        ({"year": 40000}, "year", "Giá trị phải nhỏ hơn hoặc bằng 32767."),
        ({"unit": [1, 36]}, "__all__", "Tham số 'unit' được ghi nhiều lần: chỉ ghi một lần."),
        ({"year": 2022, "year_from": 2023}, "year", "year (2022) sớm hơn year_from (2023)."),
        ({"year": 2022, "year_to": 2021}, "year", "year (2022) muộn hơn year_to (2021)."),
        (
            {"page_size": 0},
            "page_size",
            "page_size phải là một số nguyên từ 1 đến 1000, không phải '0'.",
        ),
    ]
    for query, name, message in refusals:
        response = client.get(url, query)
        assert response.status_code == 400
        assert _filter_message(response, name) == message


@pytest.mark.parametrize(
    ("name", "csv_name"),
    [
        ("api:value-list", "values"),
        ("api:progress-list", "progress"),
        ("api:report-list", "reports"),
        ("api:reporting-status", "status"),
    ],
)
def test_format_csv_gives_the_same_csv_as_the_page_export(people, name, csv_name) -> None:  # type: ignore[no-untyped-def]
    _draft("01")
    client = api(people["reviewer" if csv_name == "status" else "officer_hanoi"])
    params = {"year_from": 2022, "encoding": "utf-8"}
    from_api = _body(client.get(reverse(name), {**params, "format": "csv"}))
    from_page = _body(client.get(reverse("export", args=[csv_name, "csv"]), params))
    assert from_api == from_page
    assert len(pd.read_csv(io.BytesIO(from_api))) > 0


@pytest.mark.parametrize(
    "name", ["api:unit-list", "api:document-list", "api:indicator-list", "api:target-list"]
)
def test_format_csv_on_metadata_lists(people, name) -> None:  # type: ignore[no-untyped-def]
    response = api(None).get(reverse(name), {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    frame = pd.read_csv(io.BytesIO(_body(response)), encoding="utf-8-sig")
    assert len(frame) > 0


LISTS = [
    "api:unit-list",
    "api:document-list",
    "api:indicator-list",
    "api:target-list",
    "api:value-list",
    "api:progress-list",
    "api:report-list",
]


@pytest.mark.parametrize("name", LISTS)
def test_list_query_count_does_not_grow(people, name, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = api(people["officer_thainguyen"])
    url = reverse(name)
    client.get(url)  # the session and the user, once
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(url)
    # More rows of every kind: values, reports, targets, units' predecessors.
    for code in ["01", "19", "04", "08"]:
        _draft(code)
    indicator = Indicator.objects.get(code="SCP-07")
    Target.objects.create(
        document=Document.objects.get(number="889/QĐ-TTg"),
        indicator=indicator,
        year=2027,
        comparator="at_least",
        low=10,
        text_vi="t",
        source="t",
    )
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(url)


# ------------------------------------------------------------------ writes


def _etag(response) -> str:  # type: ignore[no-untyped-def]
    return response["ETag"]


def test_officer_opens_enters_and_submits_through_the_api(people) -> None:  # type: ignore[no-untyped-def]
    client = api(people["officer_hanoi"])
    hanoi = province_for_code_in_year(code="01", year=2025)
    opened = client.post(
        reverse("api:report-list"), {"unit": hanoi.pk, "year": 2025}, format="json"
    )
    assert opened.status_code == 201, opened.json()
    report = opened.json()
    assert _etag(opened) == f'"{report["version"]}"'
    url = reverse("api:report-values", args=[report["id"]])
    saved = client.put(
        url,
        {"values": [{"indicator": "SCP-07", "value": "85.5", "source": "Sở Công Thương"}]},
        format="json",
        HTTP_IF_MATCH=_etag(opened),
    )
    assert saved.status_code == 200, saved.json()
    assert [(v["indicator"], v["value"]) for v in saved.json()["values"]] == [("SCP-07", "85.5000")]
    change = ValueChange.objects.get(report_id=report["id"])
    assert change.path == ValueChange.Path.API and change.by == people["officer_hanoi"]
    assert _etag(saved) != _etag(opened)


def test_stale_if_match_is_412_and_missing_is_428(people) -> None:  # type: ignore[no-untyped-def]
    report = _draft("01")
    client = api(people["officer_hanoi"])
    url = reverse("api:report-values", args=[report.pk])
    body = {"values": [{"indicator": "SCP-07", "value": "70"}]}
    assert client.patch(url, body, format="json").status_code == 428
    first = client.patch(url, body, format="json", HTTP_IF_MATCH=f'"{report.version}"')
    assert first.status_code == 200
    stale = client.patch(
        url,
        {"values": [{"indicator": "SCP-07", "value": "60"}]},
        format="json",
        HTTP_IF_MATCH=f'"{report.version}"',
    )
    assert stale.status_code == 412
    assert stale["ETag"] == first["ETag"]
    assert ReportedValue.objects.get(report=report).value == 70
    submit = client.post(
        reverse("api:report-submit", args=[report.pk]), HTTP_IF_MATCH=f'"{report.version}"'
    )
    assert submit.status_code == 412


def test_validation_errors_are_the_forms_messages_by_field(people) -> None:  # type: ignore[no-untyped-def]
    report = _draft("01")
    client = api(people["officer_hanoi"])
    response = client.patch(
        reverse("api:report-values", args=[report.pk]),
        {"values": [{"indicator": "SCP-07", "value": "140"}, {"indicator": "NOPE", "value": 1}]},
        format="json",
        HTTP_IF_MATCH=f'"{report.version}"',
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "NOPE": {"indicator": "không phải chỉ tiêu của báo cáo này"}
    }
    response = client.patch(
        reverse("api:report-values", args=[report.pk]),
        {"values": [{"indicator": "SCP-07", "value": "140"}]},
        format="json",
        HTTP_IF_MATCH=f'"{report.version}"',
    )
    assert response.status_code == 400
    assert "value" in response.json()["errors"]["SCP-07"]
    assert "0" in response.json()["errors"]["SCP-07"]["value"]


@pytest.mark.parametrize(
    ("code", "queries"),
    [
        ("SCP-07", 20),  # a share: nothing is checked against last year's value
        ("SCP-05", 21),  # a running total: one query for last year's
    ],
)
def test_saving_values_reads_the_forms_indicators_not_the_whole_form(
    people, code, queries, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    """Mapping the codes to the report's indicators costs the form's three queries and one
    for the indicators: not the form's targets, values and last year's figures as well.
    The save reads last year's figures only for a running total."""
    report = _draft("01")
    ReportedValue.objects.create(
        report=report, indicator=Indicator.objects.get(code="SCP-05"), value=5
    )
    client = api(people["officer_hanoi"])
    # The value's UPDATE and its audit entry's INSERT, which PostgreSQL sends as a COPY
    # that the query log does not see.
    writes = 1 if connection.vendor == "postgresql" else 2
    with django_assert_num_queries(queries + writes):
        response = client.patch(
            reverse("api:report-values", args=[report.pk]),
            {"values": [{"indicator": code, "value": "70"}]},
            format="json",
            HTTP_IF_MATCH=f'"{report.version}"',
        )
    assert response.status_code == 200, response.json()


_HN_CHO = {
    "indicator": "HN-CHO",
    "value": "65",
    "qualifier": "about",
    "numerator": "13",
    "denominator": "20",
    "note": "n1",
    "source": "s1",
    "as_of": "2024-07-15",
    "evidence_url": "https://example.org/x.pdf",
}
_HN_CHO_OUT = {
    **_HN_CHO,
    "value": "65.0000",
    "numerator": "13.0000",
    "denominator": "20.0000",
    "qualitative_status": "",
}


def _patched(
    client: APIClient, report: Report, method: str = "patch", **value: object
) -> dict[str, object]:
    """HN-CHO as the answer to one write of ``value`` shows it (absent: cleared)."""
    report.refresh_from_db()
    response = getattr(client, method)(
        reverse("api:report-values", args=[report.pk]),
        {"values": [{"indicator": "HN-CHO", **value}]},
        format="json",
        HTTP_IF_MATCH=f'"{report.version}"',
    )
    assert response.status_code == 200, response.json()
    values = {v["indicator"]: v for v in response.json()["values"]}
    return {name: values["HN-CHO"][name] for name in _HN_CHO_OUT} if "HN-CHO" in values else {}


@pytest.mark.parametrize(
    ("stored", "given"),
    [
        ({}, "65"),
        ({}, "65,00"),
        # A share given as the page rounds it: 1 of 3 is stored as 33.3333.
        ({"value": "33.3333", "numerator": "1", "denominator": "3"}, "33,33"),
    ],
)
def test_a_patch_giving_only_the_value_again_keeps_every_field_it_leaves_out(
    people, stored, given
) -> None:  # type: ignore[no-untyped-def]
    """A script correcting a number sent only the value, and the API blanked the rest:
    "khoảng 65 % (13/20)" of 15 July with its note, source and evidence became an exact
    65 % of the whole year, which the progress engine judges differently."""
    report = _draft("01", year=2024)
    client = api(people["officer_hanoi"])
    first = _patched(client, report, **{**_HN_CHO, **stored})
    assert _patched(client, report, value=given) == first
    assert first["qualifier"] == "about" and first["as_of"] == "2024-07-15"
    assert ValueChange.objects.filter(report=report, indicator__code="HN-CHO").count() == 1


def test_a_patch_with_a_new_value_is_exact_without_parts_and_keeps_note_source_and_day(
    people,
) -> None:  # type: ignore[no-untyped-def]
    """As the import treats a file without the qualifier and parts columns: they belonged
    to the old figure."""
    report = _draft("01", year=2024)
    client = api(people["officer_hanoi"])
    _patched(client, report, **_HN_CHO)
    assert _patched(client, report, value="66") == {
        **_HN_CHO_OUT,
        "value": "66.0000",
        "qualifier": "exact",
        "numerator": None,
        "denominator": None,
    }
    # Leaving the value out keeps the figure too; what is given still wins.
    assert _patched(client, report, qualifier="more_than", source="s2") == {
        **_HN_CHO_OUT,
        "value": "66.0000",
        "qualifier": "more_than",
        "numerator": None,
        "denominator": None,
        "source": "s2",
    }


def test_a_patch_clears_what_it_sends_empty_and_only_that(people) -> None:  # type: ignore[no-untyped-def]
    report = _draft("01", year=2024)
    client = api(people["officer_hanoi"])
    _patched(client, report, **_HN_CHO)
    assert _patched(client, report, note="", as_of=None, evidence_url="") == {
        **_HN_CHO_OUT,
        "note": "",
        "as_of": None,
        "evidence_url": "",
    }
    # An empty figure and note remove the value, as in the form.
    assert _patched(client, report, value=None, note="") == {}


def test_a_put_blanks_the_fields_a_value_leaves_out(people) -> None:  # type: ignore[no-untyped-def]
    """PUT gives the whole set: a field left out is cleared, as a value left out is."""
    report = _draft("01", year=2024)
    client = api(people["officer_hanoi"])
    _patched(client, report, **_HN_CHO)
    assert _patched(client, report, "put", value="65") == {
        "indicator": "HN-CHO",
        "value": "65.0000",
        "qualifier": "exact",
        "numerator": None,
        "denominator": None,
        "note": "",
        "source": "",
        "as_of": None,
        "evidence_url": "",
        "qualitative_status": "",
    }
    assert list(report.values.values_list("indicator__code", flat=True)) == ["HN-CHO"]


def _assessed_scp01(report: Report) -> ReportedValue:
    """Hà Nội's qualitative result (SCP-01) as the reviewer judged it: on track."""
    return ReportedValue.objects.create(
        report=report,
        indicator=Indicator.objects.get(code="SCP-01"),
        note="Ban hành quy chế",
        qualitative_status="on_track",
    )


def test_an_officers_patch_of_a_returned_results_note_keeps_the_reviewers_assessment(
    people,
) -> None:  # type: ignore[no-untyped-def]
    """The officer's script left the assessment out, and the API withdrew the ministry's
    judgement of the result."""
    report = _draft("01")
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RETURNED)
    stored = _assessed_scp01(report)
    report.refresh_from_db()
    response = api(people["officer_hanoi"]).patch(
        reverse("api:report-values", args=[report.pk]),
        {"values": [{"indicator": "SCP-01", "note": "Ban hành quy chế số 12"}]},
        format="json",
        HTTP_IF_MATCH=f'"{report.version}"',
    )
    assert response.status_code == 200, response.json()
    stored.refresh_from_db()
    assert (stored.note, stored.qualitative_status) == ("Ban hành quy chế số 12", "on_track")


def test_a_patch_emptying_a_value_removes_it_with_its_day_and_assessment(people) -> None:  # type: ignore[no-untyped-def]
    """Kept when left out, the stored day refused the removal ("a day without a value"), and
    the reviewer's assessment left an empty result standing as judged."""
    report = _draft("01", year=2024)
    client = api(people["officer_hanoi"])
    _patched(client, report, **_HN_CHO)
    assert _patched(client, report, value=None, note="") == {}

    report = _draft("01")
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RETURNED)
    _assessed_scp01(report)
    report.refresh_from_db()
    response = client.patch(
        reverse("api:report-values", args=[report.pk]),
        {"values": [{"indicator": "SCP-01", "note": ""}]},
        format="json",
        HTTP_IF_MATCH=f'"{report.version}"',
    )
    assert response.status_code == 200, response.json()
    assert not report.values.filter(indicator__code="SCP-01").exists()


def test_review_cycle_through_the_api(people) -> None:  # type: ignore[no-untyped-def]
    report = _draft("01")
    officer, reviewer = api(people["officer_hanoi"]), api(people["reviewer"])
    submitted = officer.post(
        reverse("api:report-submit", args=[report.pk]), HTTP_IF_MATCH=f'"{report.version}"'
    )
    assert submitted.status_code == 200, submitted.json()
    tag = submitted["ETag"]
    returned = reviewer.post(
        reverse("api:report-return", args=[report.pk]),
        {"reason": ""},
        format="json",
        HTTP_IF_MATCH=tag,
    )
    assert returned.status_code == 400 and "reason" in returned.json()["errors"][""]
    assert (
        officer.post(reverse("api:report-approve", args=[report.pk]), HTTP_IF_MATCH=tag).status_code
        == 404
    )
    approved = reviewer.post(reverse("api:report-approve", args=[report.pk]), HTTP_IF_MATCH=tag)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    reopened = reviewer.post(
        reverse("api:report-reopen", args=[report.pk]),
        {"reason": "Sửa số liệu"},
        format="json",
        HTTP_IF_MATCH=approved["ETag"],
    )
    assert reopened.status_code == 200 and reopened.json()["status"] == "returned"


def test_a_returned_reports_reason_reaches_its_officer_through_the_api(people) -> None:  # type: ignore[no-untyped-def]
    """The report page says "Returned by the ministry: <reason>"; a script reading the
    report must learn it too, or it cannot know what to correct."""
    report = _draft("01")
    officer, reviewer = api(people["officer_hanoi"]), api(people["reviewer"])
    tag = officer.post(
        reverse("api:report-submit", args=[report.pk]), HTTP_IF_MATCH=f'"{report.version}"'
    )["ETag"]
    reviewer.post(
        reverse("api:report-return", args=[report.pk]),
        {"reason": "SCP-07 thiếu nguồn"},
        format="json",
        HTTP_IF_MATCH=tag,
    )
    read = officer.get(reverse("api:report-detail", args=[report.pk])).json()
    assert read["status"] == "returned"
    steps = [(t["from_status"], t["to_status"], t["by"], t["reason"]) for t in read["transitions"]]
    assert steps == [
        ("draft", "submitted", "officer-hn", ""),
        ("submitted", "returned", "reviewer-1", "SCP-07 thiếu nguồn"),
    ]


def test_only_the_workflows_people_read_an_approved_reports_review_history(people) -> None:  # type: ignore[no-untyped-def]
    """As on the report's page: who reviewed it and why it was returned stay with the
    people of the workflow."""
    report = _draft("01")
    officer, reviewer = api(people["officer_hanoi"]), api(people["reviewer"])
    tag = officer.post(
        reverse("api:report-submit", args=[report.pk]), HTTP_IF_MATCH=f'"{report.version}"'
    )["ETag"]
    reviewer.post(reverse("api:report-approve", args=[report.pk]), HTTP_IF_MATCH=tag)
    url = reverse("api:report-detail", args=[report.pk])
    # Nor do an analyst or another province's officer take part in Hà Nội's workflow.
    for outsider in (None, people["analyst"], people["officer_thainguyen"]):
        seen = api(outsider).get(url).json()
        assert seen["status"] == "approved" and seen["values"]
        assert seen["transitions"] == []
    for insider in (reviewer, officer):
        assert [t["by"] for t in insider.get(url).json()["transitions"]] == [
            "officer-hn",
            "reviewer-1",
        ]


def test_hanoi_officer_cannot_write_to_thai_nguyen(people) -> None:  # type: ignore[no-untyped-def]
    other = _draft("19")
    client = api(people["officer_hanoi"])
    tag = f'"{other.version}"'
    body = {"values": [{"indicator": "SCP-07", "value": "1"}]}
    assert (
        client.put(
            reverse("api:report-values", args=[other.pk]), body, format="json", HTTP_IF_MATCH=tag
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("api:report-submit", args=[other.pk]), HTTP_IF_MATCH=tag).status_code
        == 404
    )
    thai_nguyen = province_for_code_in_year(code="19", year=2025)
    assert (
        client.post(
            reverse("api:report-list"), {"unit": thai_nguyen.pk, "year": 2024}, format="json"
        ).status_code
        == 404
    )
    assert ReportedValue.objects.get(report=other).value == 90


# ------------------------------------------------------------------ authentication


def test_token_page_creates_shows_once_and_revokes(people) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people["analyst"])
    url = reverse("account-token")
    assert Client().get(url).status_code == 302  # login required
    created = client.post(url, {"action": "create"})
    key = Token.objects.get(user=people["analyst"]).key
    assert key in created.content.decode()
    assert key not in client.get(url).content.decode()
    scripted = APIClient()
    scripted.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert scripted.get(reverse("api:report-list")).status_code == 200
    client.post(url, {"action": "revoke"})
    assert not Token.objects.filter(user=people["analyst"]).exists()
    assert scripted.get(reverse("api:report-list")).status_code == 401


def test_revoking_the_token_says_so_on_the_token_page_not_on_a_later_one(people) -> None:  # type: ignore[no-untyped-def]
    from .conftest import client_for

    client = client_for(people["analyst"])
    url = reverse("account-token")
    client.post(url, {"action": "create"})
    revoked = client.post(url, {"action": "revoke"}, follow=True)
    assert "Mã truy cập API của bạn đã bị thu hồi." in revoked.content.decode()
    # Shown once, where it happened: the reports page opened next says nothing of it.
    assert "thu hồi" not in client.get(reverse("report-list")).content.decode()


def test_token_writes_need_no_csrf_but_session_writes_do(people) -> None:  # type: ignore[no-untyped-def]
    report = _draft("01")
    url = reverse("api:report-values", args=[report.pk])
    body = '{"values": [{"indicator": "SCP-07", "value": "75"}]}'
    session = Client(enforce_csrf_checks=True)
    session.force_login(people["officer_hanoi"])
    refused = session.patch(url, body, content_type="application/json", HTTP_IF_MATCH='"1"')
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    token = Token.objects.create(user=people["officer_hanoi"])
    scripted = Client(enforce_csrf_checks=True)
    accepted = scripted.patch(
        url,
        body,
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert accepted.status_code == 200, accepted.json()


def test_anonymous_write_is_401_with_token_challenge(people) -> None:  # type: ignore[no-untyped-def]
    response = APIClient().post(
        reverse("api:report-list"), {"unit": None, "year": 2025}, format="json"
    )
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_drfs_own_messages_read_in_vietnamese_and_in_english(people) -> None:  # type: ignore[no-untyped-def]
    """DRF's Vietnamese catalogue lacks most of its messages; ours fills them in."""
    anonymous = APIClient().post(reverse("api:report-list"), {"year": 2025}, format="json")
    assert anonymous.json()["detail"] == "Chưa cung cấp thông tin xác thực."
    report = _draft("01")
    client = api(people["officer_hanoi"])
    url = reverse("api:report-values", args=[report.pk])
    body = {"values": [{"indicator": "SCP-07", "value": "1e20"}]}
    vi = client.patch(url, body, format="json", HTTP_IF_MATCH=f'"{report.version}"')
    assert vi.status_code == 400, vi.json()
    assert "Không được quá 20 chữ số tất cả." in str(vi.json())
    en = client.patch(
        url, body, format="json", HTTP_IF_MATCH=f'"{report.version}"', HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Ensure that there are no more than 20 digits in total." in str(en.json())


def test_thai_nguyen_officer_files_bac_kans_2024_figures_through_the_api(people) -> None:  # type: ignore[no-untyped-def]
    client = api(people["officer_thainguyen"])
    bac_kan = province_for_code_in_year(code="06", year=2024)
    opened = client.post(
        reverse("api:report-list"), {"unit": bac_kan.pk, "year": 2024}, format="json"
    )
    assert opened.status_code == 201 and opened.json()["unit"] == bac_kan.pk
    saved = client.patch(
        reverse("api:report-values", args=[opened.json()["id"]]),
        {"values": [{"indicator": "BK-NLTT-CS", "value": "30,5"}]},
        format="json",
        HTTP_IF_MATCH=opened["ETag"],
    )
    assert saved.status_code == 200, saved.json()
    assert saved.json()["values"][0]["value"] == "30.5000"  # read as the form reads it
    bad = client.patch(
        reverse("api:report-values", args=[opened.json()["id"]]),
        {"values": [{"indicator": "BK-NLTT-CS", "value": "ba mươi"}]},
        format="json",
        HTTP_IF_MATCH=saved["ETag"],
    )
    assert bad.status_code == 400
    assert "ba mươi" in bad.json()["errors"]["BK-NLTT-CS"]["value"]
    hanoi = api(people["officer_hanoi"])
    assert hanoi.get(reverse("api:report-detail", args=[opened.json()["id"]])).status_code == 404


def _values_sent(  # type: ignore[no-untyped-def]
    client: APIClient, report: Report, *values: dict[str, object], method: str = "patch", **headers
):
    report.refresh_from_db()
    return getattr(client, method)(
        reverse("api:report-values", args=[report.pk]),
        {"values": list(values)},
        format="json",
        HTTP_IF_MATCH=f'"{report.version}"',
        **headers,
    )


@pytest.mark.parametrize(
    ("language", "method", "typed", "message"),
    [
        (
            "vi",
            "patch",
            "1.500",
            "'1.500' có thể là 1500 hoặc 1,5: hãy viết 1500, không có dấu phân cách hàng "
            "nghìn, hoặc 1,5",
        ),
        (
            "en",
            "patch",
            "1,500",
            "'1,500' could be read as 1500 or as 1.5: write 1500, without a thousands "
            "separator, or 1.5",
        ),
        ("vi", "put", "1.500", "'1.500' có thể là 1500 hoặc 1,5"),
    ],
    ids=["vi-patch", "en-patch", "vi-put"],
)
def test_the_api_asks_which_number_a_lone_mark_before_three_digits_means(  # type: ignore[no-untyped-def]
    people, language, method, typed, message
) -> None:
    """A script sending Bắc Kạn's 1500 MW as "1.500", as Vietnamese write it, had 1,5 MW
    stored: the form asks, but the API, with no preview either, read the mark as decimal.
    It now refuses the text under the value's field, in the request's language, and
    stores nothing; a JSON number, or text without the doubt, is taken."""
    report = _draft("06", year=2024)
    client = api(people["officer_thainguyen"])
    refused = _values_sent(
        client,
        report,
        {"indicator": "BK-NLTT-CS", "value": typed},
        method=method,
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert refused.status_code == 400, refused.json()
    assert message in refused.json()["errors"]["BK-NLTT-CS"]["value"]
    assert dict(report.values.values_list("indicator__code", "value")) == {"SCP-07": 90}

    for given, stored in [(1500, "1500"), ("1500", "1500"), ("1,5", "1.5"), (1.5, "1.5")]:
        saved = _values_sent(
            client,
            report,
            {"indicator": "SCP-07", "value": "90"},
            {"indicator": "BK-NLTT-CS", "value": given},
            method=method,
        )
        assert saved.status_code == 200, saved.json()
        assert report.values.get(indicator__code="BK-NLTT-CS").value == Decimal(stored)


def test_the_api_does_not_ask_about_a_share_or_the_stored_figure_given_again(people) -> None:  # type: ignore[no-untyped-def]
    """As the form: a share of 38,095 % cannot be 38095 %, and 21,125 MW given as it was
    stored and the form shows it is no new figure; a share's parts may be thousands."""
    report = _draft("06", year=2024)
    ReportedValue.objects.create(
        report=report, indicator=Indicator.objects.get(code="BK-NLTT-CS"), value="21.125"
    )
    client = api(people["officer_thainguyen"])
    saved = _values_sent(
        client,
        report,
        {"indicator": "SCP-07", "value": "38,095"},
        {"indicator": "BK-NLTT-CS", "value": "21,125", "note": "bổ sung"},
    )
    assert saved.status_code == 200, saved.json()
    assert dict(report.values.values_list("indicator__code", "value")) == {
        "SCP-07": Decimal("38.095"),
        "BK-NLTT-CS": Decimal("21.125"),
    }

    asked = _values_sent(
        client,
        report,
        {"indicator": "SCP-07", "numerator": "1.500", "denominator": "4000"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert asked.status_code == 400, asked.json()
    assert asked.json()["errors"] == {
        "SCP-07": {
            "numerator": "'1.500' could be read as 1500 or as 1.5: write 1500, without a "
            "thousands separator, or 1.5"
        }
    }
    assert report.values.get(indicator__code="SCP-07").numerator is None


def test_formula_injection_sent_through_the_api_is_neutralised_in_the_export(people) -> None:  # type: ignore[no-untyped-def]
    report = _draft("01")
    officer, reviewer = api(people["officer_hanoi"]), api(people["reviewer"])
    note, source = '=HYPERLINK("http://evil","x")', "@SUM(1+1)*cmd|' /C calc'!A0"
    saved = officer.patch(
        reverse("api:report-values", args=[report.pk]),
        {"values": [{"indicator": "SCP-07", "value": "77", "note": note, "source": source}]},
        format="json",
        HTTP_IF_MATCH=f'"{report.version}"',
    )
    assert saved.status_code == 200
    frame = pd.read_csv(
        io.BytesIO(
            _body(officer.get(reverse("api:value-list"), {"format": "csv", "year_from": 2025}))
        ),
        encoding="utf-8-sig",
    )
    row = frame[frame.indicator_code == "SCP-07"].iloc[0]
    assert (row.note, row.source) == ("'" + note, "'" + source)
    # As stored, the text is the officer's own: only the export neutralises it.
    assert (
        reviewer.get(reverse("api:report-detail", args=[report.pk])).json()["values"][0]["note"]
        == note
    )


@pytest.mark.parametrize(
    "body",
    [[], {"values": "x"}, {"values": [1]}, {"values": [{"value": "1"}]}, {}, "x"],
    ids=["list", "string", "number-item", "no-indicator", "empty", "text"],
)
def test_malformed_value_bodies_are_400(people, body) -> None:  # type: ignore[no-untyped-def]
    report = _draft("01")
    response = api(people["officer_hanoi"]).patch(
        reverse("api:report-values", args=[report.pk]),
        body,
        format="json",
        HTTP_IF_MATCH=f'"{report.version}"',
    )
    assert response.status_code == 400, response.content


def test_opening_a_report_for_an_id_too_large_for_the_database_is_400(people) -> None:  # type: ignore[no-untyped-def]
    client = api(people["officer_hanoi"])
    url = reverse("api:report-list")
    assert client.post(url, {"unit": 10**20, "year": 2025}, format="json").status_code == 400
    assert client.post(url, {"unit": 1, "year": 10**20}, format="json").status_code == 400


def test_the_api_root_lists_every_collection() -> None:
    response = api(None).get("/api/v1/")
    assert response.status_code == 200
    links = response.json()
    assert links["units"] == "http://testserver/api/v1/units/"
    assert links["progress"] == "http://testserver/api/v1/progress/"
    assert len(links) == 9


def test_a_pace_from_a_reported_bound_says_so_in_the_api() -> None:
    """Bắc Kạn's 21,6 MW (2022) then "trên 30" (2023): on track is proven, but its pace
    ratio and projection are lower bounds, as the page says with "at least"."""
    bac_kan = province_for_code_in_year(code="06", year=2023)
    approved_value(bac_kan, "BK-NLTT-CS", 2023, "30", qualifier="more_than")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    rows = (
        api(None)
        .get(
            "/api/v1/progress/",
            {"unit": bac_kan.pk, "indicator": "BK-NLTT-CS", "origin": "reported"},
        )
        .json()["results"]
    )
    by_year = {row["year"]: row for row in rows}
    assert (by_year[2023]["status"], by_year[2023]["pace_bound"]) == ("on_track", "lower")
    assert by_year[2023]["projection_bound"] == "lower"
    assert by_year[2022]["pace_bound"] == by_year[2022]["projection_bound"] == ""


def test_an_indicator_given_twice_is_refused_not_a_server_error(people) -> None:  # type: ignore[no-untyped-def]
    """Two values for one indicator in one request were both inserted: the database's
    unique constraint answered with a 500."""
    report = _draft("01")
    client = api(people["officer_hanoi"])
    response = client.patch(
        reverse("api:report-values", args=[report.pk]),
        {
            "values": [
                {"indicator": "SCP-04", "value": "50"},
                {"indicator": "SCP-04", "value": "60"},
                {"indicator": "SCP-07", "value": "70"},
            ]
        },
        format="json",
        HTTP_IF_MATCH=f'"{report.version}"',
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "SCP-04": {"indicator": "SCP-04 được ghi nhiều lần: mỗi chỉ tiêu chỉ ghi một lần"}
    }
    assert list(report.values.values_list("indicator__code", "value")) == [("SCP-07", 90)]


def test_an_officer_cannot_grade_a_qualitative_result_themselves(people) -> None:  # type: ignore[no-untyped-def]
    """The assessment of a qualitative result (SCP-01) is the reviewer's judgement, and
    progress reads it as the status once the report is approved: an officer's script
    could send "achieved" and the unit's result would stand as achieved."""
    report = _draft("01")
    client = api(people["officer_hanoi"])
    response = client.patch(
        reverse("api:report-values", args=[report.pk]),
        {
            "values": [
                {
                    "indicator": "SCP-01",
                    "note": "Ban hành quy chế",
                    "qualitative_status": "achieved",
                }
            ]
        },
        format="json",
        HTTP_IF_MATCH=f'"{report.version}"',
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "SCP-01": {
            "qualitative_status": "việc đánh giá do cán bộ thẩm định của Bộ thực hiện, không phải đơn vị"
        }
    }
    assert not report.values.filter(indicator__code="SCP-01").exists()
    # Sending back what is stored, as a script echoing a read does, is no change.
    stored = _assessed_scp01(report)
    report.refresh_from_db()
    response = client.patch(
        reverse("api:report-values", args=[report.pk]),
        {
            "values": [
                {
                    "indicator": "SCP-01",
                    "note": "Ban hành quy chế 2",
                    "qualitative_status": "on_track",
                }
            ]
        },
        format="json",
        HTTP_IF_MATCH=f'"{report.version}"',
    )
    assert response.status_code == 200, response.json()
    stored.refresh_from_db()
    assert (stored.note, stored.qualitative_status) == ("Ban hành quy chế 2", "on_track")


def test_rest_frameworks_own_messages_read_in_vietnamese_too(people) -> None:  # type: ignore[no-untyped-def]
    """A write without credentials, a bad token header or a year that is not a number
    answered in English on the Vietnamese API; English stays English."""
    url = "/api/v1/reports/"
    cases = [
        (APIClient(), {}, "detail", "Chưa cung cấp thông tin xác thực."),
        (APIClient(), {"HTTP_AUTHORIZATION": "Token"}, "detail", None),
        (APIClient(), {"HTTP_AUTHORIZATION": "Token not-a-key"}, "detail", None),
        (api(people["officer_hanoi"]), {}, "year", "Cần một số nguyên hợp lệ."),
    ]
    for client, header, field, vietnamese in cases:
        body = {"unit": "x", "year": "y"}
        answer = client.post(url, body, format="json", **header).json()[field]
        message = answer if isinstance(answer, str) else answer[0]
        if vietnamese:
            assert message == vietnamese, answer
        english = client.post(url, body, format="json", HTTP_ACCEPT_LANGUAGE="en", **header)
        english_message = english.json()[field]
        if not isinstance(english_message, str):
            english_message = english_message[0]
        assert english_message != message, (message, english_message)


def test_a_body_that_is_not_json_is_refused_in_the_requests_language(people) -> None:  # type: ignore[no-untyped-def]
    client = api(people["officer_hanoi"])
    url = reverse("api:report-list")
    refused = client.post(url, "notjson", content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("Nội dung không phải JSON hợp lệ: Expecting value")
    english = client.post(
        url, "notjson", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.json()["detail"].startswith("The body is not valid JSON: Expecting value")


def test_every_404_reads_in_the_requests_language(people) -> None:  # type: ignore[no-untyped-def]
    """/api/v1/indicators/NOPE/ answered "No Indicator matches the given query." on the
    Vietnamese API while other 404s said "Không tìm thấy.". Every API 404 (an unknown code or
    id, a report one may not see, a page past the end, an address that is not the API's)
    reads in the request's language: Vietnamese unless the client asks for English with
    Accept-Language (or chose it with the site's language switch)."""
    hidden = _draft("19")
    urls = [
        "/api/v1/indicators/NOPE/",
        "/api/v1/units/999999/",
        "/api/v1/documents/999999/",
        f"/api/v1/reports/{hidden.pk}/",
        "/api/v1/indicators/?page=99",
        "/api/v1/no-such-collection/",
        "/api/v1/reports/abc/",
    ]
    vietnamese = {"Không tìm thấy.", "Trang không hợp lệ."}
    english = {"Not found.", "Invalid page."}
    client = api(people["officer_hanoi"])
    for language, header, expected in [
        ("vi", {}, vietnamese),
        ("vi", {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9"}, vietnamese),
        ("en", {"HTTP_ACCEPT_LANGUAGE": "en"}, english),
        ("en", {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}, english),
    ]:
        for url in urls:
            response = client.get(url, **header)
            assert response.status_code == 404, (url, header)
            assert response["Content-Type"] == "application/json", (url, header)
            assert response.json()["detail"] in expected, (url, header, response.json())
            assert response["Content-Language"] == language
            assert "Accept-Language" in response["Vary"]
    # The language switch's choice holds for the API as for the pages.
    client.cookies["django_language"] = "en"
    assert client.get(urls[0]).json()["detail"] == "Not found."
    # The pages stay Vietnamese first whatever the browser says.
    page = Client().get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert page["Content-Language"] == "vi"


# ------------------------------------------------------------------ assessments


def _national_scp01_submitted(people) -> Report:  # type: ignore[no-untyped-def]
    """The ministry's own 2024 report giving SCP-01 (policies built) in words, sent for
    review through the API: the programme's SCP-01 targets (2025, 2030) are national."""
    client = api(people["administrator"])
    opened = client.post(reverse("api:report-list"), {"unit": None, "year": 2024}, format="json")
    assert opened.status_code == 201, opened.json()
    pk = opened.json()["id"]
    saved = client.patch(
        reverse("api:report-values", args=[pk]),
        {"values": [{"indicator": "SCP-01", "note": "Đã ban hành Quyết định 123/QĐ-BCT"}]},
        format="json",
        HTTP_IF_MATCH=opened["ETag"],
    )
    assert saved.status_code == 200, saved.json()
    submitted = client.post(reverse("api:report-submit", args=[pk]), HTTP_IF_MATCH=saved["ETag"])
    assert submitted.status_code == 200, submitted.json()
    return Report.objects.get(pk=pk)


def _assess(client: APIClient, report: Report, *items: tuple[str, str], **headers: str):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("api:report-assessments", args=[report.pk]),
        {"assessments": [{"indicator": code, "status": status} for code, status in items]},
        format="json",
        **headers,
    )


def test_the_reviewer_assesses_a_qualitative_result_through_the_api_and_progress_reads_it(
    people, django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """What the reviewer does on the report's page, a ministry script does with one POST:
    the judgement is the value's qualitative_status, in its change log as a review, and
    progress takes it as the status once the report is approved."""
    from sxtd.celery import app as celery_app

    # With REDIS_URL set the recompute would wait for a worker; here it runs in place.
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    report = _national_scp01_submitted(people)
    reviewer = api(people["reviewer"])
    tag = reviewer.get(reverse("api:report-detail", args=[report.pk]))["ETag"]
    assessed = _assess(reviewer, report, ("SCP-01", "on_track"), HTTP_IF_MATCH=tag)
    assert assessed.status_code == 200, assessed.json()
    body = assessed.json()
    assert [(v["indicator"], v["qualitative_status"]) for v in body["values"]] == [
        ("SCP-01", "on_track")
    ]
    assert assessed["ETag"] == f'"{body["version"]}"' != tag
    change = ValueChange.objects.get(report=report, path=ValueChange.Path.REVIEW)
    assert (change.old["qualitative_status"], change.new["qualitative_status"]) == ("", "on_track")
    assert change.by == people["reviewer"]

    with django_capture_on_commit_callbacks(execute=True):
        approved = reviewer.post(
            reverse("api:report-approve", args=[report.pk]), HTTP_IF_MATCH=assessed["ETag"]
        )
    assert approved.status_code == 200, approved.json()
    national = Progress.objects.filter(province=None, indicator__code="SCP-01", origin="reported")
    row = national.get(year=2024)
    assert (row.status, row.explanation_code) == ("on_track", "qualitative_assessed")

    # Changed once approved, the figures are recomputed.
    with django_capture_on_commit_callbacks(execute=True):
        changed = _assess(reviewer, report, ("SCP-01", "achieved"), HTTP_IF_MATCH=approved["ETag"])
    assert changed.status_code == 200, changed.json()
    assert national.get(year=2024).status == "achieved"


def test_an_assessment_naming_what_cannot_be_assessed_is_400_by_indicator_and_field(
    people,
) -> None:  # type: ignore[no-untyped-def]
    report = _national_scp01_submitted(people)
    ReportedValue.objects.create(
        report=report, indicator=Indicator.objects.get(code="SCP-07"), value=80
    )
    reviewer = api(people["reviewer"])
    tag = f'"{report.version}"'
    cases = [
        (("NOPE", "achieved"), {"NOPE": {"indicator": "không phải chỉ tiêu của báo cáo này"}}),
        (
            ("SCP-07", "achieved"),
            {"SCP-07": {"indicator": "chỉ đánh giá kết quả định tính của báo cáo này"}},
        ),
        (
            ("SCP-01", "great"),
            {"SCP-01": {"status": '"great" không phải là một lựa chọn hợp lệ.'}},
        ),
    ]
    for item, errors in cases:
        refused = _assess(reviewer, report, item, HTTP_IF_MATCH=tag)
        assert refused.status_code == 400, refused.json()
        assert refused.json()["errors"] == errors
    twice = _assess(
        reviewer, report, ("SCP-01", "achieved"), ("SCP-01", "at_risk"), HTTP_IF_MATCH=tag
    )
    assert twice.status_code == 400
    assert set(twice.json()["errors"]["SCP-01"]) == {"indicator"}
    english = _assess(
        reviewer, report, ("SCP-07", "achieved"), HTTP_IF_MATCH=tag, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.json()["errors"] == {
        "SCP-07": {"indicator": "only a qualitative result of this report is assessed"}
    }
    report.refresh_from_db()
    assert f'"{report.version}"' == tag
    assert not ValueChange.objects.filter(report=report, path=ValueChange.Path.REVIEW).exists()


def test_a_draft_is_not_assessed(people) -> None:  # type: ignore[no-untyped-def]
    report = Report.objects.create(province=None, year=2024)
    ReportedValue.objects.create(report=report, indicator=Indicator.objects.get(code="SCP-01"))
    refused = _assess(
        api(people["reviewer"]), report, ("SCP-01", "achieved"), HTTP_IF_MATCH=f'"{report.version}"'
    )
    assert refused.status_code == 400
    assert set(refused.json()["errors"][""]) == {"status"}
    assert report.values.get().qualitative_status == ""


def test_an_officer_cannot_assess_through_the_api(people) -> None:  # type: ignore[no-untyped-def]
    """Not their own unit's result either: the assessment is the ministry's."""
    report = _draft("01")
    report.status = Report.Status.SUBMITTED
    report.save()
    ReportedValue.objects.create(report=report, indicator=Indicator.objects.get(code="SCP-01"))
    tag = f'"{report.version}"'
    for role in ["officer_hanoi", "officer_thainguyen", "analyst"]:
        refused = _assess(api(people[role]), report, ("SCP-01", "achieved"), HTTP_IF_MATCH=tag)
        assert refused.status_code == 404, role
        assert refused.json() == {"detail": "Không tìm thấy."}
    assert _assess(api(None), report, ("SCP-01", "achieved"), HTTP_IF_MATCH=tag).status_code == 401
    assert report.values.get(indicator__code="SCP-01").qualitative_status == ""
    assert not ValueChange.objects.filter(report=report).exists()


def test_a_stale_if_match_assesses_nothing(people) -> None:  # type: ignore[no-untyped-def]
    report = _national_scp01_submitted(people)
    reviewer = api(people["reviewer"])
    stale = f'"{report.version}"'
    first = _assess(reviewer, report, ("SCP-01", "at_risk"), HTTP_IF_MATCH=stale)
    assert first.status_code == 200, first.json()
    second = _assess(reviewer, report, ("SCP-01", "off_track"), HTTP_IF_MATCH=stale)
    assert second.status_code == 412
    assert second["ETag"] == first["ETag"]
    assert _assess(reviewer, report, ("SCP-01", "off_track")).status_code == 428
    value = report.values.get(indicator__code="SCP-01")
    assert value.qualitative_status == "at_risk"
    assert ValueChange.objects.filter(report=report, path=ValueChange.Path.REVIEW).count() == 1


def test_a_partial_national_share_names_every_unit_it_lacks_in_the_api() -> None:
    """The pages name three of the 33 units the national SCP-06 lacks with only Hà Nội's
    2025 report; a script reading the API gets every one of them."""
    approved_value(province_for_code_in_year(code="01", year=2025), "SCP-06-HUYEN", 2025, "80")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    rows = (
        api(None)
        .get("/api/v1/progress/", {"indicator": "SCP-06", "origin": "share_of_units"})
        .json()["results"]
    )
    share = next(row for row in rows if row["year"] == 2025)
    assert share["partial"] is True
    assert len(share["missing"]) == 33 and "Hà Nội" not in share["missing"]
    assert {"Cao Bằng", "Cà Mau", "Hồ Chí Minh"} <= set(share["missing"])


TODAY = timezone.localdate()


def _en_day(day: date) -> str:
    with translation.override("en"):
        return date_format(day, "SHORT_DATE_FORMAT")


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        (
            {"indicator": "SCP-07", "value": "70", "as_of": "2024-12-31"},
            "31 Dec 2024 is before 2025: a figure of the 2025 report is counted in 2025 or later",
        ),
        (
            {"indicator": "SCP-07", "value": "70", "as_of": str(TODAY + timedelta(days=1))},
            f"{_en_day(TODAY + timedelta(days=1))} is in the future: give the day the figure "
            "was counted",
        ),
        (
            # Read as a blank value, it cleared the stored 90. (A PATCH leaving the value
            # and note out keeps them, and dates the stored value.)
            {"indicator": "SCP-07", "value": None, "note": "", "as_of": "2025-06-30"},
            "a day is given but no value: give the value, or leave the day empty",
        ),
        (
            {"indicator": "SCP-01", "note": "Ban hành quy chế", "as_of": "2025-06-30"},
            "a qualitative result has no figure to date: leave the day empty",
        ),
    ],
)
def test_the_api_refuses_a_day_before_the_year_in_the_future_or_without_a_value(
    people, given, reason
) -> None:  # type: ignore[no-untyped-def]
    report = _draft("01")
    response = api(people["officer_hanoi"]).patch(
        reverse("api:report-values", args=[report.pk]),
        {"values": [given]},
        format="json",
        HTTP_IF_MATCH=f'"{report.version}"',
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400, response.json()
    assert response.json()["errors"] == {given["indicator"]: {"as_of": reason}}
    assert list(report.values.values_list("indicator__code", "value", "as_of")) == [
        ("SCP-07", 90, None)
    ]
    assert not ValueChange.objects.filter(report=report).exists()


def test_the_api_stores_an_interim_day_and_a_whole_year_figure_counted_after_the_year(
    people,
) -> None:  # type: ignore[no-untyped-def]
    """A day inside the year is an interim figure; a day after 31 December is the year's
    figure counted once the year closed (Bắc Kạn's 2022 figures, as of 20/2/2023)."""
    year = TODAY.year - 1
    report = _draft("01", year=year)
    client = api(people["officer_hanoi"])
    url = reverse("api:report-values", args=[report.pk])
    for day in (date(year, 1, 1), date(year, 7, 15), date(year + 1, 1, 1), TODAY):
        report.refresh_from_db()
        response = client.patch(
            url,
            {"values": [{"indicator": "SCP-07", "value": "80", "as_of": day.isoformat()}]},
            format="json",
            HTTP_IF_MATCH=f'"{report.version}"',
        )
        assert response.status_code == 200, (day, response.json())
        assert report.values.get().as_of == day
        assert [v["as_of"] for v in response.json()["values"]] == [day.isoformat()]


def test_a_note_sent_with_an_approval_is_kept_and_evidence_without_a_value_refused(people) -> None:  # type: ignore[no-untyped-def]
    """As on the pages: an approval's note goes into the review history, not nowhere; a
    link on an item without a value would be lost, and is refused under its field."""
    report = _draft("01")
    officer, reviewer = api(people["officer_hanoi"]), api(people["reviewer"])
    refused = officer.put(
        reverse("api:report-values", args=[report.pk]),
        {
            "values": [
                {"indicator": "SCP-05", "value": None, "evidence_url": "https://example.org/x"}
            ]
        },
        format="json",
        HTTP_IF_MATCH=f'"{report.version}"',
    )
    assert refused.status_code == 400
    assert "evidence_url" in refused.json()["errors"]["SCP-05"]
    tag = officer.post(
        reverse("api:report-submit", args=[report.pk]), HTTP_IF_MATCH=f'"{report.version}"'
    )["ETag"]
    approved = reviewer.post(
        reverse("api:report-approve", args=[report.pk]),
        {"reason": "Đồng ý"},
        format="json",
        HTTP_IF_MATCH=tag,
    )
    assert approved.status_code == 200
    assert approved.json()["transitions"][-1]["reason"] == "Đồng ý"


def test_an_indicator_is_found_by_its_code_in_any_case(client) -> None:  # type: ignore[no-untyped-def]
    """The `indicator=scp-09` filter matched while /api/v1/indicators/scp-09/ was a 404, and
    the page's address likewise; nothing stopped "scp-09" being added beside "SCP-09"."""
    from django.core.exceptions import ValidationError

    answer = client.get("/api/v1/indicators/scp-09/")
    assert answer.status_code == 200 and answer.json()["code"] == "SCP-09"
    page = client.get("/indicators/scp-09/")
    assert (page.status_code, page["Location"]) == (301, "/indicators/SCP-09/")
    assert client.get("/indicators/scp-99/").status_code == 404
    twin = Indicator.objects.get(code="SCP-09")
    twin.pk, twin.code = None, "scp-09"
    with pytest.raises(ValidationError, match="không phân biệt chữ hoa"):
        twin.full_clean()
