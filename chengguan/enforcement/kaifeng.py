"""The demo city's power list: the national items of the researched sample catalogue, nothing else.

`data/penalty_catalogue_sample.csv` mixes national laws and State Council regulations (which apply in Kaifeng as
everywhere) with Beijing and Shanghai local regulations (which do not). The demo loads only the national part:

- rows whose item is marked "(北京)" or "(地方)" or whose legal basis names only a local regulation are dropped;
- a legal basis that also names a local regulation keeps only its national provision;
- a penalty text keeps only what the national provision says; where the national provision leaves the amount to
  local rules (e.g. 城市市容和环境卫生管理条例第三十四条 "可以并处警告、罚款") it says so instead of quoting
  another city's amounts;
- "同上" is written out as the previous item with its own condition.

Sources and what is verified: docs/power-list-sources.md. Every item carries SAMPLE_NOTE: a real city loads
its own list (its province's and its own regulations) through the power-list import.
"""

import csv
import io
import re
from pathlib import Path

SAMPLE = Path(__file__).parent / "data" / "penalty_catalogue_sample.csv"
SAMPLE_NOTE = ("示例数据：条款号取自国家法律、行政法规原文（来源见 docs/power-list-sources.md）；罚款数额和裁量基准为演示，"
               "以河南省、开封市现行规定为准。")  # fmt: skip
LOCAL = re.compile(r"北京|上海|\bBJ[A-Z]*\b|\bSH[A-Z]*\b|BJ[A-Z]+|SH[A-Z]+|\(地方\)|（地方）|\(北京\)|\(上海\)")
OTHER_AMOUNT = "依照该条规定处罚；罚款数额依照河南省、开封市的规定"
TRAILING_CONDITION = re.compile(r"\s*[(（][^)）]*[)）]$")
LOCAL_AMOUNT = "责令纠正违法行为、采取补救措施，可以并处警告、罚款（数额依照河南省、开封市的规定）"


def _national_basis(text: str) -> str:
    parts = [p.strip() for p in text.split(";")]
    return "; ".join(p for p in parts if p and not LOCAL.search(p))


def _national_penalty(text: str, basis: str) -> str:
    """What the national provision says; from the first local part on, nothing (those amounts are another city's)."""
    head = re.sub(r"^national:\s*", "", text.strip()).split(" — ")[0].strip()
    kept = []
    for part in re.split(r";\s*", head):
        if LOCAL.search(part):
            break
        kept.append(part.strip())
    if kept and any(kept):
        return "; ".join(p for p in kept if p)
    return LOCAL_AMOUNT if basis.startswith("市容条例") else OTHER_AMOUNT


def national_rows() -> list[dict]:
    rows, previous = [], ""
    for row in csv.DictReader(io.StringIO(SAMPLE.read_text(encoding="utf-8-sig"))):
        item = row["item"].strip()
        if item.startswith("同上"):
            condition = item[2:].strip()
            item = TRAILING_CONDITION.sub("", previous) + condition
        previous = item
        basis = _national_basis(row["legal_basis"])
        if LOCAL.search(item) or not basis:
            continue
        rows.append({**row, "item": item, "legal_basis": basis, "penalty": _national_penalty(row["penalty"], basis)})
    return rows


def national_csv() -> bytes:
    rows = national_rows()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
