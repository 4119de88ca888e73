from sqlalchemy import func, select

from mancrel.company import demo as company_demo
from mancrel.company.models import Company
from mancrel.contact import demo as contact_demo
from mancrel.contact import duplicates
from mancrel.contact.models import Contact
from mancrel.user import demo as user_demo
from mancrel.user import service as user_service


async def test_demo_seller_has_companies_contacts_and_a_few_duplicates(db):
    await user_demo.seed(db)
    await company_demo.seed(db)
    await contact_demo.seed(db)
    assert await db.scalar(select(func.count()).select_from(Company)) == 50
    contacts = list(await db.scalars(select(Contact)))
    assert len({c.lifecycle_stage for c in contacts}) == 4
    assert sum(1 for c in contacts if c.company_id) > 200
    assert all(p.startswith("+49151") and len(p) == 14 for c in contacts for p in c.phones)
    rep = await user_service.get_by_email(db, user_demo.DEMO_TEAM[1][0])
    owned = [c for c in contacts if c.owner_id == rep.id]
    assert 30 < len(owned) < 200  # the team shares the book
    manager = await user_service.get_by_email(db, user_demo.DEMO_TEAM[0][0])
    pairs, _ = await duplicates.list_pairs(db, actor=manager, limit=50, cursor=None)
    # "A few" duplicates for the merge screen, each found by the duplicate finder, on top of
    # the 300 people the demo promises (whatever the seeder's own constants say).
    assert 1 <= len(pairs) <= 10
    assert len(contacts) == 300 + len(pairs)
