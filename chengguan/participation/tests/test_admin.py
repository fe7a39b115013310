"""Admin lists of both new apps open for the administrator and stay closed to staff without admin access."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_lists_of_tasks_and_participation_open(city, login, closed_case):
    client = login(city["admin"])
    models = [m for m in apps.get_models() if m._meta.app_label in ("tasks", "participation") and m in admin.site._registry]
    assert len(models) >= 10
    for model in models:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
    leader = login(city["leader"])  # not staff in admin
    assert leader.get(reverse("admin:tasks_task_changelist")).status_code == 302


def test_the_administrator_grants_and_redeems_points_but_never_below_zero(city, login, volunteer):
    from chengguan.participation.volunteers import points_balance

    client = login(city["admin"])
    url = reverse("admin:participation_volunteerpoints_add")
    client.post(url, {"volunteer": volunteer.pk, "points": 5, "reason": "优秀网格员奖励"})
    assert points_balance(volunteer) == 5
    response = client.post(url, {"volunteer": volunteer.pk, "points": -10, "reason": "兑换礼品"}, follow=True)
    assert "积分余额不能小于零" in response.content.decode()
    assert points_balance(volunteer) == 5
