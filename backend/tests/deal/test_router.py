from decimal import Decimal

from mancrel.core.config import get_settings
from mancrel.core.permissions import Role
from tests.deal.factories import make_company, make_contact, make_deal, stage_named
from tests.factories import auth_headers, make_user


async def test_rep_creates_reads_and_edits_a_deal_with_etags(client, db):
    rep = await make_user(db, role=Role.rep)
    headers = auth_headers(rep)
    contact = await make_contact(db, owner=rep)
    company = await make_company(db, owner=rep)
    created = await client.post("/api/v1/deals", headers=headers, json={
        "title": "20 espresso machines", "contact_id": str(contact.id), "company_id": str(company.id),
        "amount": "12500.50", "currency": "eur", "expected_close_date": "2026-12-20"})
    assert created.status_code == 201
    deal = created.json()
    assert deal["amount"] == "12500.50" and deal["currency"] == "EUR"
    assert deal["owner_id"] == str(rep.id) and deal["status"] == "open"
    assert deal["stage_id"] == str((await stage_named(db, "New")).id)
    assert created.headers["etag"] == '"1"'

    fetched = await client.get(f"/api/v1/deals/{deal['id']}", headers=headers)
    assert fetched.headers["etag"] == '"1"'
    patched = await client.patch(f"/api/v1/deals/{deal['id']}", headers={**headers, "If-Match": '"1"'},
                                 json={"amount": "13000", "title": "22 espresso machines"})
    assert patched.status_code == 200
    assert patched.json()["amount"] == "13000.00" and patched.headers["etag"] == '"2"'
    stale = await client.patch(f"/api/v1/deals/{deal['id']}", headers={**headers, "If-Match": '"1"'},
                               json={"title": "overwritten"})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    again = (await client.get(f"/api/v1/deals/{deal['id']}", headers=headers)).json()
    assert again["title"] == "22 espresso machines"


async def test_invalid_deals_are_refused_and_write_nothing(client, db):
    rep = await make_user(db, role=Role.rep)
    other = await make_user(db, role=Role.rep)
    headers = auth_headers(rep)
    hidden_contact = await make_contact(db, owner=other)
    bad = [
        {"title": "", "amount": "10"},
        {"title": "Negative", "amount": "-5"},
        {"title": "Too precise", "amount": "1.234"},
        {"title": "Bad currency", "currency": "EURO"},
        {"title": "Someone else's contact", "contact_id": str(hidden_contact.id)},
        {"title": "No such stage", "stage_id": str(other.id)},
    ]
    for body in bad:
        response = await client.post("/api/v1/deals", headers=headers, json=body)
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"
    for_someone_else = await client.post("/api/v1/deals", headers=headers,
                                         json={"title": "Gift", "owner_id": str(other.id)})
    assert for_someone_else.status_code == 403
    listed = await client.get("/api/v1/deals", headers=auth_headers(await make_user(db, role=Role.admin)))
    assert listed.json()["items"] == []


async def test_move_records_history_and_keeps_the_dropped_position(client, db):
    rep = await make_user(db, role=Role.rep)
    headers = auth_headers(rep)
    _, _, c = [await make_deal(db, actor=rep, stage="Qualified", title=t) for t in ("A", "B", "C")]
    mover = await make_deal(db, actor=rep, stage="New", title="Mover")
    qualified = await stage_named(db, "Qualified")
    moved = await client.post(f"/api/v1/deals/{mover.id}/move", headers=headers,
                              json={"stage_id": str(qualified.id), "position": 1})
    assert moved.status_code == 200
    assert moved.json()["stage_id"] == str(qualified.id)
    board = (await client.get(f"/api/v1/pipelines/{qualified.pipeline_id}/board", headers=headers)).json()
    column = next(s for s in board["stages"] if s["name"] == "Qualified")
    assert [card["title"] for card in column["cards"]] == ["A", "Mover", "B", "C"]

    to_top = await client.post(f"/api/v1/deals/{c.id}/move", headers=headers,
                               json={"stage_id": str(qualified.id), "position": 0})
    assert to_top.status_code == 200
    board = (await client.get(f"/api/v1/pipelines/{qualified.pipeline_id}/board", headers=headers)).json()
    column = next(s for s in board["stages"] if s["name"] == "Qualified")
    assert [card["title"] for card in column["cards"]] == ["C", "A", "Mover", "B"]

    timeline = (await client.get(f"/api/v1/deals/{mover.id}/timeline", headers=headers)).json()
    change = timeline["items"][0]
    assert change["kind"] == "stage_change"
    assert change["data"]["from_stage_id"] == str((await stage_named(db, "New")).id)
    assert change["data"]["to_stage_id"] == str(qualified.id)
    assert change["data"]["changed_by_id"] == str(rep.id)
    assert len(timeline["items"]) == 2  # created in New, then moved


