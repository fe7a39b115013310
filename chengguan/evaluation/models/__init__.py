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

__all__ = [
    "NOTICE_ORDER",
    "AccountabilityAction",
    "AccountabilityKind",
    "AssessmentEvidence",
    "AssessmentItem",
    "AssessmentRecord",
    "AssessmentSettings",
    "CaseFact",
    "FoundBy",
    "Grade",
    "Ladder",
    "LadderStep",
    "NoticeCounter",
    "NoticeLevel",
    "Party",
    "RedLightNotice",
    "Scheme",
    "SchemeTerm",
    "StepFact",
    "Target",
]
