"""What a Chinese page may not show: raw codes (states, steps, sources, units, acts) and English words.

`visible_text(html)` keeps what a reader sees (no scripts, styles, attributes or comments); `offending(text)`
lists the raw identifiers and English words in it (any English word not on the allow-list). Used by the staff-page crawl (test_words.py).
"""

import re
from html.parser import HTMLParser

# Words a Chinese page may show: names of standards, formats and products, units of measure.
ALLOW = {
    "open311", "georeport", "api", "excel", "csv", "json", "pdf", "docx", "xlsx", "png", "jpeg", "jpg", "gps",
    "wgs84", "gcj", "bd", "cgcs2000", "sha", "id", "url", "sms", "app", "wechat", "km", "kg", "cm", "mm", "m2",
    "echarts", "leaflet", "mbtiles", "openstreetmap", "osm", "tiles", "xyz", "gb", "t", "ai", "mqtt", "ip",
    "qr", "pc", "ok", "http", "https", "www", "cn", "com", "utc", "gmt", "v2", "v1", "aqi", "pm", "kfc",
    "english", "chengguan", "webp", "django", "htmx", "copyright", "contributors", "max", "min",
}


def _codes():
    from chengguan.cases.actionforms import UNIT_LABELS
    from chengguan.cases.models import Source
    from chengguan.cases.workflow import ACTIONS, STATES
    from chengguan.catalog.steps import STEPS
    from chengguan.enforcement.models import State as EnfState
    from chengguan.enforcement.workflow import ACTS, OTHER_ACT_LABELS

    codes = set(STATES) | set(ACTIONS) | set(STEPS) | set(Source.values) | set(UNIT_LABELS)
    codes |= set(EnfState.values) | set(ACTS) | set(OTHER_ACT_LABELS)
    return {c for c in codes if c}


class _Text(HTMLParser):
    SKIP = {"script", "style", "template", "noscript"}

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def offending(text: str, *, codes=None) -> list[str]:
    """Raw identifiers (a word with an underscore, a state/step/source/unit/act code) and English words in `text`.
    What passes: words on ALLOW, single letters (area classes A/B), tokens with digits (case numbers, hashes,
    Open311) and short all-capital abbreviations (GPS, SMS)."""
    codes = codes if codes is not None else _codes()
    bad = []
    for word in WORD.findall(text):
        low = word.lower()
        raw = "_" in word or low in codes
        fine = low in ALLOW or len(word) == 1 or any(ch.isdigit() for ch in word)
        abbreviation = word.isupper() and len(word) <= 5
        if raw or not (fine or abbreviation):
            bad.append(word)
    return sorted(set(bad))
