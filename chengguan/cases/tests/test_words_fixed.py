"""Words that one app's msgid used to take from another's, and text glued from empty parts."""

from chengguan.cases.models import Notification
from chengguan.cases.workflow import State


def test_the_public_statistics_page_heads_its_columns_as_counts_and_names(client, city):
    page = client.get("/p/stats/").content.decode()
    assert "上报数" in page and "名称" in page
    assert "上报时间" not in page and "<th>姓名</th>" not in page


def test_a_date_range_ends_in_zhi_and_the_filter_button_says_shaixuan(city, login):
    page = login(city["operator"]).get("/cases/").content.decode()
    assert '<label for="f-until">至</label>' in page and "过滤器" not in page


def test_the_urgency_list_names_each_urgency_once(city, login):
    page = login(city["operator"]).get("/cases/new/").content.decode()
    select = page.split('id="severity"', 1)[1].split("</select>", 1)[0]
    assert select.count("一般") == 1 and "紧急" in select


def test_a_dispatch_notice_of_a_case_without_address_has_no_empty_part(walk, city):
    case = walk.to(State.DISPATCHED, address="")
    text = Notification.objects.filter(case=case, user=city["department_handler"]).latest("pk").text
    assert "，，" not in text and text.endswith("暴露垃圾，请按时处置")


def test_the_portal_refuses_too_many_photos_and_a_missing_phone_in_chinese(city, garbage, grids):
    import pytest

    from chengguan.core.errors import ValidationError
    from chengguan.public.services.citizen import citizen_report

    base = {"matter": garbage, "lng": 114.305, "lat": 34.81, "crs": "gcj02", "description": "路边有垃圾"}
    with pytest.raises(ValidationError) as refused:
        citizen_report(**base, phone="13800000000", photos=[object()] * 50)
    assert "最多" in refused.value.message and "photos" not in refused.value.message
    with pytest.raises(ValidationError) as refused:
        citizen_report(**base, phone="")
    assert "手机" in refused.value.message
