import csv
import io
from pathlib import Path

import pytest

from chengguan.core.errors import ValidationError
from chengguan.enforcement.models import PowerItem, PowerTransfer
from chengguan.enforcement.services.powers import parse_legal_basis, power_list_export, power_list_import

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "penalty_catalogue_sample.csv"


def test_it_imports_the_77_item_sample_with_types_and_parsed_legal_basis(city):
    result = power_list_import(actor=city["admin"], source=SAMPLE.read_bytes(), implementing_body="开封市城市管理局")
    assert result.created == 77 and PowerItem.objects.count() == 77
    road = PowerItem.objects.get(code="CG-CF-026")
    assert road.power_type == "penalty" and road.domain == "城市道路"
    assert (road.law, road.article, road.violated_provision) == ("《城市道路管理条例》", "第42条", "27(1)")
    assert road.implementing_body == "开封市城市管理局" and "立案责任" in road.responsibilities
    assert PowerItem.objects.get(code="CG-QZ-006").power_type == "coercion"
    mixed = PowerItem.objects.get(code="CG-CF-007")
    assert mixed.power_type == "penalty" and mixed.sub_type == "处罚/强制"


def test_it_reimports_without_duplicates(city):
    power_list_import(actor=city["admin"], source=SAMPLE.read_bytes())
    again = power_list_import(actor=city["admin"], source=SAMPLE.read_bytes())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 77)


def test_it_round_trips_its_own_export_including_levels(city):
    power_list_import(actor=city["admin"], source=SAMPLE.read_bytes())
    item = PowerItem.objects.get(code="CG-CF-008")
    item.level, item.limitation_years, item.first_violation_exempt = "street", 2, True
    item.save()
    PowerTransfer.objects.create(item=item, kind="delegated", from_body="市城管局", to_body="街道综合执法队",
                                 to_level="street", effective_on="2022-01-01")
    exported = power_list_export()
    assert exported.startswith("\ufeffcode,name")
    rows = list(csv.DictReader(io.StringIO(exported.lstrip("\ufeff"))))
    assert len(rows) == 77
    row = next(r for r in rows if r["code"] == "CG-CF-008")
    assert row["level"] == "street" and row["first_violation_exempt"] == "1" and "街道综合执法队" in row["history"]
    PowerItem.objects.filter(code="CG-CF-008").update(level="city", name="changed")
    result = power_list_import(actor=city["admin"], source=exported.encode("utf-8"))
    item.refresh_from_db()
    assert (item.level, item.name) == ("street", "随地吐痰、便溺, 乱扔果皮纸屑烟头")
    assert result.updated == 1 and result.unchanged == 76


def _csv(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["code", "name", "power_type", "legal_basis", "level", "limitation_years"])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_it_rejects_a_bad_row_naming_row_and_field_and_writes_nothing(city):
    good = {"code": "X-1", "name": "甲", "power_type": "行政处罚", "legal_basis": "道路条例 42", "level": "区",
            "limitation_years": "2"}
    bad = {**good, "code": "X-2", "power_type": "行政审判"}
    with pytest.raises(ValidationError) as err:
        power_list_import(actor=city["admin"], source=_csv([good, bad]))
    assert err.value.field == "power_type" and "row 3" in err.value.message
    assert not PowerItem.objects.exists()
    with pytest.raises(ValidationError) as err:
        power_list_import(actor=city["admin"], source=_csv([{**good, "limitation_years": "3"}]))
    assert err.value.field == "limitation_years"
    with pytest.raises(ValidationError) as err:
        power_list_import(actor=city["admin"], source=_csv([good, good]))
    assert err.value.field == "code"
    with pytest.raises(ValidationError) as err:
        power_list_import(actor=city["admin"], source="a,b\n1,2\n")
    assert err.value.field == "file"


def test_it_accepts_gb18030_files_from_office_software(city):
    good = {"code": "X-1", "name": "占道经营", "power_type": "处罚", "legal_basis": "市容条例 36(2)", "level": "街道",
            "limitation_years": "5"}
    power_list_import(actor=city["admin"], source=_csv([good]).encode("gb18030"))
    item = PowerItem.objects.get(code="X-1")
    assert (item.name, item.level, item.limitation_years, item.article) == ("占道经营", "street", 5, "第36条")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("大气法 118 ¶1", ("《中华人民共和国大气污染防治法》", "第118条", "第1款", "")),
        ("市容条例 34(1)", ("《城市市容和环境卫生管理条例》", "第34条", "第1项", "")),
        ("城乡规划法 64 (40)", ("《中华人民共和国城乡规划法》", "第64条", "", "40")),
        ("城市生活垃圾管理办法 (建设部令157号) 38 [P]", ("《城市生活垃圾管理办法》", "第38条", "", "")),
        ("北京 BJSR 35(3); 上海 SHSR 25", ("《北京市市容环境卫生条例》", "第35条", "第3项", "")),
    ],
)
def test_it_parses_legal_bases(text, expected):
    parsed = parse_legal_basis(text)
    assert (parsed["law"], parsed["article"], parsed["paragraph"], parsed["violated_provision"]) == expected
