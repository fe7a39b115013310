"""Demo city, patrol part: staff files and certificates, Haikou-style joint squads, a week of rosters, patrol
tracks of the last two days, a running hundred-day campaign with operations, shops under 门前三包 and small-ad
numbers. Runs after the org and grids demos and degrades gracefully when they are missing.

Everything is deterministic (a seeded random generator) except that dates are relative to today.
"""

import random
from datetime import time

from django.utils import timezone

from chengguan.grids.models import ResponsibilityGrid
from chengguan.org.models import Region, Role, User

from ..models import ShiftPattern, StaffProfile
from .duty import _requests, _squads, _supervisor_rosters, _tracks
from .field import _ads, _campaign, _shops
from .people import _norms, _staff


def load(*, stdout) -> None:
    if ShiftPattern.objects.filter(code="D").exists():
        stdout.write("demo patrol data already loaded; reusing it")
        return
    city = Region.objects.filter(code="410200000000").first()
    leader = User.objects.filter(username=Role.LEADER.value).first()
    if city is None or leader is None:
        stdout.write("demo patrol data skipped: load the organisation demo first")
        return
    rng = random.Random(2026)
    today = timezone.localdate()
    patterns = {
        "day": ShiftPattern.objects.create(code="D", name="早班", start=time(7), end=time(15)),
        "evening": ShiftPattern.objects.create(code="E", name="中班", start=time(15), end=time(23)),
        "night": ShiftPattern.objects.create(code="N", name="夜班", start=time(23), end=time(7)),
    }
    districts = {r.adcode: r for r in Region.objects.filter(level=Region.Level.DISTRICT, parent=city)}
    _norms(city, districts)
    people = _staff(city, districts, today, rng, leader)
    grids = list(
        ResponsibilityGrid.objects.filter(region__path__startswith=city.path).select_related("region")
    )
    summary = [f"{StaffProfile.objects.count()} staff files"]
    if grids:
        squad_list = _squads(districts, grids, people, today, leader, patterns)
        summary.append(f"{len(squad_list)} joint squads with a week of shifts")
        summary.append(f"{_supervisor_rosters(grids, districts, today, patterns)} supervisor shifts")
        summary.append(f"{_tracks(grids, districts, today, rng)} track points")
    summary.append(_campaign(districts, today, leader, people))
    if grids:
        summary.append(_shops(districts, today, people, rng))
        summary.append(_ads(districts, today, people, rng))
    _requests(people, today)
    stdout.write("demo patrol: " + ", ".join(summary))
