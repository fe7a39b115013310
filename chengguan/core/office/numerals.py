"""Chinese numerals as legal texts cite them: 第42条 → 第四十二条, 第1款 → 第一款, 第1项 → 第（一）项."""

import re

DIGITS = "零一二三四五六七八九"


def cn_int(n: int) -> str:
    """0–9999 in Chinese numerals: 10 → 十, 15 → 十五, 42 → 四十二, 105 → 一百零五, 1200 → 一千二百."""
    if n < 0 or n > 9999:
        raise ValueError(n)
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n - 10] if n > 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            out += ("零" if zero and out else "") + DIGITS[d] + unit
            zero = False
        elif out:
            zero = True
    return out


_REF = re.compile(r"第\s*(\d+)\s*(条|款|项|章|节)")


def cn_articles(text: str) -> str:
    """Every 第n条/款/项 in `text` in Chinese numerals; an item number is written 第（一）项 as statutes number items."""

    def one(m):
        number, unit = cn_int(int(m[1])), m[2]
        return f"第（{number}）项" if unit == "项" else f"第{number}{unit}"

    return _REF.sub(one, text or "")


def provision(law: str, article: str = "", paragraph: str = "") -> str:
    """《城市道路管理条例》 + 27 + (1) → 《城市道路管理条例》第二十七条第（一）项 (accepts 第27条 or 27)."""
    article, paragraph = (article or "").strip(), (paragraph or "").strip()
    if article.isdigit():
        article = f"第{article}条"
    if paragraph.isdigit():
        paragraph = f"第{paragraph}项"
    return cn_articles(f"{law or ''}{article}{paragraph}")
