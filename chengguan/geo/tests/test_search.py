import pytest

from chengguan.geo import search

pytestmark = pytest.mark.django_db


def first(q):
    found = search.search(q)
    return found[0][0] if found else None


@pytest.mark.parametrize(
    "q",
    ["夷山大街201号", "夷山201", "顺河 夷山大街201", "顺河回族区夷山大街201号", "开封市顺河回族区夷山大街201号", "ysdj201", "夷山大街 201号 3号楼", "姨山大街201", "夷山大道201号"],
)
def test_full_partial_initials_and_typo_queries_find_the_house(gazetteer, q):
    found = first(q)
    assert found is not None, q
    assert found.road == "夷山大街" and found.number == "201"


def test_the_house_itself_ranks_before_its_building(gazetteer):
    results = search.search("夷山大街201号")
    assert results[0][0].building == "" and results[1][0].building == "3"
    assert results[0][1] >= results[1][1]


def test_a_poi_by_its_name_and_by_its_alias(gazetteer):
    assert first("第一人民医院").name == "开封市第一人民医院"
    assert first("清平小学").poi_kind == "学校"
    assert first("中山大街18").road == "中山路"


def test_an_unknown_address_finds_nothing(gazetteer):
    assert search.search("黄河大道9999号") == []
    assert search.search("!!!") == []
    assert search.search("") == []


def test_candidates_carry_grid_and_community(gazetteer, grid_city):
    found = first("夷山大街201号")
    assert found.unit_grid.code.startswith("410203001001")
    assert found.community.name == "清平社区"


def test_reverse_gives_the_nearest_address(gazetteer):
    found = search.reverse(114.3251, 34.8126, "gcj02")
    assert found.road == "夷山大街" and found.number == "201"
    assert search.reverse(114.0, 34.0, "gcj02") is None
