"""The cases API takes a description of up to 4,000 characters — the Open311 limit — and refuses 4,001 naming
the field, writing nothing (the same rule as Open311 and the hotline: chengguan/public/tests)."""

import json

from ..models import Case
from ..services.intake import DESCRIPTION_MAX_LENGTH
from .conftest import POINT_A

URL = "/api/v1/cases"


def post(client, description):
    body = {"matter_code": "06010", "lng": POINT_A[0], "lat": POINT_A[1], "description": description}
    return client.post(URL, json.dumps(body), content_type="application/json")


def test_it_takes_4000_characters_in_full(city, grids, frozen, api_client):
    response = post(api_client(city["supervisor"]), "长" * DESCRIPTION_MAX_LENGTH)
    assert response.status_code == 201, response.content
    assert Case.objects.get().description == "长" * 4000


def test_it_refuses_4001_characters_naming_the_field(city, grids, frozen, api_client):
    response = post(api_client(city["supervisor"]), "长" * 4001)
    assert response.status_code == 422 and response.json()["field"] == "description"
    assert "4000" in response.json()["detail"]
    assert not Case.objects.exists()
