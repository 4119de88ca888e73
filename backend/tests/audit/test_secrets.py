"""Secrets never reach the audit log: each model declares its secret columns, and every
mapped model is held to it."""

import re

from sqlalchemy import select

from mancrel.audit import service as audit_service
from mancrel.catalog.models import CatalogSource
from mancrel.core.db import Base
from mancrel.core.permissions import Role
from tests.factories import auth_headers, make_user

# What a secret column tends to be called. A match must be declared in the model's
# SECRET_FIELDS, or listed below as reviewed and not secret.
LOOKS_SECRET = re.compile(r"secret|password|token|credential|encrypted|hash|api_?key|private")
NOT_SECRET = {
    ("catalog_sources", "previous_secret_expires_at"),  # when the old secret stops verifying
    ("inbound_events", "replay_token"),  # a provider's one-time nonce, spent once stored
    ("channels", "token_error"),  # Meta's refusal of the access token (its message, never the token)
    ("channels", "token_error_at"),
}


def test_every_column_that_looks_secret_is_declared_by_its_model() -> None:
    import mancrel.models  # noqa: F401 (every model registered)

    undeclared = []
    for mapper in Base.registry.mappers:
        declared = audit_service.secret_fields(mapper.class_)
        table = mapper.local_table.name
        assert declared <= {c.key for c in mapper.column_attrs}, f"{table} declares a secret it does not have"
        undeclared += [f"{table}.{c.key}" for c in mapper.column_attrs
                       if LOOKS_SECRET.search(c.key) and c.key not in declared and (table, c.key) not in NOT_SECRET]
    assert undeclared == []


def test_declared_secrets_cover_every_credential_of_a_source() -> None:
    assert audit_service.secret_fields(CatalogSource) == {
        "webhook_secret_encrypted", "previous_secret_encrypted", "poll_credentials_encrypted"}


async def test_source_credentials_never_reach_the_audit_log(client, db) -> None:
    admin = await make_user(db, role=Role.admin)
    headers = auth_headers(admin)
    created = await client.post("/api/v1/catalog/sources", headers=headers, json={
        "name": "Audited shop", "kind": "shopify", "webhook_secret": "shpss_first_secret",
        "poll_url": "https://trailhead.myshopify.com/admin/api/2025-10/products.json",
        "poll_credentials": "shpat_first_token"})
    assert created.status_code == 201, created.text
    source_id = created.json()["id"]
    updated = await client.patch(f"/api/v1/catalog/sources/{source_id}", headers=headers, json={
        "webhook_secret": "shpss_second_secret", "poll_credentials": "shpat_second_token",
        "poll_interval_seconds": 900})
    assert updated.status_code == 200, updated.text
    source = await db.scalar(select(CatalogSource).where(CatalogSource.name == "Audited shop"))
    ciphertexts = [source.webhook_secret_encrypted, source.previous_secret_encrypted,
                   source.poll_credentials_encrypted]

    response = await client.get(f"/api/v1/audit?entity_type=catalog_source&entity_id={source_id}", headers=headers)
    update, create = response.json()["items"]
    assert (create["action"], update["action"]) == ("catalog_source.created", "catalog_source.updated")
    for secret in [*ciphertexts, "shpss_first_secret", "shpss_second_secret", "shpat_first_token",
                   "shpat_second_token", "_encrypted"]:
        assert secret not in response.text
    # The change is still told: what changed, never the value.
    assert update["after"]["poll_interval_seconds"] == 900
    assert update["after"]["webhook_secret"] == "rotated" and update["after"]["poll_credentials"] == "changed"
    assert create["after"]["name"] == "Audited shop"


async def test_a_snapshot_asked_for_a_secret_by_name_still_leaves_it_out(db) -> None:
    user = await make_user(db, role=Role.rep)
    assert audit_service.snapshot(user, ["email", "password_hash"]) == {"email": user.email}
