from mancrel.core.permissions import Role
from tests.deal.factories import make_company, make_contact, make_deal, sales_pipeline
from tests.factories import auth_headers, make_user


async def test_board_shows_ordered_cards_with_names_and_totals_per_stage(client, db):
    rep = await make_user(db, role=Role.rep, full_name="Rita Chen")
    company = await make_company(db, owner=rep, name="Bean There GmbH")
    contact = await make_contact(db, owner=rep, first_name="Jonas", last_name="Weber", company=company)
    await make_deal(db, actor=rep, title="Cafe fit-out", amount="1200.00", contact_id=contact.id,
                    company_id=company.id)
    await make_deal(db, actor=rep, title="Spare parts", amount="300.50")
    await make_deal(db, actor=rep, title="US distributor", amount="5000", currency="USD")
    await make_deal(db, actor=rep, title="Big one", stage="Negotiation", amount="20000")
    pipeline = await sales_pipeline(db)
    board = (await client.get(f"/api/v1/pipelines/{pipeline.id}/board", headers=auth_headers(rep))).json()
    assert [s["name"] for s in board["stages"]] == ["New", "Qualified", "Proposal", "Negotiation", "Won", "Lost"]
    new = board["stages"][0]
    assert [c["title"] for c in new["cards"]] == ["Cafe fit-out", "Spare parts", "US distributor"]
    first = new["cards"][0]
    assert (first["contact_name"], first["company_name"], first["owner_name"]) == (
        "Jonas Weber", "Bean There GmbH", "Rita Chen")
    assert first["amount"] == "1200.00" and first["currency"] == "EUR"
    assert new["count"] == 3
    assert {t["currency"]: t["amount"] for t in new["totals"]} == {"EUR": "1500.50", "USD": "5000.00"}
    assert board["stages"][3]["count"] == 1 and board["stages"][1]["count"] == 0
    assert board["stages"][1]["cards"] == [] and board["stages"][1]["totals"] == []


async def test_each_stage_pages_on_its_own(client, db):
    rep = await make_user(db, role=Role.rep)
    headers = auth_headers(rep)
    for i in range(5):
        await make_deal(db, actor=rep, title=f"card {i}")
    await make_deal(db, actor=rep, title="proposal card", stage="Proposal")
    pipeline = await sales_pipeline(db)
    board = (await client.get(f"/api/v1/pipelines/{pipeline.id}/board?limit=2", headers=headers)).json()
    new = board["stages"][0]
    assert [c["title"] for c in new["cards"]] == ["card 0", "card 1"] and new["count"] == 5
    assert board["stages"][2]["next_cursor"] is None and len(board["stages"][2]["cards"]) == 1
    titles, cursor = [c["title"] for c in new["cards"]], new["next_cursor"]
    while cursor:
        more = (await client.get(f"/api/v1/pipelines/{pipeline.id}/board/stages/{new['id']}",
                                 params={"limit": 2, "cursor": cursor}, headers=headers)).json()
        assert more["count"] == 5
        titles += [c["title"] for c in more["cards"]]
        cursor = more["next_cursor"]
    assert titles == [f"card {i}" for i in range(5)]
    other_pipeline_stage = await client.get(f"/api/v1/pipelines/{pipeline.id}/board/stages/{rep.id}",
                                            headers=headers)
    assert other_pipeline_stage.status_code == 404
    assert (await client.get(f"/api/v1/pipelines/{rep.id}/board", headers=headers)).status_code == 404


async def test_reps_board_counts_only_what_they_see(client, db):
    rita, sam = await make_user(db, role=Role.rep), await make_user(db, role=Role.rep)
    manager = await make_user(db, role=Role.manager)
    await make_deal(db, actor=rita, title="Rita's", amount="100")
    await make_deal(db, actor=sam, title="Sam's", amount="200")
    await make_deal(db, actor=manager, owner=None, title="Open to all", amount="400")
    pipeline = await sales_pipeline(db)
    ritas = (await client.get(f"/api/v1/pipelines/{pipeline.id}/board", headers=auth_headers(rita))).json()
    assert [c["title"] for c in ritas["stages"][0]["cards"]] == ["Rita's", "Open to all"]
    assert ritas["stages"][0]["totals"] == [{"currency": "EUR", "amount": "500.00"}]
    managers = (await client.get(f"/api/v1/pipelines/{pipeline.id}/board", headers=auth_headers(manager))).json()
    assert managers["stages"][0]["count"] == 3


async def test_totals_follow_moves_edits_handovers_and_deletes(client, db):
    manager = await make_user(db, role=Role.manager)
    rep = await make_user(db, role=Role.rep)
    deal = await make_deal(db, actor=rep, amount="100")
    await make_deal(db, actor=rep, amount="50")
    pipeline = await sales_pipeline(db)

    async def totals(user) -> dict[str, tuple[int, list]]:
        board = (await client.get(f"/api/v1/pipelines/{pipeline.id}/board", headers=auth_headers(user))).json()
        return {s["name"]: (s["count"], [t["amount"] for t in s["totals"]]) for s in board["stages"]
                if s["count"]}

    assert await totals(rep) == {"New": (2, ["150.00"])}
    won = await client.post(f"/api/v1/deals/{deal.id}/won", headers=auth_headers(rep))
    assert won.status_code == 200
    await client.patch(f"/api/v1/deals/{deal.id}", headers=auth_headers(rep), json={"amount": "120"})
    assert await totals(rep) == {"New": (1, ["50.00"]), "Won": (1, ["120.00"])}
    other_rep = await make_user(db, role=Role.rep)
    await client.patch(f"/api/v1/deals/{deal.id}", headers=auth_headers(manager), json={"owner_id": str(other_rep.id)})
    assert await totals(rep) == {"New": (1, ["50.00"])}
    assert await totals(other_rep) == {"Won": (1, ["120.00"])}
    await client.delete(f"/api/v1/deals/{deal.id}", headers=auth_headers(manager))
    assert await totals(manager) == {"New": (1, ["50.00"])}
