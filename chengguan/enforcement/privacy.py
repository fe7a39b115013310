"""Masking of personal data on public pages (个人信息保护法; 行政处罚法第50条). Organisations' names and credit
codes are public in disclosed decisions; citizens' names and ID numbers are not."""

COMPOUND_SURNAMES = {
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "令狐",
    "端木", "独孤", "南宫", "西门", "澹台", "呼延", "万俟", "轩辕", "百里", "东郭", "钟离", "闻人", "赫连", "申屠",
}


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧阳**, Zhang San → Z*** S**; empty stays empty."""
    name = (name or "").strip()
    if not name:
        return ""
    if name.isascii():
        return " ".join(part[0] + "*" * (len(part) - 1) for part in name.split())
    keep = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[:keep] + "*" * max(1, len(name) - keep)


def mask_id_number(number: str) -> str:
    """Resident ID 410202199001011234 → 410202********1234."""
    number = (number or "").strip()
    if len(number) <= 8:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def public_party(case) -> tuple[str, str]:
    """(name, id) of a case's party as shown on public pages."""
    if case.party_type == "organisation":
        return case.party_name, case.party_id_number
    return mask_name(case.party_name), ""
