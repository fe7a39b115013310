"""The supervisor's offline queue (cases/_outbox.html, static/cases/outbox.js) sends each kept report to the
API as multipart with its photos, the time it was made and its client id as the Idempotency-Key: a report
sent again — the answer lost on a bad line, or the page sending it once more after a reload — is one case."""

from datetime import timedelta

from ..models import Attachment, Case, IdempotencyKey
from .conftest import POINT_A, T0, Upload, png_bytes

URL = "/api/v1/cases"


def queued(**extra):
    data = {
        "source": "supervisor", "channel": "app", "matter_code": "06010", "lng": str(POINT_A[0]),
        "lat": str(POINT_A[1]), "crs": "gcj02", "description": "人行道暴露垃圾", "address": "西门大街 3 号",
        "severity": "normal", "reported_at": (T0 - timedelta(hours=2)).isoformat(),
    }  # fmt: skip
    data.update(extra)
    return data


def send(client, key, **extra):
    data = queued(**extra)
    data["photos"] = [Upload(png_bytes(), "a.png")]
    return client.post(URL, data=data, HTTP_IDEMPOTENCY_KEY=key)


def test_a_report_sent_twice_with_its_client_id_is_one_case(city, grids, frozen, api_client):
    client = api_client(city["supervisor"])
    first = send(client, "4b1f0c7e-0000-4000-8000-000000000001")
    again = send(client, "4b1f0c7e-0000-4000-8000-000000000001")
    assert (first.status_code, again.status_code) == (201, 200), again.content
    assert first.json()["id"] == again.json()["id"]
    case = Case.objects.get()
    assert case.reported_at == T0 - timedelta(hours=2)  # when it was seen, not when the line came back
    assert case.attachments.count() == 1
    assert Attachment.objects.count() == 1  # the re-sent photo is not kept twice
    assert IdempotencyKey.objects.count() == 1
    other = send(client, "4b1f0c7e-0000-4000-8000-000000000002")  # positive control: a new id is a new case
    assert other.status_code == 201 and Case.objects.count() == 2


def test_a_refused_report_says_why_and_creates_nothing(city, grids, frozen, api_client):
    client = api_client(city["supervisor"])
    response = send(client, "k-bad", matter_code="99999")
    assert response.status_code == 422 and response.json()["field"] == "matter_code"
    assert response.json()["detail"]
    assert not Case.objects.exists() and not IdempotencyKey.objects.exists() and not Attachment.objects.exists()


def test_an_outsider_without_a_session_cannot_send(city, grids, frozen, client):
    response = client.post(URL, data=queued(), HTTP_IDEMPOTENCY_KEY="k-anon")
    assert response.status_code == 401 and not Case.objects.exists()


def test_the_report_page_and_home_show_the_queue(city, grids, frozen, client):
    client.force_login(city["supervisor"])
    for path in ("/m/report/", "/m/"):
        page = client.get(path).content.decode()
        assert "data-outbox" in page and "cases/outbox.js" in page, path
    assert 'data-form="report-form"' in client.get("/m/report/").content.decode()
