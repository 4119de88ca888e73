"""`make run` demo data: the pipeline has a believable funnel and every rep has work waiting."""

import importlib

from mancrel.demo import SEEDERS
from mancrel.user import service as user_service
from tests.deal.factories import sales_pipeline
from tests.factories import auth_headers


async def test_demo_fills_the_board_and_each_reps_task_list(client, db):
    for module in SEEDERS:  # the real seeders in their registered order
        if module.split(".")[1] in ("user", "company", "contact", "deal", "activity"):
            await importlib.import_module(module).seed(db)
    manager = await user_service.get_by_email(db, "maria.manager@example.com")
    pipeline = await sales_pipeline(db)
    board = (await client.get(f"/api/v1/pipelines/{pipeline.id}/board?limit=100",
                              headers=auth_headers(manager))).json()
    counts = {s["name"]: s["count"] for s in board["stages"]}
    # A funnel: every open stage has deals, fewer at each step; some were won and some lost.
    funnel = [counts[name] for name in ("New", "Qualified", "Proposal", "Negotiation")]
    assert all(n > 0 for n in funnel) and funnel == sorted(funnel, reverse=True) and funnel[0] > funnel[-1]
    assert counts["Won"] > 0 and counts["Lost"] > 0
    won = next(s for s in board["stages"] if s["name"] == "Won")
    assert all(card["status"] == "won" for card in won["cards"])
    for email in ("rita.rep@example.com", "sam.rep@example.com", "tom.rep@example.com"):
        rep = await user_service.get_by_email(db, email)
        mine = (await client.get("/api/v1/activities/mine", headers=auth_headers(rep))).json()
        # Work waiting: something late to catch up on and something coming, all of it theirs.
        assert mine["overdue"] and mine["upcoming"]
        tasks = mine["overdue"] + mine["today"] + mine["upcoming"]
        assert all(task["owner_id"] == str(rep.id) for task in tasks)
    some_deal = board["stages"][3]["cards"][0]
    timeline = (await client.get(f"/api/v1/deals/{some_deal['id']}/timeline", headers=auth_headers(manager))).json()
    kinds = {e["kind"] for e in timeline["items"]}
    assert kinds == {"activity", "stage_change"}
