"""indexes that keep catalogue-event reads fast as processed events pile up; secrets out of old audit entries

Processed catalogue events are kept (the deployment's retention job prunes them), so a busy
source holds millions. Two reads walked all of them: the freshness figure's "last processed"
(max(processed_at) over the source's processed and stale events; beat computes it every 15 s)
and an admin's events page filtered to failed ones. Both get a partial index; the failed one
stays tiny, the processed one costs one index entry per applied event. bench/growth measures
every read path with and without them.

Audit snapshots copied `poll_credentials_encrypted` before models declared their secrets
(audit/service.py): those keys are removed from the entries already written, the one edit
the append-only log gets, with its trigger held off for the statement.

Revision ID: 0014_growth_indexes
Revises: 0013_import_resumes
Create Date: 2026-12-05 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_growth_indexes"
down_revision: str | Sequence[str] | None = "0013_import_resumes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SOURCE_SECRETS = ("webhook_secret_encrypted", "previous_secret_encrypted", "poll_credentials_encrypted")


def upgrade() -> None:
    op.create_index("ix_catalog_events_failed", "catalog_events", ["source_id", "received_at"],
                    postgresql_where=sa.text("status = 'failed'"))
    op.create_index("ix_catalog_events_processed", "catalog_events", ["source_id", "processed_at"],
                    postgresql_where=sa.text("status IN ('processed', 'stale')"))
    keys = "ARRAY[" + ", ".join(f"'{key}'" for key in SOURCE_SECRETS) + "]"
    op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
    op.execute(f"""
        UPDATE audit_log SET before = before - {keys}::text[], after = after - {keys}::text[]
        WHERE entity_type = 'catalog_source' AND (before ?| {keys} OR after ?| {keys})
    """)  # noqa: S608 (constant column names)
    op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")


def downgrade() -> None:
    # The removed secrets are not restored: they should never have been there.
    op.drop_index("ix_catalog_events_processed", table_name="catalog_events")
    op.drop_index("ix_catalog_events_failed", table_name="catalog_events")
