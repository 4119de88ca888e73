"""Every analytics figure against values worked out by hand from tests/analytics/world.py (a
manager's view: everyone's rows)."""

from datetime import date

import pytest

from mancrel.analytics import rollup
from mancrel.reply.models import Suggestion
from tests.analytics.world import RANGE, build
from tests.factories import auth_headers


def near(expected: float):
    """Durations come back from 2.2 %-wide histogram buckets: within 1.1 % of the true value."""
    return pytest.approx(expected, rel=0.011)


async def _get(client, user, name, **query):
    response = await client.get(f"/api/v1/analytics/{name}", params={**RANGE, **query}, headers=auth_headers(user))
    assert response.status_code == 200, response.text
    return response.json()


async def test_deal_outcomes_win_rate_cycle_and_won_per_month(client, db):
    world = await build(db)
    body = await _get(client, world.manager, "deals")
    # Created in range: B1 (20 Feb), A1, A2, N1, A3; A4 was created on 10 Feb, before it.
    assert (body["created"], body["won"], body["lost"]) == (5, 3, 1)
    assert body["win_rate"] == 0.75
    assert body["average_cycle_days"] == pytest.approx((10.5 + 10 + 22) / 3, abs=0.005)  # A4, A1, B1
    assert body["months"] == [{"month": "2024-02", "won": 1, "amounts": [{"currency": "EUR", "amount": "400.00"}]},
                              {"month": "2024-03", "won": 2, "amounts": [{"currency": "EUR", "amount": "3000.00"}]}]
    assert body["won_amounts"] == [{"currency": "EUR", "amount": "3400.00"}]


async def test_pipeline_value_per_stage_and_its_change_from_the_stage_history(client, db):
    world = await build(db)
    body = await _get(client, world.manager, "pipeline")
    stages = {s["stage_name"]: s for s in body["stages"]}
    # End of 14 Mar: A3 in Proposal (moved there on 8 Mar), N1 in New. End of 14 Feb: only A4, in New.
    assert set(stages) == {"New", "Proposal"}
    assert (stages["New"]["deal_count"], stages["New"]["amount"]) == (1, "50.00")
    assert (stages["New"]["deal_count_change"], stages["New"]["amount_change"]) == (0, "-350.00")
    assert (stages["Proposal"]["deal_count"], stages["Proposal"]["amount"]) == (1, "300.00")
    assert (stages["Proposal"]["deal_count_change"], stages["Proposal"]["amount_change"]) == (1, "300.00")

    # End of 7 Mar, before A3 moved and before anything closed: five deals in New; a day before
    # 5 Mar, A3 did not exist yet.
    body = await _get(client, world.manager, "pipeline", **{"from": "2024-03-05", "to": "2024-03-07"})
    (new,) = body["stages"]
    assert (new["stage_name"], new["deal_count"], new["amount"]) == ("New", 5, "3850.00")
    assert (new["deal_count_change"], new["amount_change"]) == (1, "300.00")


async def test_revenue_by_product_counts_won_deals_only(client, db):
    world = await build(db)
    body = await _get(client, world.manager, "revenue-by-product")
    items = [(i["title"], i["quantity"], i["revenue"]) for i in body["items"]]
    # Jacket: 1 on A1 + 2 at 10 % off on B1; the 5 on the lost A2 do not count.
    assert items == [("Trail Jacket", 3, "419.72"), ("Merino Socks", 4, "72.00")]
    assert (await _get(client, world.manager, "revenue-by-product", limit=1))["items"][0]["title"] == "Trail Jacket"


async def test_messages_by_channel_and_intent_per_day(client, db):
    world = await build(db)
    body = await _get(client, world.manager, "messages")
    assert body["total"] == 6  # the junk message and the replies are not customer messages
    assert body["by_channel"] == {"email": 5, "whatsapp": 1}
    assert body["by_intent"] == {"pricing": 2, "shipping": 1, "unclassified": 1, "complaint": 1, "order_status": 1}
    days = {(d["day"], d["channel"], d["intent"]): d["count"] for d in body["days"]}
    assert days == {("2024-03-10", "email", "pricing"): 1, ("2024-03-10", "email", "shipping"): 1,
                    ("2024-03-10", "email", None): 1, ("2024-03-11", "whatsapp", "pricing"): 1,
                    ("2024-03-12", "email", "complaint"): 1, ("2024-03-12", "email", "order_status"): 1}
    assert body["interval"] == "day"

    # Longer views come in weeks (Mondays) or months, by default or when asked.
    monthly = await _get(client, world.manager, "messages", interval="month")
    assert {(d["day"], d["channel"], d["intent"]): d["count"] for d in monthly["days"]} == {
        ("2024-03-01", "email", "pricing"): 1, ("2024-03-01", "email", "shipping"): 1,
        ("2024-03-01", "email", None): 1, ("2024-03-01", "whatsapp", "pricing"): 1,
        ("2024-03-01", "email", "complaint"): 1, ("2024-03-01", "email", "order_status"): 1}
    weekly = await _get(client, world.manager, "messages", **{"from": "2023-06-01", "to": "2024-05-31"})
    assert weekly["interval"] == "week"
    assert {(d["day"], d["channel"]): d["count"] for d in weekly["days"] if d["intent"] == "pricing"} == {
        ("2024-03-04", "email"): 1, ("2024-03-11", "whatsapp"): 1}


