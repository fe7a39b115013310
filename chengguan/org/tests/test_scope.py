import pytest
from django.http import Http404

from chengguan.org.models import Region
from chengguan.org.scope import get_in_scope, has_role, in_scope, user_covers_department, user_covers_region


def test_it_gives_a_district_supervisor_the_district_subtree(city):
    visible = set(in_scope(Region.objects.all(), city["supervisor"], region_field="parent"))
    assert city.community_a1 in visible and city.community_b1 not in visible
    assert user_covers_region(city["supervisor"], city.community_a2)
    assert not user_covers_region(city["supervisor"], city.community_b1)
    assert not user_covers_region(city["supervisor"], city.city)


def test_it_answers_404_for_objects_outside_the_scope(city):
    regions = Region.objects.all()
    # Region rows are their own scope: look up through a region field pointing to themselves.
    found = get_in_scope(regions, city["supervisor"], region_field="parent", pk=city.street_a.pk)
    assert found == city.street_a
    with pytest.raises(Http404):
        get_in_scope(regions, city["outsider"], region_field="parent", pk=city.street_a.pk)
    with pytest.raises(Http404):
        get_in_scope(regions, city["nobody"], region_field="parent", pk=city.street_a.pk)


def test_it_scopes_departments_by_subtree(city):
    handler = city["department_handler"]
    assert user_covers_department(handler, city.sanitation_unit)
    assert not user_covers_department(handler, city.roads)
    assert not user_covers_department(city["roads_handler"], city.sanitation)


def test_it_lets_superusers_see_everything(city):
    assert user_covers_region(city["admin"], city.community_b1)
    assert (
        in_scope(Region.objects.all(), city["admin"], region_field="parent").count() == Region.objects.count()
    )


def test_it_reports_roles(city):
    assert has_role(city["operator"], "operator")
    assert not has_role(city["assistant"], "officer")
    assert not has_role(city["nobody"], "supervisor", "operator")


def test_moving_a_node_moves_its_subtree(city):
    city.street_a.parent = city.district_b
    city.street_a.save()
    city.community_a1.refresh_from_db()
    assert city.community_a1.path.startswith(city.district_b.path)
    assert [r.pk for r in city.community_a1.ancestors()] == [
        city.city.pk,
        city.district_b.pk,
        city.street_a.pk,
        city.community_a1.pk,
    ]


def test_only_a_passed_unexpired_unrevoked_certificate_counts(city):
    from datetime import date

    from chengguan.org.selectors import valid_certificate

    assert valid_certificate(city["officer"], date(2026, 11, 20)) is not None
    assert valid_certificate(city["officer"], date(2030, 1, 1)) is None
    assert valid_certificate(city["assistant"], date(2026, 11, 20)) is None
