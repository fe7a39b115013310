"""Excel export of the enforcement case list through the platform's one export layer.

A file leaves the system and its readers are not logged: a person's name is masked and their ID number left
out, as on the public pages; an organisation's name and credit code are public in a disclosed decision."""

from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.office.xlsx import Book, Col

from .models import State
from .privacy import public_party


def columns() -> list[Col]:
    return [
        Col(_("case number")), Col(_("clue number")), Col(_("state")), Col(_("procedure")), Col(_("source")),
        Col(_("cause of action")), Col(_("power item")), Col(_("party type")), Col(_("party concerned")),
        Col(_("ID / credit code")), Col(_("party address")), Col(_("place of the violation")),
        Col(_("facts"), width=50), Col(_("registered at"), "datetime"), Col(_("filed at"), "datetime"),
        Col(_("decision due"), "datetime"), Col(_("decision made at"), "datetime"), Col(_("fine"), "money"),
        Col(_("decision number")), Col(_("handled by")), Col(_("region")),
    ]  # fmt: skip


def case_row(c) -> list:
    name, id_number = public_party(c)
    return [
        c.number, c.clue_number, c.get_state_display(), c.get_procedure_display(), c.get_source_display(),
        c.title, str(c.power_item) if c.power_item_id else "", c.get_party_type_display(), name, id_number,
        c.party_address if c.party_type == "organisation" else "", c.place, c.facts, c.registered_at,
        c.filed_at, c.decision_due, c.decided_at, c.fine_amount if c.decided_at else None, c.decision_number,
        c.department.name if c.department_id else "", c.region.name if c.region_id else "",
    ]  # fmt: skip


def cases_xlsx_response(qs, *, user, state: str = "", q: str = ""):
    now = timezone.now()
    book = Book(user=user, now=now)
    filters = [(_("state"), dict(State.choices).get(state, "")), (_("search"), q)]
    sheet = book.sheet(name=_("Enforcement cases"), title=_("Enforcement cases"), columns=columns(),
                       filters=filters)  # fmt: skip
    for case in qs.iterator(chunk_size=1000):
        sheet.append(case_row(case))
    return book.response(f"{_('enforcement cases')}-{timezone.localtime(now):%Y%m%d-%H%M}")
