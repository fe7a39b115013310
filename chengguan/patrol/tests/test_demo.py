"""The demo loader builds a usable patrol picture on top of the org and grid demo data, and only once."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from chengguan.grids.testing import make_grids
from chengguan.patrol import demo
from chengguan.patrol.models import Campaign, DutyShift, JointSquad, Shop, StaffProfile, TrackPoint
from chengguan.patrol.selectors.squads import composition_check


def test_the_demo_loads_squads_rosters_tracks_a_campaign_and_shops_once(city):
    make_grids(city)
    out = io.StringIO()
    with time_machine.travel(datetime(2026, 3, 11, 16, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        demo.load(stdout=out)
        counts = (StaffProfile.objects.count(), DutyShift.objects.count(), TrackPoint.objects.count())
        assert JointSquad.objects.count() == 4
        assert Campaign.objects.get().status == Campaign.Status.RUNNING
        assert Shop.objects.count() >= 1
        assert counts[2] > 0
        # the fourth squad is one assistant short of the Haikou template, so its shifts carry a warning
        short = DutyShift.objects.filter(squad__code__endswith="LH-4").first()
        assert composition_check(short).shortfalls == [("assistant", 4, 3)]
        demo.load(stdout=out)
    assert "already loaded" in out.getvalue()
    assert (StaffProfile.objects.count(), DutyShift.objects.count(), TrackPoint.objects.count()) == counts
