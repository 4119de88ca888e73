"""Shared record mechanics on a real table (contacts): versions, ETags, If-Match, CSV safety."""

import pytest
from sqlalchemy import update
from sqlalchemy.orm.exc import StaleDataError

from mancrel.contact.models import Contact
from mancrel.core.csv_export import cell
from mancrel.core.records import StaleRecord, check_if_match, etag
from tests.contact.factories import make_contact, quick_user


async def test_every_update_bumps_the_version(db):
    contact = await make_contact(db, actor=await quick_user(db))
    assert (contact.version, etag(contact)) == (1, '"1"')
    contact.title = "Buyer"
    await db.flush()
    assert (contact.version, etag(contact)) == (2, '"2"')


async def test_a_write_based_on_an_old_read_fails_instead_of_overwriting(db):
    contact = await make_contact(db, actor=await quick_user(db))
    # Someone else's update lands between our read and our write.
    await db.execute(update(Contact).where(Contact.id == contact.id)
                     .values(title="Theirs", version=Contact.version + 1).execution_options(synchronize_session=False))
    contact.title = "Ours"
    with pytest.raises(StaleDataError):
        await db.flush()


@pytest.mark.parametrize("header", [None, '"3"', 'W/"3"', '"1", "3"', "*"])
async def test_if_match_accepts_the_current_version(header):
    check_if_match(header, Contact(version=3))


@pytest.mark.parametrize("header", ['"2"', '"03"', "3", ""])
async def test_if_match_refuses_anything_else(header):
    with pytest.raises(StaleRecord) as raised:
        check_if_match(header, Contact(version=3))
    assert raised.value.status == 412 and raised.value.extra["current_etag"] == '"3"'


@pytest.mark.parametrize(("value", "written"), [
    ("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-1", "'-1"), ("@cmd", "'@cmd"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("plain", "plain"), (None, ""), (["a", "=b"], "a; =b"), (["=a"], "'=a"),
])
def test_csv_cells_cannot_become_formulas(value, written):
    assert cell(value) == written
