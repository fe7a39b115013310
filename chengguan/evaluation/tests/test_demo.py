"""The demo loader rebuilds facts, adds assessment records once and issues notices for overdue cases."""

import io

from chengguan.evaluation import demo
from chengguan.evaluation.models import AccountabilityAction, AssessmentRecord, CaseFact, RedLightNotice

from .scenario import build_march


def test_it_loads_once_and_again_without_duplicates(story, city):
    build_march(story, city)
    CaseFact.objects.all().delete()
    demo.load(stdout=io.StringIO())
    assert CaseFact.objects.count() == 7
    assert AssessmentRecord.objects.count() == demo.RECORDS
    assert AccountabilityAction.objects.count() == 1
    notices = RedLightNotice.objects.count()
    assert notices >= 1  # case 4 (district B) is overdue
    demo.load(stdout=io.StringIO())
    assert AssessmentRecord.objects.count() == demo.RECORDS
    assert RedLightNotice.objects.count() == notices
