"""Whose figures: a rep reads their own and unassigned records' rows, a manager everyone's;
`owner_id` and `team_id` narrow, never widen."""

import pytest

from mancrel.team.models import Team, TeamMember
from tests.analytics.world import RANGE, build
from tests.factories import auth_headers

ENDPOINTS = ("pipeline", "deals", "revenue-by-product", "messages", "response-times", "automation", "activity")


async def _get(client, user, name, **query):
    response = await client.get(f"/api/v1/analytics/{name}", params={**RANGE, **query}, headers=auth_headers(user))
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_rep_sees_their_own_and_unassigned_figures_only(client, db):
    world = await build(db)
    a = world.a
    deals = await _get(client, a, "deals")
    # A's A1, A2, A3 and the unassigned N1 created; A4 and A1 won, A2 lost. B1 is not A's.
    assert (deals["created"], deals["won"], deals["lost"]) == (4, 2, 1)
    assert deals["win_rate"] == pytest.approx(2 / 3, abs=1e-4)
    assert deals["average_cycle_days"] == 10.25
    stages = {s["stage_name"]: (s["deal_count"], s["amount"]) for s in (await _get(client, a, "pipeline"))["stages"]}
    assert stages == {"New": (1, "50.00"), "Proposal": (1, "300.00")}
    products = (await _get(client, a, "revenue-by-product"))["items"]
    assert [(p["title"], p["quantity"], p["revenue"]) for p in products] == [("Trail Jacket", 1, "149.90"),
                                                                              ("Merino Socks", 4, "72.00")]
    messages = await _get(client, a, "messages")
    assert (messages["total"], messages["by_channel"]) == (5, {"email": 5})  # B's WhatsApp message is not there
    times = await _get(client, a, "response-times")
    assert (times["first_response"]["count"], times["resolution"]["count"]) == (3, 2)
    assert times["first_response"]["median_seconds"] == pytest.approx(3600, rel=0.011)
    automation = await _get(client, a, "automation")
    assert (automation["decided"], automation["reviewed"], automation["precision"]) == (5, 2, 0.5)
    reps = {r["owner_id"] for r in (await _get(client, a, "activity"))["reps"]}
    assert reps == {str(a.id), None}


async def test_no_figure_of_a_rep_names_another_rep(client, db):
    world = await build(db)
    for name in ENDPOINTS:
        response = await client.get(f"/api/v1/analytics/{name}", params=RANGE, headers=auth_headers(world.a))
        assert str(world.b.id) not in response.text, name


async def test_owner_and_team_filters_narrow_a_managers_view_and_never_widen_a_reps(client, db):
    world = await build(db)
    by_owner = await _get(client, world.manager, "deals", owner_id=str(world.b.id))
    assert (by_owner["created"], by_owner["won"], by_owner["average_cycle_days"]) == (1, 1, 22.0)

    team = Team(name="Team B")
    db.add(team)
    await db.flush()
    db.add(TeamMember(team_id=team.id, user_id=world.b.id))
    await db.flush()
    by_team = await _get(client, world.manager, "messages", team_id=str(team.id))
    assert by_team["by_channel"] == {"whatsapp": 1}

    # A rep asking for a colleague gets empty figures, not the colleague's.
    prying = await _get(client, world.a, "deals", owner_id=str(world.b.id))
    assert (prying["created"], prying["won"], prying["months"]) == (0, 0, [])
    assert (await _get(client, world.a, "messages", team_id=str(team.id)))["total"] == 0


async def test_an_unknown_team_is_a_404(client, db):
    world = await build(db)
    response = await client.get("/api/v1/analytics/deals", params={**RANGE, "team_id": str(world.a.id)},
                                headers=auth_headers(world.manager))
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
