"""The form a unit of measure takes after a figure: "1 product", "2 products", "1 sản phẩm".

Bắc Kạn had 1 five-star OCOP product in 2022 (BK-OCOP-5S) against at least 2 in 2025, and
its plan asks for 1 to 2 SCP-05 models: the real figures that read "1 products" before.
"""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from indicators.models import Indicator, Target
from indicators.units import UnitOfMeasure, is_one
from progress.explanations import explanation_sentence
from progress.models import RecomputeRun
from progress.presenters import target_text
from progress.services import progress_recompute_now
from provinces.selectors import province_for_code_in_year
from reports.import_services import report_import_preview
from reports.models import Report

from .conftest import client_for
from .progress_builders import approved_value

PRODUCTS = UnitOfMeasure("products", "product")


@pytest.mark.parametrize(
    "number",
    # A stored count comes back as 1.0000 and prints "1"; a rounded 1 is printed "1".
    [1, Decimal("1"), Decimal("1.0000"), 1.0, "1", "1.00"],
)
def test_exactly_one_takes_the_singular(number: object) -> None:
    assert is_one(number)
    assert PRODUCTS.after(number) == "product"


@pytest.mark.parametrize(
    "number",
    [0, 2, Decimal("0.5"), Decimal("1.5"), Decimal("0.9999"), Decimal("1.0001"), -1, None, "",
     "—", True],
)  # fmt: skip
def test_every_other_number_takes_the_plural(number: object) -> None:
    assert not is_one(number)
    assert PRODUCTS.after(number) == "products"


def test_a_unit_without_a_singular_never_changes() -> None:
    assert UnitOfMeasure("MW").after(1) == "MW"
    assert UnitOfMeasure("sản phẩm").after(1) == UnitOfMeasure("sản phẩm").after(2) == "sản phẩm"


def test_a_unit_on_its_own_reads_as_its_label() -> None:
    assert str(PRODUCTS) == "products"
    assert PRODUCTS and not UnitOfMeasure("")


@pytest.mark.django_db
def test_an_indicators_unit_has_a_singular_only_in_english() -> None:
    ocop = Indicator.objects.get(code="BK-OCOP-5S")
    with translation.override("vi"):
        assert ocop.unit_of_measure == UnitOfMeasure("sản phẩm")
        assert ocop.unit_label == "sản phẩm"
    with translation.override("en"):
        assert ocop.unit_of_measure == UnitOfMeasure("products", "product")
        assert ocop.unit_label == "products"


@pytest.mark.django_db
def test_without_an_english_unit_english_falls_back_to_the_vietnamese_without_a_singular() -> None:
    ocop = Indicator.objects.get(code="BK-OCOP-5S")
    ocop.unit_en = ""
    with translation.override("en"):
        assert ocop.unit_of_measure == UnitOfMeasure("sản phẩm")


@pytest.mark.django_db
def test_a_singular_without_the_english_unit_is_refused() -> None:
    """It would never be shown: without ``unit_en`` the page reads the Vietnamese unit."""
    ocop = Indicator.objects.get(code="BK-OCOP-5S")
    ocop.unit_en = ""
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        ocop.full_clean()
    assert "An English singular needs the English unit of measure." in str(refused.value)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _one_plural(page: str) -> list[str]:
    """Every "1 products" of a page, not the end of "181 products"."""
    return re.findall(r"(?<![\d.,])1 (?:products|models)\b", page)


def _english(client: Client) -> Client:
    client.post("/i18n/setlang/", {"language": "en"})
    return client


@pytest.mark.django_db
def test_an_english_province_page_reads_1_product_and_1_to_2_models(client: Client) -> None:
    bac_kan = province_for_code_in_year(code="06", year=2022)
    page = _text(_english(client).get(f"/provinces/{bac_kan.pk}/"))
    # The value, its target, the sentence that explains it and the chart's hover.
    assert "2022 Bắc Kạn (until 30 Jun 2025) 1 product ≥ 2 products (2025)" in page
    assert (
        "Only one value (1 product in 2022) and no baseline: no pace can be measured towards "
        "2 products in 2025." in page
    )
    assert "2022\\u003cbr\\u003e1 product\\u003cbr\\u003eSource:" in page
    # A range is plural whatever its ends, in the table and on the chart.
    assert "Bắc Kạn (until 30 Jun 2025) 1–2 models (2025)" in page
    assert "Target 2025: 1–2 models" in page
    assert _one_plural(page) == []


@pytest.mark.django_db
def test_the_vietnamese_province_page_keeps_its_one_form(client: Client) -> None:
    bac_kan = province_for_code_in_year(code="06", year=2022)
    page = _text(client.get(f"/provinces/{bac_kan.pk}/"))
    assert "2022 Bắc Kạn (đến 30/6/2025) 1 sản phẩm ≥ 2 sản phẩm (2025)" in page
    assert "Chỉ có một giá trị (1 sản phẩm năm 2022)" in page
    assert "Bắc Kạn (đến 30/6/2025) 1–2 mô hình (2025)" in page
    assert "product" not in page and "models" not in page


@pytest.mark.django_db
def test_an_english_indicator_page_reads_1_product_in_its_table_and_roll_up(
    client: Client,
) -> None:
    # The old Thái Nguyên's 0 of 2021 makes the indicator its own too: from then on the
    # new Thái Nguyên's former units are combined, 2022 of Bắc Kạn's 1 product alone.
    approved_value(province_for_code_in_year(code="19", year=2021), "BK-OCOP-5S", 2021, "0")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    page = _text(_english(client).get("/indicators/BK-OCOP-5S/"))
    assert "Bắc Kạn (until 30 Jun 2025) 2022 1 product ≥ 2 products (2025)" in page
    assert "values added up (1 reported): 1 product;" in page
    assert _one_plural(page) == []


