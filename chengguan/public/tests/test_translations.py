"""The portal speaks Chinese by default; every message of the app has its Chinese translation."""

import re
from pathlib import Path

from django.test import Client

from chengguan.public.presenters import event_text

PO = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_the_portal_is_chinese_by_default(db):
    client = Client()
    home = client.get("/p/").content.decode()
    assert 'lang="zh-hans"' in home and "我的上报" in home and "按案卷编号查询" in home and "问题地图" in home
    report = client.get("/p/report/").content.decode()
    assert "问题类型" in report and "使用当前位置" in report and "暴露垃圾" in report
    assert "结案率" in client.get("/p/stats/").content.decode()


def test_every_message_is_translated_and_compiled():
    text = PO.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]
    untranslated = [
        e
        for e in entries
        if re.search(r'^msgstr(\[0\])? ""$', e, re.M) and not re.search(r'^msgstr(\[0\])? ""\n"', e, re.M)
    ]
    assert not untranslated, untranslated[:3]
    assert PO.with_suffix(".mo").stat().st_mtime >= PO.stat().st_mtime - 1


def test_the_public_timeline_reads_in_chinese(db):
    from django.utils import translation

    from chengguan.cases.models import CaseEvent

    with translation.override("zh-hans"):
        assert event_text(CaseEvent(action="close", payload={})) == "已结案"
        assert event_text(CaseEvent(action="dispatch", payload={})) == "已转区级派遣"
