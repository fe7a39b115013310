"""The citizen portal's home page links the public pages other apps declare (PORTAL in navigation.py)."""

import pytest


@pytest.mark.django_db
def test_the_portal_home_links_permits_and_participation(client):
    page = client.get("/p/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "更多服务" in page
    assert 'href="/p/permits/apply/"' in page and "申请行政许可" in page
    assert 'href="/participate/consultations/"' in page and 'href="/complain/"' in page
    assert client.get("/p/permits/apply/").status_code == 200  # the link leads somewhere a citizen may go
