"""One contact's lead score (`GET /insights/leads/{contact_id}`), for the contact card beside a
conversation: its score, trend and reasons; 404 when not scored, and for a contact the caller may not see."""

from mancrel.core.permissions import Role
from mancrel.insights.lead_score_models import LeadScore
from tests.contact.factories import quick_user
from tests.factories import auth_headers
from tests.insights.crm_history import person

REASONS = [{"feature": "asked_to_buy", "points": 18.5, "text": "Asked to buy 2 days ago"},
           {"feature": "stage", "points": 9.0, "text": "Deal in Negotiation"}]


async def test_a_rep_reads_their_contacts_score_with_reasons_and_trend(client, db) -> None:
    rep, other = await quick_user(db), await quick_user(db)
    mine, theirs = await person(db, owner=rep), await person(db, owner=other)
    for contact in (mine, theirs):
        db.add(LeadScore(contact_id=contact.id, score=72, probability=0.72, previous_score=60, reasons=REASONS,
                         features={}, model_version=3))
    await db.flush()

    response = await client.get(f"/api/v1/insights/leads/{mine.id}", headers=auth_headers(rep))
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["score"], body["trend"], body["contact"]["id"]) == (72, 12, str(mine.id))
    assert [r["text"] for r in body["reasons"]] == ["Asked to buy 2 days ago", "Deal in Negotiation"]
    # Another rep's contact is not revealed; a manager sees it.
    hidden = await client.get(f"/api/v1/insights/leads/{theirs.id}", headers=auth_headers(rep))
    assert hidden.status_code == 404 and hidden.headers["content-type"] == "application/problem+json"
    manager = await quick_user(db, role=Role.manager)
    seen = await client.get(f"/api/v1/insights/leads/{theirs.id}", headers=auth_headers(manager))
    assert seen.json()["score"] == 72


async def test_a_contact_not_scored_yet_is_a_404_that_says_why(client, db) -> None:
    rep = await quick_user(db)
    contact = await person(db, owner=rep)
    response = await client.get(f"/api/v1/insights/leads/{contact.id}", headers=auth_headers(rep))
    assert response.status_code == 404
    assert "no lead score yet" in response.json()["detail"]