async def test_first_response_and_resolution_times(client, db):
    world = await build(db)
    body = await _get(client, world.manager, "response-times")
    first = body["first_response"]
    # Replies after 120 s, 600 s, 3600 s (from the first of two questions) and 86400 s (a failed
    # send in between is no reply): median = 2nd of 4, p90 = 4th of 4.
    assert first["count"] == 4
    assert (first["median_seconds"], first["p90_seconds"]) == (near(600), near(86400))
    assert first["mean_seconds"] == pytest.approx((120 + 600 + 3600 + 86400) / 4)
    resolution = body["resolution"]
    # Closes 18000 s after m1, 3600 s after m4, and 1800 s after m6 (counted from the last close).
    assert resolution["count"] == 3
    assert (resolution["median_seconds"], resolution["p90_seconds"]) == (near(3600), near(18000))


async def test_ai_automation_funnel_and_precision_of_reviewed_suggestions(client, db):
    world = await build(db)
    body = await _get(client, world.manager, "automation")
    funnel = {k: body[k] for k in ("decided", "auto_sent", "approved", "edited", "rejected", "escalated", "pending",
                                   "reviewed")}
    assert funnel == {"decided": 6, "auto_sent": 1, "approved": 1, "edited": 1, "rejected": 1, "escalated": 1,
                      "pending": 1, "reviewed": 3}
    assert body["precision"] == pytest.approx(2 / 3, abs=1e-4)  # approved + edited of the reviewed
    pricing = next(i for i in body["intents"] if i["intent"] == "pricing")
    assert (pricing["decided"], pricing["auto_sent"], pricing["edited"], pricing["precision"]) == (2, 1, 1, 1.0)


async def test_the_automation_funnel_counts_replies_that_failed_to_reach_the_customer(client, db):
    world = await build(db)
    before = await _get(client, world.manager, "automation")
    assert (before["auto_sent"], before["send_failed"]) == (1, 0)
    bounced = await db.get(Suggestion, world.ids["s_m1"])  # sent automatically (pricing), then bounced
    bounced.status = "send_failed"
    await db.flush()
    await rollup.rebuild(db, date(2024, 1, 1), date(2024, 3, 31))

    body = await _get(client, world.manager, "automation")
    assert (body["decided"], body["auto_sent"], body["send_failed"], body["reviewed"]) == (6, 0, 1, 3)
    pricing = next(i for i in body["intents"] if i["intent"] == "pricing")
    assert (pricing["auto_sent"], pricing["send_failed"]) == (0, 1)


async def test_rep_activity(client, db):
    world = await build(db)
    body = await _get(client, world.manager, "activity")
    reps = {r["owner_id"]: (r["total"], r["done"], r["by_type"]) for r in body["reps"]}
    # A: two calls (one done) and a note in range; a deleted call and one from January do not count.
    assert reps == {str(world.a.id): (3, 1, {"call": 2, "note": 1}), str(world.b.id): (1, 0, {"meeting": 1}),
                    None: (1, 0, {"note": 1})}
    assert body["reps"][0]["name"] == world.a.full_name

    async def a_by_type(**query):
        reps = (await _get(client, world.manager, "activity", **query))["reps"]
        return next(r["by_type"] for r in reps if r["owner_id"] == str(world.a.id))

    # Whole months come from the monthly rollup, the days around them from the daily one: all of
    # February and March; then 15 January (after the 1 January call) to 5 March (one call so far).
    assert await a_by_type(**{"from": "2024-02-01", "to": "2024-03-31"}) == {"call": 2, "note": 1}
    assert await a_by_type(**{"from": "2024-01-15", "to": "2024-03-05"}) == {"call": 1, "note": 1}
    assert await a_by_type(**{"from": "2023-12-01", "to": "2024-01-31"}) == {"call": 1}
