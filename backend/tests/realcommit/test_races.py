"""Two users at once, on real commits (issue 24, reading point 6).

Each test makes two requests contend for the same row (helpers.overlapping) and checks what
the users would see: never a 5xx, at most one winner where only one can win, the loser told
to reload (412) or that the thing exists (409), and the stored record agreeing with the
winner's answer.
"""

from sqlalchemy import delete, func, select

from mancrel.contact.merge_models import ContactMerge
from mancrel.contact.models import Contact
from mancrel.core.permissions import Role
from tests.contact.factories import quick_user
from tests.deal.factories import make_contact, make_deal, stage_named
from tests.factories import auth_headers
from tests.realcommit.helpers import overlapping


def _no_server_errors(*responses) -> None:
    assert all(r.status_code < 500 for r in responses), [(r.status_code, r.text) for r in responses]


async def test_two_people_moving_one_deal_at_once_leave_it_where_the_winner_put_it(
        committed_db, committed_client, engine):
    rep, manager = await quick_user(committed_db), await quick_user(committed_db, role=Role.manager)
    deal = await make_deal(committed_db, actor=rep)
    qualified, proposal = await stage_named(committed_db, "Qualified"), await stage_named(committed_db, "Proposal")
    await committed_db.commit()
    url = f"/api/v1/deals/{deal.id}"

    moves = await overlapping(
        engine, "deals", deal.id,
        committed_client.post(f"{url}/move", json={"stage_id": str(qualified.id)}, headers=auth_headers(rep)),
        committed_client.post(f"{url}/move", json={"stage_id": str(proposal.id)}, headers=auth_headers(manager)))

    _no_server_errors(*moves)
    assert sorted(r.status_code for r in moves) == [200, 412]  # the second read a version that is gone
    winner = next(r for r in moves if r.status_code == 200).json()
    stored = (await committed_client.get(url, headers=auth_headers(manager))).json()
    assert stored["stage_id"] == winner["stage_id"]
    timeline = (await committed_client.get(f"{url}/timeline", headers=auth_headers(manager))).json()["items"]
    stage_changes = [e for e in timeline if e["kind"] == "stage_change"]
    assert len(stage_changes) == 2  # where it started, and the one move that happened


async def test_the_same_if_match_twice_at_once_lets_one_edit_through(committed_db, committed_client, engine):
    rep = await quick_user(committed_db)
    contact = await make_contact(committed_db, owner=rep)
    await committed_db.commit()
    url, headers = f"/api/v1/contacts/{contact.id}", auth_headers(rep)
    etag = (await committed_client.get(url, headers=headers)).headers["etag"]

    edits = await overlapping(
        engine, "contacts", contact.id,
        committed_client.patch(url, json={"title": "Buyer"}, headers={**headers, "If-Match": etag}),
        committed_client.patch(url, json={"title": "Owner"}, headers={**headers, "If-Match": etag}))

    _no_server_errors(*edits)
    assert sorted(r.status_code for r in edits) == [200, 412]  # never two edits from one read
    winner = next(r for r in edits if r.status_code == 200)
    stored = await committed_client.get(url, headers=headers)
    assert stored.json()["title"] == winner.json()["title"]
    assert stored.headers["etag"] == winner.headers["etag"]


async def test_merging_two_contacts_into_each_other_at_once_keeps_exactly_one(
        committed_db, committed_client, engine):
    manager, other_manager = (await quick_user(committed_db, role=Role.manager),
                              await quick_user(committed_db, role=Role.manager))
    first, second = await make_contact(committed_db), await make_contact(committed_db, first_name="Augusta")
    await committed_db.commit()
    ids, emails = [first.id, second.id], {*first.emails, *second.emails}
    try:
        merges = await overlapping(
            engine, "contacts", first.id,
            committed_client.post(f"/api/v1/contacts/{first.id}/merge", json={"other_id": str(second.id)},
                                  headers=auth_headers(manager)),
            committed_client.post(f"/api/v1/contacts/{second.id}/merge", json={"other_id": str(first.id)},
                                  headers=auth_headers(other_manager)))

        _no_server_errors(*merges)
        assert [r.status_code for r in merges].count(200) == 1
        live = list(await committed_db.scalars(
            select(Contact).where(Contact.id.in_(ids), Contact.deleted_at.is_(None))
            .execution_options(populate_existing=True)))
        assert len(live) == 1 and set(live[0].emails) == emails  # one person, nothing lost
    finally:
        await committed_db.rollback()
        await committed_db.execute(delete(ContactMerge).where(ContactMerge.primary_id.in_(ids)))
        await committed_db.commit()


async def test_the_same_new_contact_created_twice_at_once_is_stored_once(committed_db, committed_client, engine):
    rep = await quick_user(committed_db)
    await committed_db.commit()
    body = {"first_name": "Hedy", "last_name": "Lamarr", "emails": ["hedy@race.example"]}
    try:
        # Both requests check for a duplicate, then insert; the insert's foreign key check on
        # the owner is where they queue up, after both looked and found nothing.
        created = await overlapping(
            engine, "users", rep.id,
            committed_client.post("/api/v1/contacts", json=body, headers=auth_headers(rep)),
            committed_client.post("/api/v1/contacts", json=body, headers=auth_headers(rep)))

        _no_server_errors(*created)
        assert sorted(r.status_code for r in created) == [201, 409]
        stored = await committed_db.scalar(select(func.count()).select_from(Contact).where(
            Contact.emails.any("hedy@race.example"), Contact.deleted_at.is_(None)))
        assert stored == 1
    finally:
        await committed_db.rollback()
        await committed_db.execute(delete(Contact).where(Contact.emails.any("hedy@race.example")))
        await committed_db.commit()
