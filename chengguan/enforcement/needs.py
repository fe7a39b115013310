"""What each document prints must exist before the act that produces it (issue #16, 法律文书要素齐全).

`DOCUMENT_NEEDS` names, per document kind, the fields it prints that the act cannot make up: the party's name,
type, ID number or credit code and address; the place, date and facts; the power item (which carries the
violated provision and the penalty provision); the evidence list; the discretion level and the amount (figures
and 大写 are printed from the same amount); the review body and the court named for the remedies; and the
act's own inputs (the interviewee's identity, the recipient, the police unit …).

`check(kind, case, extra)` raises a `ValidationError` naming the first missing field (the API answers 422 with
that field, the page shows the Chinese message beside the act's form); `missing(kind, case)` lists them all, for
pages that warn before the act is tried. `ACT_DOCUMENTS` says which acts produce which documents.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chengguan.core.errors import ValidationError

from .models import DocumentKind, EnforcementCase


def _field(name):
    return lambda: EnforcementCase._meta.get_field(name).verbose_name


def _has(name):
    return lambda case, extra: bool(getattr(case, name))


def _extra(name):
    def test(case, extra):
        return bool(str(extra.get(name) or "").strip())

    test.act_input = True  # given with the act, not stored on the case beforehand
    return test


def _fine_if_fined(case, extra):
    if "fine" not in (case.penalty_kinds or []) or case.proposed_outcome != "penalty":
        return True
    return bool(case.fine_amount or case.proposed_fine)


def _level_if_penalty(case, extra):
    return case.proposed_outcome != "penalty" or bool(case.chosen_level or case.suggested_level)


def _identity(case, extra):
    """The interviewee's identity: given, or the party's own ID number and address when the party is asked."""
    if str(extra.get("person_identity") or "").strip():
        return True
    return extra.get("person") == case.party_name and bool(case.party_id_number and case.party_address)


_identity.act_input = True


# (field name on the wire, label, test(case, extra))
PARTY_NAME = ("party_name", _field("party_name"), _has("party_name"))
PARTY = (
    PARTY_NAME,
    ("party_type", _field("party_type"), _has("party_type")),
    ("party_id_number", _field("party_id_number"), _has("party_id_number")),
    ("party_address", _field("party_address"), _has("party_address")),
)
POWER = ("power_item", gettext_lazy("power item (violated provision and penalty provision)"), _has("power_item"))
TITLE = ("title", _field("title"), _has("title"))
PLACE = ("place", _field("place"), _has("place"))
DATE = ("violation_date", _field("violation_date"), _has("violation_date"))
FACTS = ("facts", _field("facts"), _has("facts"))
REMEDIES = (
    ("review_authority", gettext_lazy("administrative review authority (enforcement body settings)"),
     lambda case, extra: bool(case.body.review_authority)),
    ("court", gettext_lazy("court (enforcement body settings)"), lambda case, extra: bool(case.body.court)),
)
DISCRETION = ("chosen_level", gettext_lazy("discretion level"), _level_if_penalty)
FINE = ("fine_amount", _field("fine_amount"), _fine_if_fined)
DECISION_NUMBER = ("decision_number", _field("decision_number"), _has("decision_number"))

DOCUMENT_NEEDS = {
    "filing_approval": (*PARTY, TITLE, PLACE, DATE, FACTS, POWER),
    "inspection_record": (("place", gettext_lazy("place"), _extra("place")),
                          ("findings", gettext_lazy("findings"), _extra("findings"))),
    "inquiry_record": (("person", gettext_lazy("person questioned"), _extra("person")),
                       ("person_identity", gettext_lazy("identity of the person questioned (ID, address)"),
                        _identity)),
    "correction_order": (PARTY_NAME, TITLE, PLACE, DATE, POWER,
                         ("requirement", gettext_lazy("what must be corrected"), _extra("requirement"))),
    "prior_notice": (*PARTY, FACTS, POWER, DISCRETION, FINE),
    "hearing_notice": (*PARTY, TITLE, POWER, FINE),
    "decision": (*PARTY, FACTS, POWER, DISCRETION, FINE, *REMEDIES,
                 ("evidence", gettext_lazy("evidence list"), lambda case, extra: case.evidence.exists())),
    "spot_decision": (*PARTY, TITLE, PLACE, DATE, POWER, *REMEDIES),
    "service_receipt": (PARTY_NAME, ("party_address", _field("party_address"), _has("party_address")),
                        DECISION_NUMBER, ("recipient", gettext_lazy("received by"), _extra("recipient"))),
    "urge_notice": (PARTY_NAME, DECISION_NUMBER, ("decided_at", _field("decided_at"), _has("decided_at"))),
    "referral_letter": (PARTY_NAME, TITLE, ("police_unit", gettext_lazy("police unit"), _extra("police_unit")),
                        ("offence", gettext_lazy("suspected offence"), _extra("offence"))),
    "seizure_decision": (PARTY_NAME, ("reason", gettext_lazy("reason and basis"), _extra("reason")),
                         ("items", gettext_lazy("items"), _extra("items"))),
    "closing_report": (PARTY_NAME, TITLE, POWER),
}
assert set(DOCUMENT_NEEDS) == set(DocumentKind.values), "every document kind declares what it prints"

ACT_DOCUMENTS = {
    "propose_filing": ("filing_approval",), "approve_filing": ("filing_approval",),
    "decide_on_the_spot": ("spot_decision",), "record_inspection": ("inspection_record",),
    "record_inquiry": ("inquiry_record",), "order_correction": ("correction_order",),
    "order_demolition": ("correction_order",), "notify": ("prior_notice",), "decide": ("decision",),
    "serve": ("service_receipt",), "urge": ("urge_notice",), "hand_over": ("referral_letter",),
    "seize": ("seizure_decision",), "close": ("closing_report",),
}  # fmt: skip


def _label(label):
    return str(label() if callable(label) else label)


def missing(kind: str, case, extra: dict | None = None) -> list[tuple[str, str]]:
    """(field, label) of everything `kind` prints that is not there yet."""
    extra = extra or {}
    return [(name, _label(label)) for name, label, test in DOCUMENT_NEEDS[kind] if not test(case, extra)]


def missing_for_act(act: str, case) -> list[tuple[str, str]]:
    """Case fields missing for the documents of `act` (the act's own inputs are not known yet)."""
    seen, out = set(), []
    for kind in ACT_DOCUMENTS.get(act, ()):
        for name, label, test in DOCUMENT_NEEDS[kind]:
            if name in seen or getattr(test, "act_input", False):
                continue
            seen.add(name)
            if not test(case, {}):
                out.append((name, _label(label)))
    return out


def _refuse(kind: str, name: str, label: str):
    raise ValidationError(
        _("Fill in “%(field)s” first: the %(document)s prints it.")
        % {"field": label, "document": DocumentKind(kind).label},
        field=name,
        code="document_field_missing",
    )


def check(kind: str, case, extra: dict | None = None) -> None:
    """Refuse the document `kind` while a field it prints is missing (the act's inputs in `extra`)."""
    gaps = missing(kind, case, extra)
    if gaps:
        _refuse(kind, *gaps[0])


def check_act(act: str, case) -> None:
    """Refuse `act` before it starts while a case field its documents print is missing."""
    for kind in ACT_DOCUMENTS.get(act, ()):
        for name, label, test in DOCUMENT_NEEDS[kind]:
            if not getattr(test, "act_input", False) and not test(case, {}):
                _refuse(kind, name, _label(label))
