"""GET requests (and requests/<id>) from rows, streamed: the same bytes as the model-based serialiser it replaced
(tests/open311_reference.py), in JSON and XML, with and without extensions, on a page holding every kind of
request; a streamed answer does no query while it is sent."""

import json

import pytest
from django.utils import translation

from chengguan.cases.models import Case
from chengguan.cases.services import case_act
from chengguan.public.models import Open311Submission
from chengguan.public.open311 import render, views

from . import open311_reference as reference
from .conftest import POINT_B, act, close_case
from .test_open311 import BASE, fms_post, report  # noqa: F401  (the `report` fixture)


@pytest.fixture
def every_kind(client, city, report, open311_key):  # noqa: F811
    """Open, open at a department (expected time), closed with an after-photo and updates, rejected with a
    reason, merged into another, one from Open311 with a media_url, text that XML must escape, no address."""
    closed = close_case(city, report(phone="13800000001"))
    at_department = report(
        phone="13800000002", description="井盖缺失 <b>&amp; 13912345678</b>", point=POINT_B
    )
    for step, by, params in (("accept", "operator", {}), ("file", "shift_leader", {}),
                             ("dispatch", "dispatcher", {"department_id": city.sanitation.pk})):  # fmt: skip
        at_department = act(city, at_department, step, by, **params)
    rejected = case_act(actor=city["operator"], case=report(phone="13800000003"), action="reject",
                        reason="不属于城管范围，请拨打 13912345678")  # fmt: skip
    target = report(phone="13800000004")
    merged = act(city, report(phone="13800000005"), "merge", "operator", target_id=target.number)
    posted = fms_post(client, open311_key, fmt="json", **{"attribute[fixmystreet_id]": "77"})
    assert posted.status_code == 200, posted.content
    number = posted.json()[0]["service_request_id"]
    assert Open311Submission.objects.get(case__number=number).media_url.startswith("https://")
    plain = report(phone="13800000006")
    Case.objects.filter(pk=plain.pk).update(address="")
    return {"closed": closed, "at_department": at_department, "rejected": rejected, "merged": merged,
            "target": target, "open311": number, "plain": plain}  # fmt: skip


def expected(numbers, *, extensions):
    cases = {c.number: c for c in reference.base_queryset(extensions=extensions)}
    with translation.override("en"):
        return [
            reference.request_dict(
                cases[n], absolute=lambda p: "http://testserver" + p, extensions=extensions
            )
            for n in numbers
        ]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("extensions", [False, True])
def test_the_listing_answers_what_the_model_serialiser_answered(client, every_kind, extensions):
    params = {"extensions": "true"} if extensions else {}
    as_json = client.get(BASE + "requests.json", params)
    assert as_json.status_code == 200
    numbers = [d["service_request_id"] for d in as_json.json()]
    assert len(numbers) == 7
    data = expected(numbers, extensions=extensions)
    by_number = {d["service_request_id"]: d for d in data}
    # every kind is on the page (positive controls for the fields compared)
    assert by_number[every_kind["open311"]]["media_url"].startswith("https://")
    assert by_number[every_kind["closed"].number]["media_url"].startswith("http://testserver/p/photos/")
    assert by_number[every_kind["closed"].number]["status"] == "closed"
    assert by_number[every_kind["at_department"].number]["agency_responsible"]
    assert by_number[every_kind["at_department"].number]["expected_datetime"]
    assert "&" in by_number[every_kind["at_department"].number]["description"]
    assert by_number[every_kind["plain"].number]["address"] is None
    if extensions:
        assert (
            by_number[every_kind["merged"].number]["extended_attributes"]["duplicate_of"]
            == every_kind["target"].number
        )
        assert "13912345678" not in by_number[every_kind["rejected"].number]["status_notes"]
        assert "不属于城管范围" in by_number[every_kind["rejected"].number]["status_notes"]
        assert len(by_number[every_kind["closed"].number]["notes"]) >= 5
    assert as_json.content == json.dumps(data, ensure_ascii=False).encode()
    as_xml = client.get(BASE + "requests.xml", params)
    assert as_xml.content == reference.to_xml("service_requests", data).encode()
    for number in numbers:
        one = client.get(f"{BASE}requests/{number}.xml", params)
        assert one.content == reference.to_xml("service_requests", [by_number[number]]).encode()
        one = client.get(f"{BASE}requests/{number}.json", params)
        assert one.content == json.dumps([by_number[number]], ensure_ascii=False).encode()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_large_page_is_streamed_in_chunks_with_the_same_bytes(
    client, every_kind, monkeypatch, fmt, django_assert_num_queries
):
    whole = client.get(f"{BASE}requests.{fmt}", {"extensions": "true"})
    assert not whole.streaming and whole["Content-Length"] == str(len(whole.content))
    monkeypatch.setattr(views, "STREAM_ABOVE", 3)
    monkeypatch.setattr(render, "CHUNK_ITEMS", 3)
    streamed = client.get(f"{BASE}requests.{fmt}", {"extensions": "true"})
    assert streamed.streaming and not streamed.has_header("Content-Length")
    with django_assert_num_queries(0):
        chunks = list(streamed.streaming_content)
    assert len(chunks) == 3  # 7 items: 3 + 3 + 1 (with the closing bracket)
    assert b"".join(chunks) == whole.content
    assert streamed["Content-Type"] == whole["Content-Type"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_empty_page_is_an_empty_list(client, db, fmt):
    response = client.get(f"{BASE}requests.{fmt}")
    assert response.status_code == 200
    assert (
        body(response)
        == (json.dumps([]) if fmt == "json" else reference.to_xml("service_requests", [])).encode()
    )


def test_the_xml_writer_writes_what_elementtree_wrote():
    value = [
        {"a": None, "b": True, "c": False, "d": 0, "e": 1.5, "f": "", "g": "x<y & z>w\x01\x0b\ufffe",
         "attributes": [], "notes": [{"n": "1"}, {"n": None}], "h": {}, "i": {"j": [1, [2, "3"]]}, "k": "中文"},
        {},
    ]  # fmt: skip
    for root in ("service_requests", "services", "errors", "discovery"):
        assert render.to_xml(root, value) == reference.to_xml(root, value)
        assert render.to_xml(root, value[0]) == reference.to_xml(root, value[0])
        assert b"".join(render.chunks("xml", root, value)) == reference.to_xml(root, value).encode()
        assert b"".join(render.chunks("json", root, value)) == json.dumps(value, ensure_ascii=False).encode()


@pytest.mark.parametrize("extensions, queries", [(False, 1), (True, 3)])
def test_a_page_is_one_query_and_two_more_with_extensions(
    client, every_kind, extensions, queries, django_assert_num_queries
):
    params = {"extensions": "true"} if extensions else {}
    with django_assert_num_queries(queries) as captured:
        response = client.get(BASE + "requests.json", params)
    assert len(response.json()) == 7  # every kind, with its photo (positive control: the photo is there)
    assert any(d["media_url"] and "/p/photos/" in d["media_url"] for d in response.json())
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert ('"cases_attachment"' in sql) and (sql.count('FROM "cases_caseevent"') == (2 if extensions else 1))
