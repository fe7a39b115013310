from .assessment import (
    NOTICE_ORDER,
    AccountabilityAction,
    AccountabilityKind,
    AssessmentEvidence,
    AssessmentItem,
    AssessmentRecord,
    FoundBy,
    NoticeCounter,
    NoticeLevel,
    RedLightNotice,
    Target,
)
from .config import AssessmentSettings, Grade, Ladder, LadderStep, Party, Scheme, SchemeTerm
from .facts import CaseFact, StepFact
from .rollups import FactChange, RollupDay, RollupDayRow, RollupMonth, RollupRow

__all__ = [
    "NOTICE_ORDER",
    "AccountabilityAction",
    "AccountabilityKind",
    "AssessmentEvidence",
    "AssessmentItem",
    "AssessmentRecord",
    "AssessmentSettings",
    "CaseFact",
    "FactChange",
    "FoundBy",
    "Grade",
    "Ladder",
    "LadderStep",
    "NoticeCounter",
    "NoticeLevel",
    "Party",
    "RedLightNotice",
    "RollupDay",
    "RollupDayRow",
    "RollupMonth",
    "RollupRow",
    "Scheme",
    "SchemeTerm",
    "StepFact",
    "Target",
]
