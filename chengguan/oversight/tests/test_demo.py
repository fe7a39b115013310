import io

import time_machine

from chengguan.enforcement import demo as enforcement_demo
from chengguan.enforcement.models import CriminalReferral, ProcuratorateRecord
from chengguan.enforcement.services.linkage import police_referrals
from chengguan.enforcement.tests.conftest import at
from chengguan.org import demo as org_demo
from chengguan.org.models import User
from chengguan.oversight import demo
from chengguan.oversight.models import AssistantPermit, Complaint
from chengguan.patrol.models import AccountabilityRecord, OfficerFileEntry


def test_the_demo_shows_every_part_once(db):
    out = io.StringIO()
    with time_machine.travel(at(2026, 6, 15, 16), tick=False):
        org_demo.load(stdout=out)
        demo.load(stdout=out)
        enforcement_demo.load(stdout=out)
        demo.load(stdout=out)
    assert sorted(Complaint.objects.values_list("state", flat=True)) == ["assigned", "received", "replied", "replied"]
    assert AccountabilityRecord.objects.get().user.username == "officer"
    assert AssistantPermit.objects.filter(user__username="assistant").count() == 1
    assert OfficerFileEntry.objects.filter(category="case_review", user__username="officer").exists()
    referral = CriminalReferral.objects.get()
    assert referral.escalated_at and ProcuratorateRecord.objects.get(referral=referral).kind == "copy"
    assert list(police_referrals(User.objects.get(username="police"))) == [referral]
    assert "complaints already loaded" in out.getvalue()
