"""The staff workbench: the menu with live counts on every page, home as the user's own work, the queue's
order, the next item after an action, batch actions, and the right form first."""

from chengguan.catalog.models import FilingCondition

from ..models import Case, CaseEvent
from ..workflow import State


def _nav(html):
    return html.split('id="staffnav"', 1)[1].split("</nav>", 1)[0]


def test_it_shows_the_menu_with_live_counts_on_a_case_page_and_home_lists_the_next_items(city, walk, login):
    a, b = walk.to(State.REPORTED), walk.to(State.REPORTED)
    client = login(city["operator"])
    nav = _nav(client.get(f"/cases/{a.pk}/").content.decode())
    # the page carries the menu; its counts come right after from /nav/counts/ (the page pays for no queue)
    assert 'href="/cases/queue/accept/"' in nav and 'hx-trigger="load, every 30s"' in nav
    assert 'class="count' not in nav
    nav = _nav(client.get("/nav/counts/").content.decode())
    assert '<span class="count">2</span>' in nav and 'hx-trigger="every 30s"' in nav
    home = client.get("/").content.decode()
    assert a.number in home and b.number in home and "待受理" in home
    walk.act(a, "accept", "operator")
    assert '<span class="count">1</span>' in _nav(client.get("/nav/counts/").content.decode())


def test_the_counts_follow_the_scope_and_the_role(city, walk, login):
    walk.to(State.REPORTED)
    nav = _nav(login(city["outsider"]).get("/nav/counts/").content.decode())  # a supervisor of the other district
    assert "/cases/queue/accept/" not in nav and 'class="count"' not in nav
    body = login(city["nobody"]).get("/nav/counts/").content.decode()
    assert 'href="/cases/queue/accept/"' not in body and 'class="count' not in body
    assert login(city["operator"]).get("/nav/counts/").status_code == 200  # positive control


