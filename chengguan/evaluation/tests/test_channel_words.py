"""考核指标 names intake channels in words: no "wechat", "web" or "open311:<key>" on a Chinese page."""

from django.utils import translation

from chengguan.evaluation.measures import channel_label

from .conftest import at


def test_channels_are_named_in_chinese():
    with translation.override("zh-hans"):
        assert [
            channel_label(c) for c in ("web", "wechat", "app", "12345", "open311:city-app", "", "xyz")
        ] == [
            "网站",
            "微信",
            "手机应用",
            "12345 热线",
            "开放接口（Open311）",
            "—",
            "其他渠道",
        ]


def test_the_measures_page_shows_no_channel_code(story, login, city):
    story.report(at(10, 9), by=None, source="citizen", channel_ref="wechat", reporter_phone="13800000000")
    body = login(city["leader"]).get("/evaluation/measures/?period=2026-03").content.decode()
    assert "微信" in body  # positive control: the channel is on the page, in words
    assert ">wechat<" not in body
