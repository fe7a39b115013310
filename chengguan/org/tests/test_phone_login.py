"""A supervisor or officer who signs in on a phone lands on the phone pages; on a desk, on home."""

import pytest


@pytest.mark.parametrize(
    ("username", "narrow", "landing"),
    [("supervisor", "1", "/m/"), ("officer", "1", "/patrol/m/"), ("assistant", "1", "/patrol/m/"),
     ("supervisor", "", "/"), ("operator", "1", "/")],
)  # fmt: skip
def test_it_sends_phone_sign_ins_to_the_phone_pages(client, city, username, narrow, landing):
    response = client.post("/accounts/login/", {"username": username, "password": f"pw-{username}", "narrow": narrow})
    assert response.status_code == 302 and response["Location"] == landing


def test_a_phone_browser_counts_as_a_phone_and_an_explicit_next_wins(client, city):
    phone = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36"}
    response = client.post("/accounts/login/", {"username": "supervisor", "password": "pw-supervisor"}, **phone)
    assert response["Location"] == "/m/"
    client.logout()
    response = client.post("/accounts/login/", {"username": "supervisor", "password": "pw-supervisor",
                                                "next": "/cases/"}, **phone)  # fmt: skip
    assert response["Location"] == "/cases/"
