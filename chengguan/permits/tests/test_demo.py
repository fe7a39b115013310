"""The demo loaders of permits and the ledger run on a small city, show every step, and are idempotent."""

import io

from chengguan.buildings import demo as buildings_demo
from chengguan.buildings import selectors
from chengguan.buildings.models import DemolitionProject, IllegalBuilding
from chengguan.grids.testing import make_grids
from chengguan.permits import demo as permits_demo
from chengguan.permits.models import Application, Finding, VendingZone


def test_the_demo_loads_every_step_once(city, body, login):
    make_grids(city)
    out = io.StringIO()
    permits_demo.load(stdout=out)
    buildings_demo.load(stdout=out)
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {"submitted", "notice", "accepted", "granted", "refused", "expired"} <= statuses
    assert Application.objects.filter(extended_at__isnull=False).count() == 1
    full = VendingZone.objects.get(code="KF-SD-02")
    assert Application.objects.filter(zone=full, status="granted").count() == full.capacity
    assert Finding.objects.filter(clue__isnull=False).count() == 1
    project = DemolitionProject.objects.get()
    progress = selectors.project_progress(project)
    assert progress.items == 34 and progress.households == 21
    assert sum(b.area_m2 for b in project.buildings.all()) == project.target_area_m2
    rate = selectors.same_day_rate(IllegalBuilding.objects.all())
    assert 0 < rate.same_day < rate.new
    counts = (Application.objects.count(), IllegalBuilding.objects.count())
    permits_demo.load(stdout=out)
    buildings_demo.load(stdout=out)
    assert (Application.objects.count(), IllegalBuilding.objects.count()) == counts
    assert "already loaded" in out.getvalue()
    c = login(city["officer"])
    overdue = c.get("/permits/?overdue=1").content.decode()
    late = Application.objects.get(applicant_name="汴味轩酒楼")
    assert late.number in overdue
    for url in ("/permits/", "/permits/zones/", "/permits/check/", f"/permits/{late.pk}/", "/buildings/",
                f"/buildings/projects/{project.pk}/", "/buildings/map/", "/p/permits/"):
        assert c.get(url).status_code == 200, url