@pytest.mark.django_db
def test_an_english_target_list_reads_a_target_of_1_in_the_singular(client: Client) -> None:
    """The plan's target table (``_target_bounds.html``), with a target of exactly 1 model."""
    target = Indicator.objects.get(code="SCP-05").targets.get(document__number="405/KH-UBND")
    target.comparator, target.high = "at_least", None
    target.save()
    page = _text(_english(client).get(f"/documents/{target.document_id}/"))
    assert "≥ 1 model " in page and _one_plural(page) == []


@pytest.mark.django_db
def test_an_english_report_reads_1_product(people) -> None:  # type: ignore[no-untyped-def]
    bac_kan = province_for_code_in_year(code="06", year=2022)
    report = Report.objects.get(province=bac_kan, year=2022)
    page = _text(_english(client_for(None)).get(reverse("report-detail", args=[report.pk])))
    assert "BK-OCOP-5S OCOP products rated 5 stars nationally 1 product " in page
    assert "BK-OCOP-3S OCOP products rated 3 stars or more 181 products " in page
    assert _one_plural(page) == []


@pytest.mark.django_db
def test_the_english_report_form_reads_last_years_1_product(people) -> None:  # type: ignore[no-untyped-def]
    officer = _english(client_for(people["officer_thainguyen"]))
    bac_kan = province_for_code_in_year(code="06", year=2023)
    officer.post(reverse("report-open"), {"province": bac_kan.pk, "year": 2023})
    report = Report.objects.get(province=bac_kan, year=2023)
    form = officer.get(reverse("report-edit", args=[report.pk])).content.decode()
    line = re.search(r'<fieldset class="value-row" id="BK-OCOP-5S">.*?</fieldset>', form, re.S)
    assert line and re.search(r"Last year:\s*1 product\b", line.group(0)), line
    assert "(products)" in line.group(0)  # the unit on its own stays the plural label


@pytest.mark.django_db
def test_the_english_import_preview_reads_1_product(people) -> None:  # type: ignore[no-untyped-def]
    officer = people["officer_thainguyen"]
    content = (
        b"unit_code,indicator_code,year,value,qualifier,numerator,denominator,note,source\n"
        b"06,BK-OCOP-5S,2023,1,,,,,\n06,BK-OCOP-3S,2023,190,,,,,\n"
    )
    preview = report_import_preview(content=content, filename="ket-qua.csv", by=officer)
    client = _english(client_for(officer))
    page = _text(client.get(reverse("report-import-preview", args=[preview.batch.pk])))
    assert re.search(r"(?<!\d)1 product\b", page) and "190 products" in page
    assert _one_plural(page) == []


def test_each_figure_of_a_sentence_takes_its_own_form() -> None:
    """The engine stores four places (1.0000); the sentence prints at most two, and the form
    follows the figure printed: 1.004 reads "1 product", 1.5 "1.5 products"."""
    values = {"value": "1.0000", "year": 2024, "low": "1.0000", "high": "2.0000", "ratio": "1"}
    with translation.override("en"):
        sentence = explanation_sentence("between_ratio", values, unit=PRODUCTS)
        assert sentence.startswith("1 product in 2024 against a target of 1 product to 2 products")
        for value, reads in [("1.004", "1 product in"), ("1.5", "1.5 products in")]:
            values = {"target": "0", "value": value, "year": 2024}
            assert reads in explanation_sentence("zero_target", values, unit=PRODUCTS)
    values = {"value": "1.0000", "year": 2024, "low": "1.0000", "high": "2.0000", "ratio": "1"}
    with translation.override("vi"):
        sentence = explanation_sentence("between_ratio", values, unit=UnitOfMeasure("sản phẩm"))
        assert sentence.startswith("1 sản phẩm năm 2024") and "2 sản phẩm" in sentence


@pytest.mark.parametrize(
    ("comparator", "low", "high", "reads"),
    [
        ("at_least", "1", None, "≥ 1 product"),
        ("at_most", None, "1", "≤ 1 product"),
        ("exact", "1", "1", "= 1 product"),
        ("at_least", "2", None, "≥ 2 products"),
        # A range is plural whatever its ends.
        ("between", "1", "2", "1–2 products"),
        ("between", "0.5", "1", "0.5–1 products"),
    ],
)
def test_a_target_takes_the_form_of_its_bound(
    comparator: str, low: str | None, high: str | None, reads: str
) -> None:
    target = Target(
        comparator=comparator,
        low=Decimal(low) if low else None,
        high=Decimal(high) if high else None,
    )
    with translation.override("en"):
        assert target_text(target, PRODUCTS) == reads


@pytest.mark.django_db
def test_the_indicator_metadata_carries_the_singular_beside_the_english_unit() -> None:
    """Whoever writes English from the data needs both forms; the data rows keep their one
    ``indicator_unit`` column."""
    client = client_for(None)
    url = reverse("api:indicator-detail", args=["BK-OCOP-5S"])
    found = client.get(url).json()
    assert (found["unit_en"], found["unit_en_singular"]) == ("products", "product")
    response = client.get(reverse("api:indicator-list"), {"format": "csv"})
    table = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert "unit,unit_en,unit_en_singular,measure" in table[0]
    [ocop] = [row for row in table if row.startswith("BK-OCOP-5S,")]
    assert ",sản phẩm,products,product,count," in ocop
