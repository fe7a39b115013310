"""The admin pages of the public app open, logs are read-only, and points go through the ledger service."""

import pytest

from chengguan.public.models import PointsEntry

PAGES = [
    "open311key",
    "open311submission",
    "hotlinesystem",
    "hotlineworkorder",
    "webhookdelivery",
    "satisfaction",
    "pointsentry",
    "personaldatareveal",
]


@pytest.mark.parametrize("model", PAGES)
def test_the_changelists_open_for_an_administrator(login, city, model):
    assert login(city["admin"]).get(f"/admin/public/{model}/").status_code == 200


@pytest.mark.parametrize("model", ["personaldatareveal", "webhookdelivery", "hotlineworkorder", "open311key"])
def test_logs_and_keys_cannot_be_added_by_hand(login, city, model):
    assert login(city["admin"]).get(f"/admin/public/{model}/add/").status_code == 403


def test_redeeming_points_goes_through_the_ledger(login, city):
    client = login(city["admin"])
    client.post(
        "/admin/public/pointsentry/add/", {"phone": "13912341234", "points": "20", "reason": "人工奖励"}
    )
    assert sum(PointsEntry.objects.values_list("points", flat=True)) == 20
    client.post("/admin/public/pointsentry/add/", {"phone": "13912341234", "points": "-50", "reason": "兑换"})
    assert sum(PointsEntry.objects.values_list("points", flat=True)) == 20  # not below zero
    client.post("/admin/public/pointsentry/add/", {"phone": "13912341234", "points": "-15", "reason": "兑换"})
    assert sum(PointsEntry.objects.values_list("points", flat=True)) == 5
    assert PointsEntry.objects.filter(recorded_by=city["admin"]).count() == 2
