"""A message's classification carries its id, so a person can correct a wrong intent from the
inbox, and the correction shows on the message afterwards (findings M19)."""

from mancrel.core.permissions import Role
from tests.factories import auth_headers, make_user
from tests.insights.crm_history import days_ago, message, person


async def test_manager_corrects_a_messages_intent_and_sees_it_on_the_message(client, db):
    manager = await make_user(db, role=Role.manager)
    headers = auth_headers(manager)
    customer = await person(db, owner=manager)
    asked = await message(db, customer, at=days_ago(0.1), intent="partnership", text="Hello, do you sell gaiters?")

    def classification(listed):
        return next(m for m in listed.json()["items"] if m["id"] == str(asked.id))["classification"]

    before = classification(await client.get(f"/api/v1/conversations/{asked.conversation_id}/messages",
                                             headers=headers))
    assert before["id"] == str(asked.classification_id) and before["corrected_intent"] is None
    fixed = await client.patch(f"/api/v1/ai/classifications/{before['id']}", headers=headers,
                               json={"intent": "availability"})
    assert fixed.status_code == 200
    after = classification(await client.get(f"/api/v1/conversations/{asked.conversation_id}/messages",
                                            headers=headers))
    assert after["intent"] == "partnership" and after["corrected_intent"] == "availability"
