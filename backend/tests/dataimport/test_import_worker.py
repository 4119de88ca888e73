"""End to end: the upload commits, the outbox publishes, a real worker process imports.

Uses its own committed session rather than `committed_db`, whose teardown empties the audit
log (append-only, so that fails); this test removes the rows it made and leaves the audit
entries, as the log is meant to.
"""

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from mancrel.contact.models import Contact
from mancrel.core.permissions import Role
from mancrel.dataimport.models import ImportJob
from mancrel.user.models import User
from mancrel.worker.models import OutboxMessage
from tests.contact.factories import quick_user
from tests.factories import auth_headers


@pytest.fixture
async def real_session(engine) -> AsyncIterator[AsyncSession]:
    async with AsyncSession(bind=engine, expire_on_commit=False) as session:
        yield session


async def _wait_until_finished(client, url, user):
    deadline = time.monotonic() + 60  # a generous bound for a cold worker, not a speed check
    while True:
        body = (await client.get(url, headers=auth_headers(user))).json()
        if body["status"] not in ("queued", "running") or time.monotonic() > deadline:
            return body
        await asyncio.sleep(0.2)


async def test_upload_is_imported_by_a_running_worker(app, real_session, celery_worker):
    user = await quick_user(real_session, role=Role.rep)
    await real_session.commit()
    user_id = user.id
    csv_text = "first_name,last_name,emails\nKatherine,Johnson,kj@nasa.example\nDorothy,Vaughan,dv@nasa.example\n"
    try:
        async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
            response = await client.post(
                "/api/v1/imports", headers=auth_headers(user), data={"object_type": "contacts"},
                files={"file": ("nasa.csv", csv_text.encode(), "text/csv")})
            assert response.status_code == 202, response.text
            url = f"/api/v1/imports/{response.json()['id']}"

            body = await _wait_until_finished(client, url, user)
        assert body["status"] == "done", celery_worker.output()[-3000:]
        assert body["created_count"] == 2
        names = set(await real_session.scalars(select(Contact.last_name).where(Contact.owner_id == user.id)))
        assert names == {"Johnson", "Vaughan"}
    finally:
        await real_session.rollback()
        ids = [str(i) for i in await real_session.scalars(select(Contact.id).where(Contact.owner_id == user_id))]
        await real_session.execute(delete(OutboxMessage).where(OutboxMessage.kwargs["contact_id"].astext.in_(ids)))
        await real_session.execute(delete(OutboxMessage).where(OutboxMessage.task_name == "crm.import_rows"))
        await real_session.execute(delete(Contact).where(Contact.owner_id == user_id))
        await real_session.execute(delete(ImportJob).where(ImportJob.created_by_id == user_id))
        await real_session.execute(delete(User).where(User.id == user_id))
        await real_session.commit()
