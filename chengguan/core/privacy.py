"""Personal data shown to people who do not need it in full."""


def mask_phone(phone: str) -> str:
    """`13912341234` → `139****1234`; keeps the first 3 and last 4 digits, masks the rest.

    Short numbers keep only their last two characters visible; an empty value stays empty.
    """
    phone = (phone or "").strip()
    if not phone:
        return ""
    if len(phone) >= 8:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    return "*" * max(len(phone) - 2, 1) + phone[-2:]


def mask_name(name: str) -> str:
    """`张三丰` → `张**`: the family name only."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    return name[0] + "*" * (len(name) - 1)


def masked_reporter(case) -> dict:
    """A case's reporter as every page, API answer and export shows it: `{"name": "张**", "phone": "139****1234"}`.
    The full values come only from a logged reveal (`chengguan.public.services.privacy.reporter_reveal`)."""
    return {"name": mask_name(case.reporter_name), "phone": mask_phone(case.reporter_phone)}
