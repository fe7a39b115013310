"""/api/v1/tasks: OpenAPI operations, the story through the API, refusals with the field named."""

import pytest

from chengguan.cases.testing import Upload, png_bytes
from chengguan.tasks.models import Task

pytestmark = pytest.mark.django_db


def test_the_tasks_operations_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/tasks", "/api/v1/tasks/{task_id}", "/api/v1/tasks/{task_id}/progress",
            "/api/v1/tasks/meetings", "/api/v1/tasks/meetings/{meeting_id}/decisions", "/api/v1/tasks/problems",
            "/api/v1/tasks/board"} <= set(paths)


def test_a_decision_through_the_api_becomes_a_task_and_the_owner_completes_it(city, frozen, api_client, media):
    api = api_client(city["leader"])
    meeting = api.post("/api/v1/tasks/meetings", {"kind": "biweekly", "title": "双周例会", "held_at":
                       "2026-03-10T09:00:00+08:00", "region": city.city.code}, content_type="application/json")
    assert meeting.status_code == 201, meeting.content
    decided = api.post(f"/api/v1/tasks/meetings/{meeting.json()['id']}/decisions", {
        "title": "道路破损修复", "owner_department": "ROADS", "owner_person": "roads_handler", "working_days": 3},
        content_type="application/json")
    assert decided.status_code == 201, decided.content
    task_id = decided.json()["id"]
    assert decided.json()["light"] == "green"
    owner = api_client(city["roads_handler"])
    done = owner.post(f"/api/v1/tasks/{task_id}/progress", {"percent": 100, "text": "修复完成", "closes": "true",
                                                           "files": [Upload(png_bytes())]})
    assert done.status_code == 201, done.content
    assert done.json()["status"] == "done" and len(done.json()["reports"][0]["evidence"]) == 1
    assert api_client(city["leader"]).get("/api/v1/tasks/board").json()["counts"]["done"] == 1


def test_the_api_refuses_outsiders_and_names_the_field(city, frozen, api_client, volunteer):
    leader = api_client(city["leader"])
    created = leader.post("/api/v1/tasks", {"title": "队伍建设", "owner_department": "ZD-A", "working_days": 5},
                          content_type="application/json")
    assert created.status_code == 201
    task_id = created.json()["id"]
    bad = leader.post("/api/v1/tasks", {"title": "x", "owner_department": "NOPE", "working_days": 5},
                      content_type="application/json")
    assert bad.status_code == 422 and bad.json()["field"] == "owner_department"
    late = leader.post("/api/v1/tasks", {"title": "x", "owner_department": "ZD-A"}, content_type="application/json")
    assert late.status_code == 422 and late.json()["field"] == "deadline"
    for user in (city["outsider"], volunteer, city["nobody"]):
        api = api_client(user)
        assert api.get(f"/api/v1/tasks/{task_id}").status_code in (403, 404)
        assert api.post(f"/api/v1/tasks/{task_id}/progress", {"percent": 50, "text": "x"}).status_code in (403, 404)
        assert api.post("/api/v1/tasks", {"title": "x", "owner_department": "ZD-A", "working_days": 2},
                        content_type="application/json").status_code == 403
        listed = api.get("/api/v1/tasks")
        assert listed.status_code == 403 or all(t["id"] != task_id for t in listed.json())
    assert Task.objects.count() == 1 and Task.objects.get().percent == 0


def test_a_problem_from_a_case_needs_the_case_and_gets_a_rectification_task(city, frozen, api_client):
    api = api_client(city["dispatcher"])
    missing = api.post("/api/v1/tasks/problems", {"title": "井盖缺失", "source": "case", "department": "ROADS",
                                                   "working_days": 2}, content_type="application/json")
    assert missing.status_code == 422 and missing.json()["field"] == "case"
    made = api.post("/api/v1/tasks/problems", {"title": "背街照明不足", "source": "inspection",
                                                "department": "ROADS", "working_days": 5},
                    content_type="application/json")
    assert made.status_code == 201, made.content
    task = Task.objects.get(number=made.json()["task"])
    assert task.kind == Task.Kind.RECTIFICATION and task.owner_department == city.roads
    refused = api_client(city["supervisor"]).post("/api/v1/tasks/problems", {
        "title": "x", "source": "inspection", "department": "ROADS", "working_days": 2},
        content_type="application/json")
    assert refused.status_code == 403
