"""/healthz's calendar key: next year's holiday arrangement — "chinesecalendar" / "entered" / "fallback" (not
entered yet: deadlines reaching into that year are provisional, docs/calendar.md)."""


def status() -> dict:
    from chengguan.core.calendar_service import calendar_status

    calendar = calendar_status()
    return {"calendar_next_year": {"year": calendar["year"], "source": calendar["source"]}}
