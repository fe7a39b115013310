"""Every state change of the enforcement app. `case_act` runs any declared act by name (API, pages)."""

from django.utils import timezone

from chengguan.core.errors import NotFound

from .. import needs
from ..params import parse_params
from ..permissions import check_actor
from ..workflow import ACTS
from .cases import (
    case_approve_filing,
    case_decide_on_the_spot,
    case_dismiss_clue,
    case_extend_verification,
    case_order_correction,
    case_propose_filing,
    case_record_inquiry,
    case_record_inspection,
    case_register_clue,
    case_reject_filing,
    case_update_particulars,
)
from .decision import (
    case_collective_discussion,
    case_conclude_investigation,
    case_decide,
    case_extend_decision,
    case_hold_hearing,
    case_legal_review,
    case_notify,
    case_record_statement,
    case_request_hearing,
    case_schedule_hearing,
    case_submit_legal_review,
)
from .evidence import evidence_add
from .execution import (
    case_apply_to_court,
    case_archive,
    case_carry_out_demolition,
    case_close,
    case_decide_forced_demolition,
    case_disclose,
    case_end_remedy,
    case_file_summary_record,
    case_order_demolition,
    case_record_payment,
    case_serve,
    case_start_remedy,
    case_urge,
    case_withdraw_disclosure,
)
from .measures import (
    case_approve_seizure,
    case_end_seizure,
    case_extend_seizure,
    case_request_seizure,
    case_seize,
)
from .referral import case_decide_referral, case_hand_over, case_record_police_reply, case_report_crime

ACT_FUNCTIONS = {
    "update_particulars": case_update_particulars,
    "extend_verification": case_extend_verification,
    "dismiss_clue": case_dismiss_clue,
    "decide_on_the_spot": case_decide_on_the_spot,
    "propose_filing": case_propose_filing,
    "approve_filing": case_approve_filing,
    "reject_filing": case_reject_filing,
    "record_inspection": case_record_inspection,
    "record_inquiry": case_record_inquiry,
    "order_correction": case_order_correction,
    "request_seizure": case_request_seizure,
    "approve_seizure": case_approve_seizure,
    "seize": case_seize,
    "extend_seizure": case_extend_seizure,
    "end_seizure": case_end_seizure,
    "order_demolition": case_order_demolition,
    "conclude_investigation": case_conclude_investigation,
    "notify": case_notify,
    "record_statement": case_record_statement,
    "request_hearing": case_request_hearing,
    "schedule_hearing": case_schedule_hearing,
    "hold_hearing": case_hold_hearing,
    "submit_legal_review": case_submit_legal_review,
    "legal_review": case_legal_review,
    "collective_discussion": case_collective_discussion,
    "extend_decision": case_extend_decision,
    "decide": case_decide,
    "serve": case_serve,
    "disclose": case_disclose,
    "withdraw_disclosure": case_withdraw_disclosure,
    "file_summary_record": case_file_summary_record,
    "record_payment": case_record_payment,
    "start_remedy": case_start_remedy,
    "end_remedy": case_end_remedy,
    "urge": case_urge,
    "apply_to_court": case_apply_to_court,
    "decide_forced_demolition": case_decide_forced_demolition,
    "carry_out_demolition": case_carry_out_demolition,
    "report_crime": case_report_crime,
    "decide_referral": case_decide_referral,
    "hand_over": case_hand_over,
    "record_police_reply": case_record_police_reply,
    "close": case_close,
    "archive": case_archive,
}
assert set(ACT_FUNCTIONS) == set(ACTS), "every declared act has exactly one service"


def case_act(*, actor, case, act: str, data: dict, now=None, strict: bool = True):
    """Run the act `act` with raw parameters (a JSON body or form data), parsed by its declaration."""
    spec = ACTS.get(act)
    if spec is None:
        raise NotFound(f"no act {act!r}", field="act")
    # Who may act is checked before what they sent: an assistant asking for an enforcement act hears "not
    # allowed" (403), not which parameters are missing (422). The act checks again on the locked row.
    check_actor(actor, case, spec, timezone.localtime(now or timezone.now()).date())
    params = parse_params(spec, data, strict=strict)
    if case.state in spec.sources:  # an act outside its states hears 409 from the act itself
        needs.check_act(act, case)  # what the act's documents print exists before it starts (422 naming the field)
    return ACT_FUNCTIONS[act](actor=actor, case=case, now=now, **params)


__all__ = ["ACT_FUNCTIONS", "case_act", "case_register_clue", "evidence_add"]
