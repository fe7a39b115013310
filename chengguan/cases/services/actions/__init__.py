"""One service per case action. Each says only what is special about it; `engine.perform` does the rest."""

from .centre import case_close, case_file, case_supervise, case_urge, case_void
from .checking import case_check_fail, case_check_pass
from .command import (
    case_approve_extension,
    case_deny_extension,
    case_deny_hang_up,
    case_dispatch,
    case_hang_up,
    case_resume,
)
from .common import grid_supervisor_id
from .department import case_reply, case_request_extension, case_request_hang_up, case_return
from .desk import (
    case_accept,
    case_merge,
    case_reject,
    case_request_verification,
    case_self_handle,
    case_verify,
)

__all__ = [
    "case_accept",
    "case_approve_extension",
    "case_check_fail",
    "case_check_pass",
    "case_close",
    "case_deny_extension",
    "case_deny_hang_up",
    "case_dispatch",
    "case_file",
    "case_hang_up",
    "case_merge",
    "case_reject",
    "case_reply",
    "case_request_extension",
    "case_request_hang_up",
    "case_request_verification",
    "case_resume",
    "case_return",
    "case_self_handle",
    "case_supervise",
    "case_urge",
    "case_verify",
    "case_void",
    "grid_supervisor_id",
]
