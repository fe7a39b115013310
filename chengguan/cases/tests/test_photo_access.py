"""Case photos are served only through an access-checked view: the case's data scope decides (anonymous
visitors, outsiders and departments the case never reached get 404); `/media/` serves nothing; a citizen sees
the after-photo of their closed case through the portal's own public URL."""

import pytest
from django.test import Client

from ..models import Attachment
from .conftest import Upload, png_bytes


@pytest.fixture
def case(walk, city):
    before = walk.photo(city["supervisor"])
    Attachment.objects.filter(pk=before).update(kind="before")
    return walk.to("dispatched", photos=[before])


@pytest.fixture
def photo(case):
    return case.attachments.get()


def url(photo):
    return f"/cases/photos/{photo.pk}/"


@pytest.mark.parametrize("persona", ["supervisor", "operator", "dispatcher", "department_handler", "admin"])
def test_people_who_see_the_case_get_its_photo(login, city, photo, persona):
    response = login(city[persona]).get(url(photo))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == photo.file.open("rb").read()
    assert response["Cache-Control"] == "private, max-age=3600"


@pytest.mark.parametrize("persona", ["outsider", "nobody", "roads_handler"])
def test_people_outside_the_case_scope_get_404(login, city, photo, persona):
    assert login(city[persona]).get(url(photo)).status_code == 404


def test_an_anonymous_visitor_gets_404(photo):
    assert Client().get(url(photo)).status_code == 404
    assert Client().get("/cases/photos/999999/").status_code == 404


def test_an_api_client_with_a_bearer_token_gets_the_photo_in_its_scope_only(api_client, city, case, photo):
    detail = api_client(city["department_handler"]).get(f"/api/v1/cases/{case.pk}").json()
    assert detail["photos"][0]["url"] == url(photo)
    assert api_client(city["department_handler"]).get(url(photo)).status_code == 200
    assert api_client(city["outsider"]).get(url(photo)).status_code == 404
    assert Client(HTTP_AUTHORIZATION="Bearer not-a-token").get(url(photo)).status_code == 404


def test_the_media_url_serves_nothing_even_to_staff(login, city, photo, settings):
    for client in (Client(), login(city["admin"])):
        assert client.get(f"/{settings.MEDIA_URL}{photo.file.name}").status_code == 404


def test_an_unattached_upload_is_visible_to_its_uploader_only(login, city, walk):
    pending = Attachment.objects.get(pk=walk.photo(city["supervisor"]))
    assert login(city["supervisor"]).get(url(pending)).status_code == 200
    assert login(city["operator"]).get(url(pending)).status_code == 404


def test_the_web_server_can_send_the_file_after_the_check(login, city, photo, settings):
    settings.MEDIA_SERVING = "x-accel-redirect"
    response = login(city["department_handler"]).get(url(photo))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{photo.file.name}"
    assert login(city["outsider"]).get(url(photo)).status_code == 404
    settings.MEDIA_SERVING = "x-sendfile"
    response = login(city["department_handler"]).get(url(photo))
    assert response["X-Sendfile"] == photo.file.path


def test_the_case_page_links_photos_through_the_checked_view(login, city, case, photo):
    html = login(city["supervisor"]).get(f"/cases/{case.pk}/").content.decode()
    assert f'src="{url(photo)}"' in html and "/media/" not in html


def test_a_citizen_sees_the_after_photo_of_their_closed_case_on_the_portal(walk, city):
    case = walk.to("dispatched", by=None, source="citizen", reporter_phone="13912341234")
    handler = city["department_handler"]
    case = walk.act(case, "reply", "department_handler", reason="已清理", photos=[walk.photo(handler)])
    case = walk.act(walk.act(case, "check_pass", "supervisor"), "close", "shift_leader")
    after = case.attachments.get(kind="after")
    citizen = Client()
    assert citizen.get(f"/p/photos/{after.pk}/").status_code == 200
    assert citizen.get(url(after)).status_code == 404  # the staff URL stays closed to the public


def test_a_missing_file_is_a_404_not_a_crash(login, city, photo):
    photo.file.storage.delete(photo.file.name)
    assert login(city["supervisor"]).get(url(photo)).status_code == 404


def test_an_upload_answer_points_at_the_checked_view(api_client, city, walk):
    client = api_client(city["supervisor"])
    response = client.post("/api/v1/cases/attachments", {"file": Upload(png_bytes(), "x.png")})
    assert response.status_code == 201 and response.json()["url"].startswith("/cases/photos/")
