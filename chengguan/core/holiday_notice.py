"""Read the State Council's yearly holiday notice (国务院办公厅关于XXXX年部分节假日安排的通知).

The text is pasted as published. Its numbered items (一、元旦：…) give each holiday's dates and the 调休
working days; everything else (title, addressees, closing paragraph, signature) is skipped. An item this module
cannot read, a day count that does not match the dates, a weekday in brackets that does not match its date or a
make-up workday that is not a weekend day is refused with the number and text of the line: nothing is guessed.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from chengguan.core.errors import ValidationError

NUMERALS = "一二三四五六七八九十"
TITLE_RE = re.compile(r"关于\s*(\d{4})\s*年部分节假日安排")
DOC_NUMBER_RE = re.compile(r"^\s*(国办发\S*〔\d{4}〕\d+号)\s*$")
ITEM_RE = re.compile(rf"^[{NUMERALS}]+[、.．]\s*(?P<names>[^：:]+)[：:]\s*(?P<body>.+)$")
BRACKETS_RE = re.compile(r"[（(]([^）)]*)[）)]")
WEEKDAY_RE = re.compile(r"(?:周|星期)([一二三四五六日天])")
WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
DAY_RE = r"(?:(?P<{p}m>\d{{1,2}})月)?(?P<{p}d>\d{{1,2}})日(?P<{p}b>[（(][^）)]*[）)])?"
HOLIDAY_RE = re.compile(
    "^" + DAY_RE.format(p="a") + "(?:至" + DAY_RE.format(p="z") + ")?"
    r"放假(?:调休)?(?:(?P<n1>\d+)天)?(?:[，,]?(?:与周末连休|不调休))*(?:[，,]共(?P<n2>\d+)天)?(?:[，,]?不调休)?$"
)
WORKDAYS_RE = re.compile(r"^(?P<days>.+?)(?:[（(][^）)]*[）)])?上班$")
ONE_DATE_RE = re.compile(r"(\d{1,2})月(\d{1,2})日(?:[（(]([^）)]*)[）)])?")
DATE_IN_LINE_RE = re.compile(r"\d{1,2}月\d{1,2}日")


@dataclass
class Arrangement:
    year: int
    document_number: str = ""
    holidays: list[tuple[date, str]] = field(default_factory=list)  # every day off, weekends included
    workdays: list[tuple[date, str]] = field(default_factory=list)  # 调休 make-up working days

    def names(self) -> list[str]:
        return list(dict.fromkeys(name for _d, name in self.holidays))

    def summary(self) -> list[dict]:
        """One row per holiday for the confirmation page."""
        rows = []
        for name in self.names():
            days = [d for d, n in self.holidays if n == name]
            rows.append({"name": name, "first": days[0], "last": days[-1], "count": len(days),
                         "workdays": [d for d, n in self.workdays if n == f"{name}调休"]})
        return rows


def _refuse(number: int, line: str, why: str):
    raise ValidationError(f"第{number}行无法识别（{why}）：{line.strip()[:80]}", field="text", code="notice_line")


def _check_weekday(day: date, bracket: str | None, number: int, line: str) -> None:
    match = WEEKDAY_RE.search(bracket or "")
    if match and WEEKDAYS[match.group(1)] != day.weekday():
        _refuse(number, line, f"{day.month}月{day.day}日不是周{match.group(1)}")


def _day(year: int, month: int | None, day: int, number: int, line: str) -> date:
    try:
        return date(year, month, day)
    except (TypeError, ValueError):
        _refuse(number, line, f"没有{month}月{day}日这一天")


def _holiday_days(year: int, sentence: str, number: int, line: str) -> list[date]:
    match = HOLIDAY_RE.match(sentence)
    if not match:
        _refuse(number, line, "看不懂放假日期")
    g = match.groupdict()
    first = _day(year, int(g["am"]) if g["am"] else None, int(g["ad"]), number, line)
    _check_weekday(first, g["ab"], number, line)
    last = first
    if g["zd"]:
        last = _day(year, int(g["zm"]) if g["zm"] else first.month, int(g["zd"]), number, line)
        _check_weekday(last, g["zb"], number, line)
    if last < first:
        _refuse(number, line, "结束日期早于开始日期")
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    stated = g["n2"] or g["n1"]
    if stated and int(stated) != len(days):
        _refuse(number, line, f"写明共{stated}天，日期却是{len(days)}天")
    return days


def _workdays(year: int, sentence: str, number: int, line: str) -> list[date]:
    if not WORKDAYS_RE.match(sentence):
        _refuse(number, line, f"看不懂这一句：{sentence}")
    days = []
    for month, day, bracket in ONE_DATE_RE.findall(sentence):
        d = _day(year, int(month), int(day), number, line)
        _check_weekday(d, bracket, number, line)
        if d.weekday() < 5:
            _refuse(number, line, f"调休上班日{d.month}月{d.day}日不是周末")
        days.append(d)
    rest = ONE_DATE_RE.sub("", sentence).replace("、", "").replace("上班", "").strip()
    if not days or rest:
        _refuse(number, line, f"看不懂这一句：{sentence}")
    return days


def parse_notice(text: str, *, year: int | None = None) -> Arrangement:
    """The arrangement in `text`; ValidationError (field "text") naming the line it cannot read."""
    lines = (text or "").splitlines()
    found_year = None
    number_doc = ""
    for line in lines[:10]:
        match = TITLE_RE.search(line)
        if match and found_year is None:
            found_year = int(match.group(1))
        doc = DOC_NUMBER_RE.match(line.replace("\u3000", " "))
        if doc and not number_doc:
            number_doc = doc.group(1)
    year = found_year or year
    if year is None:
        raise ValidationError(
            "找不到年份：通知的标题应为“国务院办公厅关于XXXX年部分节假日安排的通知”。", field="text", code="notice_year"
        )
    result = Arrangement(year=year, document_number=number_doc)
    seen: dict[date, int] = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.replace("\u3000", " ").strip()
        item = ITEM_RE.match(line)
        if not item:
            if re.match(r"^\d{1,2}月\d{1,2}日", line) or (
                re.match(rf"^[{NUMERALS}]+、", line) and DATE_IN_LINE_RE.search(line)
            ):
                _refuse(number, raw, "不是“一、元旦：……”这样的条目")
            continue
        name = re.sub(r"\s+", "", item.group("names"))
        sentences = [s.strip() for s in re.split(r"[。；;]", item.group("body")) if s.strip()]
        if not sentences or "放假" not in sentences[0]:
            _refuse(number, raw, "条目应以放假日期开头")
        for day in _holiday_days(year, sentences[0], number, raw):
            if day in seen:
                _refuse(number, raw, f"{day.month}月{day.day}日已在第{seen[day]}行出现")
            seen[day] = number
            result.holidays.append((day, name))
        for sentence in sentences[1:]:
            for day in _workdays(year, sentence, number, raw):
                if day in seen:
                    _refuse(number, raw, f"{day.month}月{day.day}日已在第{seen[day]}行出现")
                seen[day] = number
                result.workdays.append((day, f"{name}调休"))
    if not result.holidays:
        raise ValidationError(
            "没有找到放假条目：应有“一、元旦：1月1日（周x）放假……”这样的行。", field="text", code="notice_empty"
        )
    return result
