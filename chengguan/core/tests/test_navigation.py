"""Links are shown only to those who may follow them; the menu lists what each role may open."""

from chengguan.core.navigation import is_staff_user, may_open, menu_for


def test_an_assistant_sees_no_link_to_approvals_or_legal_review_and_a_leader_does(city, client):
    client.force_login(city["assistant"])
    page = client.get("/enforcement/").content.decode()
    assert "/enforcement/approvals/" not in page and "/enforcement/review/" not in page
    assert "/enforcement/clues/new/" in page  # an assistant registers clues
    client.force_login(city["leader"])
    assert "/enforcement/approvals/" in client.get("/enforcement/").content.decode()


def test_may_open_follows_the_declared_roles(city):
    assert may_open(city["leader"], "enforcement:approvals")
    assert not may_open(city["officer"], "enforcement:approvals")
    assert not may_open(city["assistant"], "patrol:certificates")
    assert may_open(city["admin"], "patrol:certificates")
    assert may_open(city["officer"], "no:such-page")  # undeclared pages are left to the view


def test_a_person_without_a_role_gets_no_staff_menu_and_an_operators_has_its_queue(city):
    assert not is_staff_user(city["nobody"]) and is_staff_user(city["operator"])
    names = [e["name"] for e in menu_for(city["operator"])]
    assert "cases:operator" in names and "enforcement:approvals" not in names


def test_enforcement_roles_get_their_queues_with_counts(city):
    by_role = {r: {e["name"]: e["count"] for e in menu_for(city[r]) if e["count"] is not None}
               for r in ("officer", "legal_reviewer", "leader", "operator")}  # fmt: skip
    assert by_role["legal_reviewer"]["enforcement:review_queue"] == 0
    assert by_role["leader"]["enforcement:approvals"] == 0
    assert by_role["officer"]["enforcement:list"] == 0
    assert "enforcement:list" not in by_role["operator"]


def test_entries_for_every_signed_in_user_are_staff_entries_not_for_light_roles(city):
    """A volunteer, social supervisor or police liaison sees only the entries their apps name them in."""
    from chengguan.core.navigation import menu_for
    from chengguan.org.models import Role, RoleAssignment, User

    volunteer = User.objects.create_user(username="volunteer1", password="x")
    RoleAssignment.objects.create(user=volunteer, role=Role.VOLUNTEER, region=city.district_a)
    staff_names = {e["name"] for e in menu_for(city["supervisor"], counts=False)}
    assert "cases:list" in staff_names  # positive control: the case register is a staff entry for everyone
    assert "cases:list" not in {e["name"] for e in menu_for(volunteer, counts=False)}


def test_a_demo_may_run_before_an_app_it_prepares_while_the_app_stays_later():
    """oversight's demo issues the assistants' work permits before enforcement's demo puts them on cases, yet
    oversight stays after enforcement and patrol in LOCAL_APPS, so their words win on their pages."""
    from django.conf import settings

    from chengguan.core.management.commands.demo import demo_loaders

    order = [app for app, _load in demo_loaders()]
    assert order.index("chengguan.oversight") < order.index("chengguan.enforcement")
    apps = settings.LOCAL_APPS
    assert apps.index("chengguan.oversight") > apps.index("chengguan.patrol") > apps.index("chengguan.enforcement")
    assert order.index("chengguan.cases") < order.index("chengguan.enforcement")  # control: the rest keep their order
