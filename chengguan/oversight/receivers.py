"""The five-in-one file fills itself (学法、宣法、执法、案件评查、责任追究): a case-file review (案卷评查) becomes a
scored 案件评查 entry of each handler of the case, a closed case an 执法 entry of each handler, in the same
transaction as the review or the act. Complaints write their accountability records in services.py."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from chengguan.enforcement.models import CaseEvent, CaseFileReview, State
from chengguan.patrol.models import OfficerFileEntry

GRADES = {"excellent": "优秀", "good": "良好", "pass": "合格", "fail": "不合格"}


def _entry(user_id, category, day, title, detail="", score=None):
    entry, _created = OfficerFileEntry.objects.get_or_create(
        user_id=user_id, category=category, occurred_on=day, title=title[:150],
        defaults={"detail": detail, "score": score})
    return entry


@receiver(post_save, sender=CaseFileReview, dispatch_uid="oversight.file_review_to_file")
def file_review_to_file(sender, instance: CaseFileReview, created, raw=False, **kwargs):
    if raw or not created:
        return
    case = instance.case
    day = timezone.localdate(instance.reviewed_at)
    for officer in case.officers.all():
        _entry(officer.user_id, OfficerFileEntry.Category.CASE_REVIEW, day, f"案卷评查：{case.reference} {case.title}",
               f"评查等次：{GRADES.get(instance.grade, instance.grade)}。{instance.comments}".strip(), instance.total)


@receiver(post_save, sender=CaseEvent, dispatch_uid="oversight.closed_case_to_file")
def closed_case_to_file(sender, instance: CaseEvent, created, raw=False, **kwargs):
    if raw or not created or instance.to_state != State.CLOSED or instance.from_state == State.CLOSED:
        return
    case = instance.case
    day = timezone.localdate(instance.at)
    outcome = case.get_outcome_display() if case.outcome else case.get_resolution_display() if case.resolution else ""
    for officer in case.officers.all():
        _entry(officer.user_id, OfficerFileEntry.Category.ENFORCEMENT, day, f"办结案件：{case.reference} {case.title}",
               f"{outcome}".strip())
