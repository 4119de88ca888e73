import pytest

from mancrel.core.permissions import Role
from tests.deal.factories import make_deal
from tests.factories import auth_headers, make_user


async def test_every_installation_has_the_sales_pipeline_with_ordered_stages(client, db):
    rep = await make_user(db, role=Role.rep)
    response = await client.get("/api/v1/pipelines", headers=auth_headers(rep))
    assert response.status_code == 200
    sales = next(p for p in response.json() if p["name"] == "Sales")
    assert sales["is_default"] is True
    assert [s["name"] for s in sales["stages"]] == ["New", "Qualified", "Proposal", "Negotiation", "Won", "Lost"]
    assert [s["kind"] for s in sales["stages"]][-2:] == ["won", "lost"]
    assert sales["stages"][2]["probability"] == 50


async def test_manager_builds_a_pipeline_and_rearranges_its_stages(client, db):
    manager = await make_user(db, role=Role.manager)
    headers = auth_headers(manager)
    created = await client.post("/api/v1/pipelines", headers=headers, json={
        "name": "Renewals", "stages": [{"name": "Due", "probability": 60}, {"name": "Renewed", "kind": "won",
                                                                           "probability": 100}]})
    assert created.status_code == 201
    pipeline = created.json()
    added = await client.post(f"/api/v1/pipelines/{pipeline['id']}/stages", headers=headers,
                              json={"name": "Contacted", "probability": 70, "position": 1})
    assert [s["name"] for s in added.json()["stages"]] == ["Due", "Contacted", "Renewed"]
    contacted = added.json()["stages"][1]
    moved = await client.patch(f"/api/v1/pipelines/{pipeline['id']}/stages/{contacted['id']}", headers=headers,
                               json={"position": 0, "probability": 80})
    assert [(s["name"], s["position"]) for s in moved.json()["stages"]] == [("Contacted", 0), ("Due", 1),
                                                                             ("Renewed", 2)]
    assert moved.json()["stages"][0]["probability"] == 80
    deleted = await client.delete(f"/api/v1/pipelines/{pipeline['id']}/stages/{contacted['id']}", headers=headers)
    assert deleted.status_code == 204
    fetched = await client.get(f"/api/v1/pipelines/{pipeline['id']}", headers=headers)
    assert [s["name"] for s in fetched.json()["stages"]] == ["Due", "Renewed"]
    audit = await client.get(f"/api/v1/audit?entity_type=pipeline&entity_id={pipeline['id']}",
                             headers=auth_headers(await make_user(db, role=Role.admin)))
    actions = {e["action"] for e in audit.json()["items"]}
    assert {"pipeline.created", "pipeline.stage_added", "pipeline.stage_updated", "pipeline.stage_deleted"} <= actions


async def test_bad_pipeline_changes_are_refused_and_change_nothing(client, db):
    manager = await make_user(db, role=Role.manager)
    headers = auth_headers(manager)
    sales = next(p for p in (await client.get("/api/v1/pipelines", headers=headers)).json() if p["name"] == "Sales")
    duplicate = await client.post("/api/v1/pipelines", headers=headers,
                                  json={"name": "Sales", "stages": [{"name": "A"}]})
    assert duplicate.status_code == 409
    twice = await client.post(f"/api/v1/pipelines/{sales['id']}/stages", headers=headers, json={"name": "won"})
    assert twice.status_code == 409
    no_stages = await client.post("/api/v1/pipelines", headers=headers, json={"name": "Empty", "stages": []})
    assert no_stages.status_code == 422
    assert no_stages.headers["content-type"] == "application/problem+json"
    await make_deal(db, actor=manager, stage="Proposal")
    proposal = next(s for s in sales["stages"] if s["name"] == "Proposal")
    in_use = await client.delete(f"/api/v1/pipelines/{sales['id']}/stages/{proposal['id']}", headers=headers)
    assert in_use.status_code == 409
    after = next(p for p in (await client.get("/api/v1/pipelines", headers=headers)).json() if p["name"] == "Sales")
    assert after["stages"] == sales["stages"]


@pytest.mark.parametrize("role", [Role.rep])
async def test_reps_read_pipelines_but_do_not_change_them(client, db, role):
    rep = await make_user(db, role=role)
    headers = auth_headers(rep)
    sales = (await client.get("/api/v1/pipelines", headers=headers)).json()[0]
    stage = sales["stages"][0]
    assert (await client.get(f"/api/v1/pipelines/{sales['id']}", headers=headers)).status_code == 200
    calls = [
        client.post("/api/v1/pipelines", headers=headers, json={"name": "Mine", "stages": [{"name": "A"}]}),
        client.patch(f"/api/v1/pipelines/{sales['id']}", headers=headers, json={"name": "Renamed"}),
        client.post(f"/api/v1/pipelines/{sales['id']}/stages", headers=headers, json={"name": "Extra"}),
        client.patch(f"/api/v1/pipelines/{sales['id']}/stages/{stage['id']}", headers=headers, json={"name": "X"}),
        client.delete(f"/api/v1/pipelines/{sales['id']}/stages/{stage['id']}", headers=headers),
    ]
    for call in calls:
        assert (await call).status_code == 403
    assert (await client.get("/api/v1/pipelines", headers=headers)).json()[0] == sales
