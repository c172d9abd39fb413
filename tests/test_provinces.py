from datetime import date

import pytest

from provinces.models import Province
from provinces.selectors import (
    province_for_code_in_year,
    province_for_code_on,
    province_lineage,
    province_merger,
    provinces_in_force,
    provinces_of_year,
)

pytestmark = pytest.mark.django_db


def test_all_86_unit_rows_are_loaded() -> None:
    assert Province.objects.count() == 86
    assert Province.objects.filter(valid_to="2025-06-30").count() == 52
    assert Province.objects.filter(valid_from="2025-07-01").count() == 23
    assert Province.objects.filter(valid_from=None, valid_to=None).count() == 11


def test_63_units_before_the_merger_and_34_after() -> None:
    assert provinces_in_force(on=date(2025, 6, 30)).count() == 63
    assert provinces_in_force(on=date(2025, 7, 1)).count() == 34
    assert provinces_in_force(on=date(2020, 6, 24)).count() == 63


def test_a_year_belongs_to_the_units_in_force_on_31_december() -> None:
    assert provinces_of_year(year=2024).count() == 63
    assert provinces_of_year(year=2025).count() == 34


def test_code_15_is_yen_bai_in_2024_and_lao_cai_in_2025() -> None:
    assert province_for_code_in_year(code="15", year=2024).name == "Yên Bái"
    assert province_for_code_in_year(code="15", year=2025).name == "Lào Cai"


def test_old_lao_cai_keeps_its_own_code_until_the_merger() -> None:
    old = province_for_code_in_year(code="10", year=2024)
    assert old.name == "Lào Cai"
    with pytest.raises(Province.DoesNotExist):
        province_for_code_in_year(code="10", year=2025)


def test_code_19_means_a_different_thai_nguyen_on_each_side_of_the_merger() -> None:
    before = province_for_code_on(code="19", on=date(2025, 6, 30))
    after = province_for_code_on(code="19", on=date(2025, 7, 1))
    assert before.name == after.name == "Thái Nguyên"
    assert before.pk != after.pk
    assert before.successor == after


def test_bac_kan_merged_into_the_new_thai_nguyen() -> None:
    bac_kan = province_for_code_in_year(code="06", year=2024)
    new_thai_nguyen = province_for_code_in_year(code="19", year=2025)
    assert bac_kan.name == "Bắc Kạn"
    assert bac_kan.successor == new_thai_nguyen
    assert {p.name for p in province_lineage(province=new_thai_nguyen)[1:]} == {
        "Thái Nguyên",
        "Bắc Kạn",
    }


def test_lineage_of_a_three_way_merger_lists_every_former_unit() -> None:
    phu_tho = province_for_code_in_year(code="25", year=2025)
    lineage = province_lineage(province=phu_tho)
    assert lineage[0] == phu_tho
    assert sorted(p.name for p in lineage[1:]) == ["Hòa Bình", "Phú Thọ", "Vĩnh Phúc"]


def test_every_ended_unit_has_a_successor_in_force_the_next_day() -> None:
    for unit in Province.objects.filter(valid_to__isnull=False).select_related("successor"):
        assert unit.successor is not None, unit
        assert unit.successor.valid_from == date(2025, 7, 1), unit


def test_unmerged_units_stay_one_row_across_the_merger() -> None:
    hanoi_2020 = province_for_code_in_year(code="01", year=2020)
    assert hanoi_2020 == province_for_code_in_year(code="01", year=2026)


def test_hue_keeps_its_former_name() -> None:
    hue = province_for_code_in_year(code="46", year=2025)
    assert hue.name == "Huế"
    assert hue.former_names == "Thừa Thiên Huế"


def test_the_new_thai_nguyen_is_one_merger_seen_alike_from_each_of_its_units() -> None:
    """The old Thái Nguyên and Bắc Kạn merged into the new Thái Nguyên on 1/7/2025: from
    each of the three pages the same two units side by side, the one whose code the new
    unit keeps first — not Bắc Kạn → old Thái Nguyên → new Thái Nguyên."""
    new = province_for_code_in_year(code="19", year=2025)
    old = province_for_code_in_year(code="19", year=2024)
    bac_kan = province_for_code_in_year(code="06", year=2024)
    for unit in (new, old, bac_kan):
        merger = province_merger(province=unit, lineage=province_lineage(province=unit))
        assert merger is not None, unit
        assert merger.merged == [old, bac_kan] and merger.formed == new, unit
        assert merger.on == date(2025, 7, 1)


def test_a_unit_left_as_it_was_has_no_merger() -> None:
    hanoi = province_for_code_in_year(code="01", year=2025)
    assert province_merger(province=hanoi, lineage=province_lineage(province=hanoi)) is None
