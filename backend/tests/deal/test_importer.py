"""The deal row handler that the import job calls for each CSV row."""

import pytest

from mancrel.core.permissions import Role
from mancrel.dataimport.handlers import RowError
from mancrel.deal import importer
from mancrel.deal import service as deal_service
from tests.deal.factories import make_company, make_contact, stage_named
from tests.factories import make_user


async def test_rows_become_deals_in_the_named_stage_linked_by_email_and_company(db):
    manager = await make_user(db, role=Role.manager)
    rep = await make_user(db, role=Role.rep, email="rita.import@example.com")
    contact = await make_contact(db, owner=rep)
    company = await make_company(db, owner=rep, name="Roastery Nord")
    row = {"title": "Roaster upgrade", "amount": "4200.00", "currency": "eur", "stage": "proposal",
           "owner_email": "rita.import@example.com", "contact_email": contact.emails[0], "company": "Roastery Nord",
           "expected_close_date": "2027-01-15"}
    result = await importer.import_row(db, values=row, actor=manager)
    assert result.created
    deal = await deal_service.get(db, result.record_id)
    assert deal.stage_id == (await stage_named(db, "Proposal")).id
    assert (deal.owner_id, deal.contact_id, deal.company_id) == (rep.id, contact.id, company.id)
    assert str(deal.amount) == "4200.00" and deal.currency == "EUR"

    again = await importer.import_row(db, values=row, actor=manager)
    assert not again.created and again.record_id == deal.id and "duplicate" in again.message


@pytest.mark.parametrize("row, message", [
    ({"title": "x", "stage": "Dreaming"}, "stage"),
    ({"title": "x", "pipeline": "Nope"}, "pipeline"),
    ({"title": "x", "owner_email": "ghost@example.com"}, "owner_email"),
    ({"title": "x", "contact_email": "nobody@example.com"}, "contact_email"),
    ({"title": "x", "amount": "lots"}, "amount"),
    ({"amount": "10"}, "title"),
])
async def test_bad_rows_are_reported_with_the_column(db, row, message):
    manager = await make_user(db, role=Role.manager)
    with pytest.raises(RowError, match=message):
        await importer.import_row(db, values=row, actor=manager)


async def test_lost_rows_keep_their_reason(db):
    manager = await make_user(db, role=Role.manager)
    result = await importer.import_row(db, values={"title": "Old lead", "stage": "Lost", "lost_reason": "Too pricey"},
                                       actor=manager)
    deal = await deal_service.get(db, result.record_id)
    assert deal.status == "lost" and deal.lost_reason == "Too pricey"
