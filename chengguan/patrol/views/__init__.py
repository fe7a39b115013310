from .duty import decide, requests_page, roster, roster_copy, shift_add
from .field import campaign_detail, campaign_list, coverage_page, mobile, operation_detail, operation_list
from .frontage import ads_page, shop_detail, shop_list
from .staff import certificates, index, staff_file, staff_list, staffing

__all__ = [
    "ads_page",
    "campaign_detail",
    "campaign_list",
    "certificates",
    "coverage_page",
    "decide",
    "index",
    "mobile",
    "operation_detail",
    "operation_list",
    "requests_page",
    "roster",
    "roster_copy",
    "shift_add",
    "shop_detail",
    "shop_list",
    "staff_file",
    "staff_list",
    "staffing",
]