async def test_many_drops_into_one_slot_keep_the_order(client, db):
    """Each drop halves the gap; once it is used up the stage is respaced, order intact."""
    rep = await make_user(db, role=Role.rep)
    headers = auth_headers(rep)
    await make_deal(db, actor=rep, stage="Proposal", title="first")
    await make_deal(db, actor=rep, stage="Proposal", title="last")
    proposal = await stage_named(db, "Proposal")
    dropped = []
    for i in range(24):  # more drops than the gap between two cards allows
        deal = await make_deal(db, actor=rep, stage="New", title=f"d{i}")
        response = await client.post(f"/api/v1/deals/{deal.id}/move", headers=headers,
                                     json={"stage_id": str(proposal.id), "position": 1})
        assert response.status_code == 200
        dropped.append(f"d{i}")
    page = (await client.get(f"/api/v1/pipelines/{proposal.pipeline_id}/board/stages/{proposal.id}?limit=100",
                             headers=headers)).json()
    assert [c["title"] for c in page["cards"]] == ["first", *reversed(dropped), "last"]


async def test_won_and_lost_close_the_deal_and_moving_back_reopens_it(client, db):
    rep = await make_user(db, role=Role.rep)
    headers = auth_headers(rep)
    deal = await make_deal(db, actor=rep, stage="Negotiation")
    won = await client.post(f"/api/v1/deals/{deal.id}/won", headers=headers)
    assert won.status_code == 200
    assert won.json()["status"] == "won" and won.json()["closed_at"]
    assert won.json()["stage_id"] == str((await stage_named(db, "Won")).id)

    no_reason = await client.post(f"/api/v1/deals/{deal.id}/lost", headers=headers, json={})
    assert no_reason.status_code == 422
    lost = await client.post(f"/api/v1/deals/{deal.id}/lost", headers=headers, json={"reason": "Chose a rival"})
    assert lost.json()["status"] == "lost" and lost.json()["lost_reason"] == "Chose a rival"

    negotiation = await stage_named(db, "Negotiation")
    reopened = await client.post(f"/api/v1/deals/{deal.id}/move", headers=headers,
                                 json={"stage_id": str(negotiation.id)})
    body = reopened.json()
    assert body["status"] == "open" and body["closed_at"] is None and body["lost_reason"] is None
    won_stage = await stage_named(db, "Won")
    by_drag = await client.post(f"/api/v1/deals/{deal.id}/move", headers=headers,
                                json={"stage_id": str(won_stage.id)})
    assert by_drag.json()["status"] == "won"
    history = (await client.get(f"/api/v1/deals/{deal.id}/timeline", headers=headers)).json()["items"]
    assert [e["data"]["to_status"] for e in history] == ["won", "open", "lost", "won", "open"]


async def test_delete_hides_the_deal_and_only_managers_restore_it(client, db):
    rep = await make_user(db, role=Role.rep)
    manager = await make_user(db, role=Role.manager)
    deal = await make_deal(db, actor=rep)
    headers = auth_headers(rep)
    assert (await client.delete(f"/api/v1/deals/{deal.id}", headers=headers)).status_code == 204
    assert (await client.get(f"/api/v1/deals/{deal.id}", headers=headers)).status_code == 404
    assert (await client.get("/api/v1/deals", headers=headers)).json()["items"] == []
    assert (await client.post(f"/api/v1/deals/{deal.id}/restore", headers=headers)).status_code == 403
    assert (await client.get("/api/v1/deals?deleted=true", headers=headers)).status_code == 403
    deleted = (await client.get("/api/v1/deals?deleted=true", headers=auth_headers(manager))).json()["items"]
    assert [d["id"] for d in deleted] == [str(deal.id)]
    restored = await client.post(f"/api/v1/deals/{deal.id}/restore", headers=auth_headers(manager))
    assert restored.status_code == 200 and restored.json()["deleted_at"] is None
    assert (await client.get(f"/api/v1/deals/{deal.id}", headers=headers)).status_code == 200
    audit = await client.get(f"/api/v1/audit?entity_type=deal&entity_id={deal.id}",
                             headers=auth_headers(await make_user(db, role=Role.admin)))
    assert {"deal.created", "deal.deleted", "deal.restored"} <= {e["action"] for e in audit.json()["items"]}


