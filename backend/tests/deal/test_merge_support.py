"""What a contact merge (and its undo) asks of deals and activities."""

from mancrel.activity import service as activity_service
from mancrel.activity.schemas import ActivityCreate
from mancrel.core.permissions import Role
from mancrel.deal import service as deal_service
from tests.deal.factories import make_contact, make_deal
from tests.factories import make_user


async def test_merge_moves_deals_and_activities_and_undo_moves_exactly_those_back(db):
    manager = await make_user(db, role=Role.manager)
    kept, merged = await make_contact(db, first_name="Kept"), await make_contact(db, first_name="Merged")
    already_kept = await make_deal(db, actor=manager, contact_id=kept.id)
    moved_deal = await make_deal(db, actor=manager, contact_id=merged.id)
    note = await activity_service.create(db, data=ActivityCreate(type="note", subject="hi", contact_id=merged.id),
                                         actor=manager)

    deal_ids = await deal_service.reassign_contact(db, from_contact_id=merged.id, to_contact_id=kept.id)
    activity_ids = await activity_service.reassign_contact(db, from_contact_id=merged.id, to_contact_id=kept.id)
    assert deal_ids == [moved_deal.id] and activity_ids == [note.id]
    await db.refresh(moved_deal)
    await db.refresh(note)
    assert moved_deal.contact_id == kept.id and note.contact_id == kept.id

    await deal_service.restore_contact(db, ids=deal_ids, contact_id=merged.id)
    await activity_service.restore_contact(db, ids=activity_ids, contact_id=merged.id)
    for record in (moved_deal, note, already_kept):
        await db.refresh(record)
    assert moved_deal.contact_id == merged.id and note.contact_id == merged.id
    assert already_kept.contact_id == kept.id
