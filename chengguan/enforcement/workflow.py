"""The enforcement case's legal acts, declared as data (reference/enforcement.md §10).

Each act names the states it may start from, the states it may lead to (empty: the state does not change),
the roles that may perform it, whether the actor needs a valid enforcement certificate, whether a second
certified officer must take part, and its parameters (used to parse API bodies and to draw the forms).
Anything not in this table is refused. Statutory guards (deadlines, caps, who may review) live in the
services; `permissions.can_act` answers "may this user do this act on this case now" for pages and services.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import State

OFFICER, ASSISTANT, LEGAL, LEADER = "officer", "assistant", "legal_reviewer", "leader"
ENFORCEMENT_ROLES = (OFFICER, ASSISTANT, LEGAL, LEADER, "admin")

S = State
BEFORE_DECISION = (S.INVESTIGATED, S.NOTIFIED, S.HEARING_REQUESTED, S.HEARING_SCHEDULED, S.HEARD,
                   S.IN_LEGAL_REVIEW, S.REVIEWED)
CASE_RUNNING = (S.INVESTIGATING, *BEFORE_DECISION, S.DECIDED, S.SERVED, S.ENFORCING)
AFTER_DECISION = (S.DECIDED, S.SERVED, S.ENFORCING, S.PERFORMED, S.CLOSED, S.ARCHIVED)
REFERRABLE = (S.INVESTIGATING, S.INVESTIGATED, S.NOTIFIED, S.HEARD, S.REVIEWED)


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # text | longtext | decimal | int | date | datetime | bool | user | choice | list | items
    label: str
    required: bool = False
    choices: tuple = ()


@dataclass(frozen=True)
class Act:
    code: str
    label: str
    sources: tuple
    targets: tuple = ()
    roles: tuple = (OFFICER,)
    certified: bool = True
    two_officers: bool = False
    params: tuple = field(default_factory=tuple)

    def leads_to(self) -> tuple:
        return self.targets


P = Param
PARTY = (
    P("title", "text", _("cause of action")),
    P("power_item", "text", _("power item code")),
    P("party_type", "choice", _("party type"), choices=("person", "organisation")),
    P("party_name", "text", _("party concerned")),
    P("party_id_number", "text", _("ID / credit code")),
    P("party_legal_rep", "text", _("legal representative")),
    P("party_address", "text", _("party address")),
    P("party_phone", "text", _("party phone")),
    P("party_birth_date", "date", _("party birth date")),
    P("place", "text", _("place of the violation")),
    P("violation_date", "date", _("violation date")),
    P("violation_end_date", "date", _("continuing violation ended on")),
    P("facts", "longtext", _("facts")),
)
CO = P("co_officer", "user", _("second certified officer"), required=True)
LATE = P("late_reason", "longtext", _("reason for acting after the deadline"))
DISCRETION = (
    P("harm", "choice", _("harmful consequences"), choices=("none", "minor", "serious")),
    P("corrected", "bool", _("corrected in time")),
    P("first_violation", "bool", _("first violation")),
    P("area_m2", "decimal", _("area (m²)")),
    P("construction_cost", "decimal", _("construction cost (yuan)")),
    P("value", "decimal", _("value (yuan)")),
    P("count", "decimal", _("number of units")),
    P("factors", "list", _("circumstances (factor codes)")),
)

ACT_LIST = [
    Act("update_particulars", _("Update particulars"), (S.CLUE, S.PENDING_FILING, S.INVESTIGATING), params=PARTY),
    Act("extend_verification", _("Extend clue verification"), (S.CLUE,), roles=(LEADER,), certified=False,
        params=(P("reason", "longtext", _("reason"), required=True),)),
    Act("dismiss_clue", _("Close the clue without filing"), (S.CLUE,), (S.DISMISSED,),
        params=(P("reason", "longtext", _("reason"), required=True),
                P("resolution", "choice", _("solved by"), required=True, choices=("service", "management")))),
    Act("decide_on_the_spot", _("On-the-spot decision (summary procedure)"), (S.CLUE,), (S.SERVED, S.PERFORMED),
        two_officers=True,
        params=(CO, P("penalty", "choice", _("penalty"), required=True, choices=("warning", "fine")),
                P("fine_amount", "decimal", _("fine (yuan)")),
                P("collect_cash", "bool", _("collect the fine in cash now")),
                P("hard_to_enforce", "bool", _("hard to enforce later (行政处罚法第68条)")),
                P("receipt_number", "text", _("financial receipt number")))),
    Act("propose_filing", _("Propose filing"), (S.CLUE,), (S.PENDING_FILING,), two_officers=True,
        params=(CO, P("opinion", "longtext", _("handlers' opinion"), required=True))),
    Act("approve_filing", _("Approve filing"), (S.PENDING_FILING,), (S.INVESTIGATING,), roles=(LEADER,),
        certified=False, params=(P("opinion", "longtext", _("opinion")),)),
    Act("reject_filing", _("Refuse filing"), (S.PENDING_FILING,), (S.DISMISSED,), roles=(LEADER,), certified=False,
        params=(P("reason", "longtext", _("reason"), required=True),)),
    Act("record_inspection", _("On-site inspection record"), (S.INVESTIGATING,), two_officers=True,
        params=(CO, P("place", "text", _("place"), required=True), P("findings", "longtext", _("findings"), required=True),
                P("started_at", "datetime", _("started at")), P("party_present", "text", _("party or witness present")))),
    Act("record_inquiry", _("Inquiry record"), (S.INVESTIGATING,), two_officers=True,
        params=(CO, P("person", "text", _("person questioned"), required=True),
                P("person_identity", "text", _("identity of the person questioned (ID, address)")),
                P("place", "text", _("place of the inquiry")), P("started_at", "datetime", _("started at")),
                P("content", "longtext", _("questions and answers"), required=True))),
    Act("order_correction", _("Order to correct"), (S.CLUE, S.INVESTIGATING), two_officers=True,
        params=(CO, P("requirement", "longtext", _("what must be corrected"), required=True),
                P("correct_by", "date", _("correct by"), required=True))),
    Act("request_seizure", _("Request sealing / seizure"), (S.INVESTIGATING,),
        params=(P("kind", "choice", _("measure"), required=True, choices=("seal", "seize")),
                P("reason", "longtext", _("reason and basis"), required=True), P("place", "text", _("place")),
                P("items", "items", _("items (one per line: name quantity unit)"), required=True))),
    Act("approve_seizure", _("Approve sealing / seizure"), CASE_RUNNING, roles=(LEADER,), certified=False,
        params=(P("measure", "int", _("measure"), required=True), P("approve", "bool", _("approve")),
                P("reason", "longtext", _("opinion")))),
    Act("seize", _("Carry out sealing / seizure"), (S.INVESTIGATING,), two_officers=True,
        params=(CO, P("measure", "int", _("approved measure")), P("emergency", "bool", _("emergency (approval within 24 h)")),
                P("kind", "choice", _("measure"), choices=("seal", "seize")), P("reason", "longtext", _("reason and basis")),
                P("place", "text", _("place")), P("items", "items", _("items (one per line: name quantity unit)")))),
    Act("extend_seizure", _("Extend sealing / seizure"), CASE_RUNNING, roles=(LEADER,), certified=False,
        params=(P("measure", "int", _("measure"), required=True), P("days", "int", _("days (≤ 30)"), required=True),
                P("reason", "longtext", _("reason"), required=True))),
    Act("end_seizure", _("End sealing / seizure"), (*CASE_RUNNING, S.PERFORMED, S.REFERRAL_PENDING,
                                                     S.REFERRAL_APPROVED, S.REFERRED), two_officers=True,
        params=(CO, P("measure", "int", _("measure"), required=True),
                P("outcome", "choice", _("outcome"), required=True, choices=("released", "confiscated", "destroyed")),
                P("note", "longtext", _("note")))),
    Act("order_demolition", _("Order to demolish within a time limit"), (S.INVESTIGATING, S.DECIDED, S.SERVED),
        two_officers=True, params=(CO, P("demolish_by", "date", _("demolish by"), required=True),
                                   P("announcement", "longtext", _("public announcement"), required=True))),
    Act("conclude_investigation", _("Conclude the investigation"), (S.INVESTIGATING,), (S.INVESTIGATED,),
        params=(P("outcome", "choice", _("proposal"), required=True, choices=("penalty", "no_penalty")),
                P("penalty_kinds", "list", _("penalty kinds")), P("fine_amount", "decimal", _("proposed fine (yuan)")),
                *DISCRETION, P("departure_reason", "longtext", _("why the proposal departs from the benchmark")),
                P("complex", "bool", _("complex or major: collective discussion")),
                P("major", "bool", _("major decision: legal review")),
                P("report", "longtext", _("investigation report"), required=True))),
    Act("notify", _("Give prior notice"), (S.INVESTIGATED,), (S.NOTIFIED,)),
    Act("record_statement", _("Record statements and review"), (S.NOTIFIED, S.HEARD),
        params=(P("statement", "longtext", _("party's statements")), P("adopted", "bool", _("adopted")),
                P("review", "longtext", _("review of the statements")), P("waived", "bool", _("party waives")))),
    Act("request_hearing", _("Record hearing request"), (S.NOTIFIED,), (S.HEARING_REQUESTED,),
        params=(P("requested_at", "datetime", _("requested at")),)),
    Act("schedule_hearing", _("Schedule the hearing"), (S.HEARING_REQUESTED,), (S.HEARING_SCHEDULED,),
        params=(P("hearing_at", "datetime", _("hearing at"), required=True), P("place", "text", _("place"), required=True),
                P("presider", "user", _("presider (not an investigator)"), required=True))),
    Act("hold_hearing", _("Hold the hearing"), (S.HEARING_SCHEDULED,), (S.HEARD,), roles=(OFFICER, LEGAL, LEADER),
        certified=False, params=(P("record", "longtext", _("hearing record"), required=True),
                                 P("party_absent", "bool", _("party absent without reason")))),
    Act("submit_legal_review", _("Submit for legal review"), (S.INVESTIGATED, S.NOTIFIED, S.HEARD),
        (S.IN_LEGAL_REVIEW,)),
    Act("legal_review", _("Legal review opinion"), (S.IN_LEGAL_REVIEW,), (S.REVIEWED, S.INVESTIGATING),
        roles=(LEGAL,), certified=False,
        params=(P("opinion", "choice", _("opinion"), required=True, choices=("approve", "return")),
                P("text", "longtext", _("opinion text"), required=True))),
    Act("collective_discussion", _("Record collective discussion"), (S.INVESTIGATED, S.NOTIFIED, S.HEARD, S.REVIEWED),
        roles=(LEADER,), certified=False,
        params=(P("participants", "text", _("participants"), required=True),
                P("conclusion", "longtext", _("conclusion"), required=True))),
    Act("extend_decision", _("Extend the decision period"), (S.INVESTIGATING, *BEFORE_DECISION), roles=(LEADER,),
        certified=False, params=(P("days", "int", _("days (≤ 30)"), required=True),
                                 P("reason", "longtext", _("reason"), required=True))),
    Act("decide", _("Decide"), (S.INVESTIGATED, S.NOTIFIED, S.HEARD, S.REVIEWED), (S.DECIDED,), roles=(LEADER,),
        certified=False, params=(P("fine_amount", "decimal", _("fine (yuan), if different from the proposal")),
                                 P("departure_reason", "longtext", _("why the decision departs from the benchmark")),
                                 P("text", "longtext", _("decision text")))),
    Act("serve", _("Serve the decision"), (S.DECIDED,), (S.SERVED, S.PERFORMED),
        params=(P("method", "choice", _("method"), required=True,
                  choices=("direct", "left", "post", "announcement", "electronic")),
                P("served_at", "datetime", _("served at")), P("recipient", "text", _("received by"), required=True), LATE)),
    Act("disclose", _("Disclose the decision"), AFTER_DECISION, roles=(OFFICER, LEADER), params=(LATE,)),
    Act("withdraw_disclosure", _("Withdraw the disclosure"), AFTER_DECISION, roles=(LEADER,), certified=False,
        params=(P("reason", "longtext", _("reason"), required=True),
                P("changed_on", "date", _("decision changed / revoked on"), required=True), LATE)),
    Act("file_summary_record", _("File the on-the-spot decision with the body"), (S.SERVED, S.PERFORMED)),
    Act("record_payment", _("Record payment"), (S.SERVED, S.ENFORCING), (S.PERFORMED,),
        params=(P("amount", "decimal", _("amount paid (yuan)"), required=True),
                P("paid_on", "date", _("paid on"), required=True),
                P("channel", "choice", pgettext_lazy("payment", "channel"), required=True, choices=("bank", "electronic", "cash", "court")),
                P("receipt_number", "text", _("receipt number")))),
    Act("start_remedy", _("Record review or lawsuit"), (S.SERVED, S.ENFORCING),
        params=(P("kind", "choice", _("kind"), required=True, choices=("review", "lawsuit")),
                P("started_on", "date", _("started on"), required=True))),
    Act("end_remedy", _("Record end of review or lawsuit"), (S.SERVED, S.ENFORCING),
        params=(P("ended_on", "date", _("ended on"), required=True), P("outcome", "text", _("outcome"), required=True),
                P("result", "choice", _("result"), choices=("upheld", "revoked", "changed", "illegal", "withdrawn")))),
    Act("urge", _("Remind to perform"), (S.SERVED,), (S.ENFORCING,)),
    Act("apply_to_court", _("Apply to the court for enforcement"), (S.ENFORCING,), roles=(LEADER,), certified=False),
    Act("decide_forced_demolition", _("Decide forced demolition"), (S.SERVED, S.ENFORCING), roles=(LEADER,),
        certified=False),
    Act("carry_out_demolition", _("Carry out forced demolition"), (S.SERVED, S.ENFORCING), (S.PERFORMED,),
        two_officers=True, params=(CO,)),
    Act("report_crime", _("Report suspected crime"), REFERRABLE, (S.REFERRAL_PENDING,), two_officers=True,
        params=(CO, P("offence", "text", _("suspected offence"), required=True),
                P("report", "longtext", _("written report"), required=True))),
    Act("decide_referral", _("Decide on the referral"), (S.REFERRAL_PENDING,), (S.REFERRAL_APPROVED, *REFERRABLE),
        roles=(LEADER,), certified=False,
        params=(P("approve", "bool", _("approve the referral")), P("reason", "longtext", _("reasons")), LATE)),
    Act("hand_over", _("Hand over to the police"), (S.REFERRAL_APPROVED,), (S.REFERRED,),
        params=(P("police_unit", "text", _("police unit"), required=True), LATE)),
    Act("record_police_reply", _("Record the police decision"), (S.REFERRED,), (S.CLOSED, S.INVESTIGATING),
        params=(P("accepted", "bool", _("police opened a criminal case")), P("text", "longtext", _("police reply"), required=True))),
    Act("close", _("Close the case"), (S.PERFORMED,), (S.CLOSED,), roles=(LEADER,), certified=False,
        params=(P("summary", "longtext", _("closing summary"), required=True),)),
    Act("archive", _("Archive"), (S.CLOSED,), (S.ARCHIVED,), roles=(OFFICER, LEADER), certified=False),
]
ACTS = {a.code: a for a in ACT_LIST}
# Recorded acts that are not transitions of the table.
OTHER_ACT_LABELS = {"register_clue": _("Register the clue"), "add_evidence": _("Add evidence"),
                    "recompute_deadline": _("Deadline recomputed (holiday arrangement entered)"),
                    "escalate_referral": _("Overdue police reply escalated, copied to the procuratorate"),
                    "procuratorate_record": _("Procuratorate supervision recorded"),
                    "police_acknowledge": _("Referral received by the police"), "brief": _("Case briefing sent"),
                    "file_review": _("Case file reviewed")}


def acts_from(state: str) -> list[Act]:
    return [a for a in ACT_LIST if state in a.sources]
