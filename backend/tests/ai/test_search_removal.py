"""Deleted and merged-away contacts leave search in the transaction that removes them (issue 24,
point 12): once the record answers 404, its name and email are not found either."""

from sqlalchemy import select

from mancrel.ai import indexing, repository
from mancrel.core.permissions import Role
from mancrel.worker.models import OutboxMessage
from tests.factories import auth_headers, make_user


async def _found(client, user, q: str) -> set[str]:
    response = await client.get("/api/v1/search", params={"q": q, "types": "contact"}, headers=auth_headers(user))
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


async def _new_contact(client, db, user, first: str, last: str, email: str) -> str:
    response = await client.post("/api/v1/contacts", headers=auth_headers(user),
                                 json={"first_name": first, "last_name": last, "emails": [email]})
    assert response.status_code == 201, response.text
    contact_id = response.json()["id"]
    await indexing.index_contact(db, contact_id)  # what the queued ai.embed_contact job does
    return contact_id


async def test_a_deleted_contact_is_no_longer_found_and_a_restored_one_is_queued_again(client, db):
    rep = await make_user(db, role=Role.rep)
    manager = await make_user(db, role=Role.manager)
    contact_id = await _new_contact(client, db, rep, "Oskar", "Quillfeather", "oskar@quill.example")
    assert contact_id in await _found(client, rep, "Quillfeather")

    assert (await client.delete(f"/api/v1/contacts/{contact_id}", headers=auth_headers(rep))).status_code == 204
    assert contact_id not in await _found(client, rep, "Quillfeather")
    assert contact_id not in await _found(client, manager, "oskar@quill.example")
    assert await repository.get_document(db, "contact", contact_id) is None
    assert await repository.get_embedding(db, "contact", contact_id) is None

    restored = await client.post(f"/api/v1/contacts/{contact_id}/restore", headers=auth_headers(manager))
    assert restored.status_code == 200, restored.text
    queued = await db.scalars(select(OutboxMessage.kwargs).where(OutboxMessage.task_name == "ai.embed_contact"))
    assert {"contact_id": contact_id} in [dict(k) for k in queued]
    await indexing.index_contact(db, contact_id)
    assert contact_id in await _found(client, rep, "Quillfeather")


async def test_a_merged_away_contact_is_no_longer_found(client, db):
    rep = await make_user(db, role=Role.rep)
    kept = await _new_contact(client, db, rep, "Greta", "Marlowe", "greta@work.example")
    merged = await _new_contact(client, db, rep, "Gretchen", "Thistlewood", "gretchen@home.example")
    assert merged in await _found(client, rep, "Thistlewood")

    response = await client.post(f"/api/v1/contacts/{kept}/merge", headers=auth_headers(rep),
                                 json={"other_id": merged})
    assert response.status_code == 200, response.text
    assert (await client.get(f"/api/v1/contacts/{merged}", headers=auth_headers(rep))).status_code == 404
    assert merged not in await _found(client, rep, "Thistlewood")
    assert merged not in await _found(client, rep, "gretchen@home.example")
    assert await repository.get_embedding(db, "contact", merged) is None
