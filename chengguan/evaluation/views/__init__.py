from .assessment import (
    accountability_create,
    assessment,
    evidence_file,
    evidence_upload,
    notice_issue,
    notices,
    record,
    record_cancel,
    record_create,
)
from .monthly import monthly, monthly_file, monthly_generate, monthly_page
from .rankings import cases, grid, index, measures, rank, region

__all__ = [
    "accountability_create",
    "assessment",
    "cases",
    "evidence_file",
    "evidence_upload",
    "grid",
    "index",
    "measures",
    "monthly",
    "monthly_file",
    "monthly_generate",
    "monthly_page",
    "notice_issue",
    "notices",
    "rank",
    "record",
    "record_cancel",
    "record_create",
    "region",
]