def test_anonymous_visitors_get_no_counts(client, city):
    response = client.get("/nav/counts/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_overdue_count_is_red_and_unread_notices_are_counted(city, walk, login, frozen):
    walk.to(State.REPORTED)
    frozen.shift(60 * 60 * 24 * 3)
    nav = _nav(login(city["operator"]).get("/nav/counts/").content.decode())
    assert 'href="/cases/list?overdue=1"' not in nav  # the list lives at /cases/
    assert 'href="/cases/?overdue=1"' in nav and 'class="count alert"' in nav


def test_the_queue_puts_urgent_first_then_the_nearest_deadline(city, walk, login):
    old = walk.to(State.REPORTED)
    urgent = walk.to(State.REPORTED)
    Case.objects.filter(pk=urgent.pk).update(severity="urgent")
    body = login(city["operator"]).get("/cases/queue/accept/").content.decode()
    assert body.index(urgent.number) < body.index(old.number)


def test_an_action_from_the_queue_goes_on_to_the_next_case_and_keeps_the_filters(city, walk, login):
    a, b = walk.to(State.REPORTED), walk.to(State.REPORTED)
    client = login(city["operator"])
    queue = f"/cases/queue/accept/?district_id={city.district_a.pk}"
    page = client.get(f"/cases/{a.pk}/", {"queue": queue}).content.decode()
    assert f'href="/cases/{b.pk}/?queue=' in page  # 下一件
    next_value = page.split('name="next" value="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    response = client.post(f"/cases/{a.pk}/act/accept/", {"next": next_value, "queue": queue, "reason": ""})
    assert response.status_code == 302 and response["Location"].startswith(f"/cases/{b.pk}/?queue=")
    assert "district_id" in response["Location"]


def test_a_refused_action_stays_on_the_case_and_keeps_the_queue(city, walk, login):
    a, b = walk.to(State.REPORTED), walk.to(State.REPORTED)
    client = login(city["operator"])
    queue = "/cases/queue/accept/"
    response = client.post(f"/cases/{a.pk}/act/reject/", {"next": f"/cases/{b.pk}/", "queue": queue})
    assert response["Location"].startswith(f"/cases/{a.pk}/?queue=")
    assert Case.objects.get(pk=a.pk).state == State.REPORTED


def test_a_foreign_queue_address_is_ignored(city, walk, login):
    a, _b = walk.to(State.REPORTED), walk.to(State.REPORTED)
    client = login(city["operator"])
    page = client.get(f"/cases/{a.pk}/", {"queue": "https://evil.example/cases/queue/accept/"}).content.decode()
    assert 'name="queue"' not in page and 'class="case-nav"' not in page
    page = client.get(f"/cases/{a.pk}/", {"queue": "/cases/queue/accept/"}).content.decode()
    assert 'name="queue"' in page and 'class="case-nav"' in page


def test_batch_accept_acts_case_by_case_and_reports_the_refusals(city, walk, login):
    a, b = walk.to(State.REPORTED), walk.to(State.ACCEPTED)
    client = login(city["operator"])
    response = client.post("/cases/queue/batch/accept/", {"case_ids": [a.pk, b.pk], "reason": "批量受理"},
                           follow=True)  # fmt: skip
    text = response.content.decode()
    assert Case.objects.get(pk=a.pk).state == State.ACCEPTED
    assert CaseEvent.objects.filter(case=a, action="accept", reason="批量受理").count() == 1
    assert f"{b.number}" in text and "拒绝" in text
    assert not CaseEvent.objects.filter(case=b, action="accept").exclude(reason="").exists()


def test_batch_dispatch_sends_each_case_to_the_chosen_or_else_the_suggested_department(city, walk, login):
    cases = [walk.to(State.FILED), walk.to(State.FILED)]
    client = login(city["dispatcher"])
    response = client.post("/cases/queue/batch/dispatch/", {"case_ids": [cases[0].pk]}, follow=True)
    assert "没有建议的处置部门" in response.content.decode()  # the test city has no routing rule
    assert Case.objects.get(pk=cases[0].pk).state == State.FILED
    client.post("/cases/queue/batch/dispatch/", {"case_ids": [c.pk for c in cases], "department_id": city.sanitation.pk})
    for c in cases:
        c.refresh_from_db()
        assert c.state == State.DISPATCHED and c.current_department_id


def test_outsiders_cannot_batch(city, walk, login):
    a = walk.to(State.REPORTED)
    assert login(city["outsider"]).post("/cases/queue/batch/accept/", {"case_ids": [a.pk]}).status_code == 403
    assert login(city["dispatcher"]).post("/cases/queue/batch/accept/", {"case_ids": [a.pk]}).status_code == 403
    assert login(city["operator"]).post("/cases/queue/batch/close/", {"case_ids": [a.pk]}).status_code == 404
    assert login(city["operator"]).get("/cases/queue/batch/accept/").status_code == 405
    assert Case.objects.get(pk=a.pk).state == State.REPORTED


def test_a_batch_with_nothing_ticked_says_so_and_changes_nothing(city, walk, login):
    a = walk.to(State.REPORTED)
    response = login(city["operator"]).post("/cases/queue/batch/accept/", {"case_ids": ["x"]}, follow=True)
    assert "至少" in response.content.decode() and Case.objects.get(pk=a.pk).state == State.REPORTED


def _panels(html):
    return [p.split('"', 1)[0] for p in html.split('data-action="')[1:]]


def test_the_primary_form_opens_first_and_destructive_ones_come_last_with_a_confirmation(city, walk, login):
    accepted = walk.to(State.ACCEPTED)
    page = login(city["shift_leader"]).get(f"/cases/{accepted.pk}/").content.decode()
    panels = _panels(page)
    assert panels[0] == "file" and panels[-1] == "void"
    assert 'open data-action="file"' in page
    assert 'name="confirm" value="1" required' in page.split('data-action="void"')[1]
    dispatched = walk.to(State.DISPATCHED)
    panels = _panels(login(city["department_handler"]).get(f"/cases/{dispatched.pk}/").content.decode())
    assert panels[0] == "reply" and panels[-1] == "return"


def test_approval_forms_appear_only_while_a_request_is_pending(city, walk, login):
    case = walk.to(State.DISPATCHED)
    client = login(city["dispatcher"])
    panels = _panels(client.get(f"/cases/{case.pk}/").content.decode())
    assert "deny_hang_up" not in panels and "approve_extension" not in panels and "hang_up" in panels
    walk.act(case, "request_hang_up", "department_handler", reason="需专项资金")
    panels = _panels(client.get(f"/cases/{case.pk}/").content.decode())
    assert "deny_hang_up" in panels and "approve_extension" not in panels


def test_departments_are_grouped_by_kind_with_the_suggested_one_first(city, walk, login):
    case = walk.to(State.FILED)
    page = login(city["dispatcher"]).get(f"/cases/{case.pk}/").content.decode()
    select = page.split('id="dispatch-dept"', 1)[1].split("</select>", 1)[0]
    assert select.count("<optgroup") >= 2
    assert FilingCondition  # the walk filed with the matter's condition


def test_stock_phrases_are_offered_under_their_action_only(city, walk, login):
    from ..models import StockPhrase

    StockPhrase.objects.create(action="reject", text="不属于城管受理范围")
    StockPhrase.objects.create(action="accept", text="旧的用语", is_active=False)
    page = login(city["operator"]).get(f"/cases/{walk.to(State.REPORTED).pk}/").content.decode()
    reject = page.split('data-action="reject"', 1)[1].split("</details>", 1)[0]
    accept = page.split('data-action="accept"', 1)[1].split("</details>", 1)[0]
    assert "不属于城管受理范围" in reject and 'class="stock-phrases"' in reject
    assert "stock-phrases" not in accept and "旧的用语" not in page
