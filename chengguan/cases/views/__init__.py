from .desk import (
    case_act_page,
    case_detail_page,
    case_export,
    case_list_page,
    dispatch_page,
    notifications_page,
)
from .photos import case_photo
from .queues import department_page, filing_page, operator_page, queue_batch
from .report import desk_report, matter_search, mobile_case, mobile_home, mobile_report
from .sheets import case_sheet_page

__all__ = [
    "case_act_page",
    "case_detail_page",
    "case_export",
    "case_list_page",
    "case_photo",
    "case_sheet_page",
    "department_page",
    "desk_report",
    "dispatch_page",
    "filing_page",
    "matter_search",
    "mobile_case",
    "mobile_home",
    "mobile_report",
    "notifications_page",
    "operator_page",
    "queue_batch",
]