async def test_list_filters_sorts_and_pages(client, db):
    manager = await make_user(db, role=Role.manager)
    rep = await make_user(db, role=Role.rep)
    contact = await make_contact(db, owner=rep)
    await make_deal(db, actor=rep, title="Grinder order", amount="300", contact_id=contact.id)
    await make_deal(db, actor=rep, title="Kettle order", amount="50", stage="Proposal")
    await make_deal(db, actor=manager, owner=None, title="Espresso 100%_bulk", amount="9000")
    headers = auth_headers(manager)

    by_amount = (await client.get("/api/v1/deals?sort=-amount", headers=headers)).json()["items"]
    assert [d["amount"] for d in by_amount] == ["9000.00", "300.00", "50.00"]
    searched = (await client.get("/api/v1/deals?q=order", headers=headers)).json()["items"]
    assert sorted(d["title"] for d in searched) == ["Grinder order", "Kettle order"]
    literal = (await client.get("/api/v1/deals", params={"q": "100%_"}, headers=headers)).json()["items"]
    assert [d["title"] for d in literal] == ["Espresso 100%_bulk"]
    proposal = await stage_named(db, "Proposal")
    staged = (await client.get(f"/api/v1/deals?stage_id={proposal.id}", headers=headers)).json()["items"]
    assert [d["title"] for d in staged] == ["Kettle order"]
    owned = (await client.get(f"/api/v1/deals?owner_id={rep.id}", headers=headers)).json()["items"]
    assert len(owned) == 2
    unassigned = (await client.get("/api/v1/deals?unassigned=true", headers=headers)).json()["items"]
    assert [d["title"] for d in unassigned] == ["Espresso 100%_bulk"]
    of_contact = (await client.get(f"/api/v1/deals?contact_id={contact.id}", headers=headers)).json()["items"]
    assert [d["title"] for d in of_contact] == ["Grinder order"]

    first = (await client.get("/api/v1/deals?limit=2&sort=title", headers=headers)).json()
    second = (await client.get(f"/api/v1/deals?limit=2&sort=title&cursor={first['next_cursor']}",
                               headers=headers)).json()
    titles = [d["title"] for d in first["items"] + second["items"]]
    assert titles == ["Espresso 100%_bulk", "Grinder order", "Kettle order"] and second["next_cursor"] is None
    assert (await client.get("/api/v1/deals?sort=secret", headers=headers)).status_code == 422
    assert (await client.get("/api/v1/deals?cursor=junk", headers=headers)).status_code == 422


async def test_custom_fields_are_validated_and_filterable(client, db):
    admin = await make_user(db, role=Role.admin)
    headers = auth_headers(admin)
    defined = await client.post("/api/v1/custom-fields", headers=headers, json={
        "object_type": "deal", "key": "channel", "label": "Channel", "field_type": "select",
        "options": ["web", "fair"]})
    assert defined.status_code == 201, defined.text
    ok = await client.post("/api/v1/deals", headers=headers, json={"title": "Fair lead",
                                                                  "custom_fields": {"channel": "fair"}})
    assert ok.status_code == 201
    await client.post("/api/v1/deals", headers=headers, json={"title": "Web lead", "custom_fields": {"channel": "web"}})
    bad = await client.post("/api/v1/deals", headers=headers, json={"title": "X", "custom_fields": {"channel": "tv"}})
    assert bad.status_code == 422 and "channel" in bad.text
    filtered = (await client.get("/api/v1/deals?cf.channel=fair", headers=headers)).json()["items"]
    assert [d["title"] for d in filtered] == ["Fair lead"]


async def test_export_streams_visible_filtered_deals_without_formulas(client, db):
    rep = await make_user(db, role=Role.rep)
    other = await make_user(db, role=Role.rep)
    await make_deal(db, actor=rep, title="=HYPERLINK(\"http://evil\")", amount="10")
    await make_deal(db, actor=rep, title="Plain order", amount="20")
    await make_deal(db, actor=other, title="Not yours", amount="30")
    response = await client.get("/api/v1/deals/export.csv?sort=title", headers=auth_headers(rep))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("id,title,status,amount")
    assert len(lines) == 3 and "Not yours" not in response.text
    assert "'=HYPERLINK" in response.text
    only_plain = await client.get("/api/v1/deals/export.csv", params={"q": "plain"}, headers=auth_headers(rep))
    assert len(only_plain.text.splitlines()) == 2
    assert Decimal("20.00") == Decimal(only_plain.text.splitlines()[1].split(",")[3])


async def test_a_deal_created_without_a_currency_takes_the_shops(client, db, monkeypatch):
    rep = await make_user(db, role=Role.rep)
    headers = auth_headers(rep)
    monkeypatch.setattr(get_settings(), "default_currency", "SEK")
    created = await client.post("/api/v1/deals", headers=headers, json={"title": "Two tents", "amount": "900"})
    assert created.status_code == 201 and created.json()["currency"] == "SEK"
    named = await client.post("/api/v1/deals", headers=headers,
                              json={"title": "One stove", "amount": "90", "currency": "nok"})
    assert named.json()["currency"] == "NOK"
