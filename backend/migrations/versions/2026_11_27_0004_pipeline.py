"""pipelines with stages (default "Sales"), deals, deal stage changes, activities

Revision ID: 0004_pipeline
Revises: 0001_platform (depends on 0003_contacts)
Create Date: 2026-11-27 18:04:34.872597
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0004_pipeline'
down_revision: str | Sequence[str] | None = '0001_platform'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = '0003_contacts'


def upgrade() -> None:
    op.create_table('pipelines',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pipelines')),
    sa.UniqueConstraint('name', name=op.f('uq_pipelines_name'))
    )
    op.create_table('pipeline_stages',
    sa.Column('pipeline_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('probability', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('open', 'won', 'lost', name='stage_kind'), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['pipeline_id'], ['pipelines.id'], name=op.f('fk_pipeline_stages_pipeline_id_pipelines'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pipeline_stages')),
    sa.UniqueConstraint('pipeline_id', 'name', name='uq_pipeline_stages_pipeline_id_name')
    )
    op.create_index(op.f('ix_pipeline_stages_pipeline_id'), 'pipeline_stages', ['pipeline_id'], unique=False)
    op.create_table('deals',
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('contact_id', sa.Uuid(), nullable=True),
    sa.Column('company_id', sa.Uuid(), nullable=True),
    sa.Column('pipeline_id', sa.Uuid(), nullable=False),
    sa.Column('stage_id', sa.Uuid(), nullable=False),
    sa.Column('rank', sa.BigInteger(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('expected_close_date', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('open', 'won', 'lost', name='deal_status'), nullable=False),
    sa.Column('lost_reason', sa.Text(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('stage_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('custom_fields', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_deals_company_id_companies'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_deals_contact_id_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_deals_owner_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pipeline_id'], ['pipelines.id'], name=op.f('fk_deals_pipeline_id_pipelines'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['stage_id'], ['pipeline_stages.id'], name=op.f('fk_deals_stage_id_pipeline_stages'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deals'))
    )
    op.create_index('ix_deals_board', 'deals', ['stage_id', 'rank', 'id'], unique=False, postgresql_where=sa.text('deleted_at IS NULL'))
    op.create_index(op.f('ix_deals_company_id'), 'deals', ['company_id'], unique=False)
    op.create_index(op.f('ix_deals_contact_id'), 'deals', ['contact_id'], unique=False)
    op.create_index('ix_deals_list', 'deals', ['created_at', 'id'], unique=False, postgresql_where=sa.text('deleted_at IS NULL'))
    op.create_index(op.f('ix_deals_owner_id'), 'deals', ['owner_id'], unique=False)
    op.create_index(op.f('ix_deals_pipeline_id'), 'deals', ['pipeline_id'], unique=False)
    op.create_index('ix_deals_title_trgm', 'deals', ['title'], unique=False, postgresql_using='gin', postgresql_ops={'title': 'gin_trgm_ops'})
    op.create_table('activities',
    sa.Column('type', sa.Enum('note', 'call', 'email', 'meeting', 'task', name='activity_type'), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), server_default='', nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('assignee_id', sa.Uuid(), nullable=True),
    sa.Column('contact_id', sa.Uuid(), nullable=True),
    sa.Column('company_id', sa.Uuid(), nullable=True),
    sa.Column('deal_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_activities_assignee_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_activities_company_id_companies'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_activities_contact_id_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_activities_deal_id_deals'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_activities_owner_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    op.create_index('ix_activities_company_timeline', 'activities', ['company_id', 'occurred_at', 'id'], unique=False, postgresql_where=sa.text('company_id IS NOT NULL AND deleted_at IS NULL'))
    op.create_index('ix_activities_contact_timeline', 'activities', ['contact_id', 'occurred_at', 'id'], unique=False, postgresql_where=sa.text('contact_id IS NOT NULL AND deleted_at IS NULL'))
    op.create_index('ix_activities_deal_timeline', 'activities', ['deal_id', 'occurred_at', 'id'], unique=False, postgresql_where=sa.text('deal_id IS NOT NULL AND deleted_at IS NULL'))
    op.create_index('ix_activities_list', 'activities', ['created_at', 'id'], unique=False, postgresql_where=sa.text('deleted_at IS NULL'))
    op.create_index('ix_activities_open_tasks', 'activities', ['assignee_id', 'due_at'], unique=False, postgresql_where=sa.text('done_at IS NULL AND deleted_at IS NULL'))
    op.create_index(op.f('ix_activities_owner_id'), 'activities', ['owner_id'], unique=False)
    op.create_index(op.f("ix_activities_assignee_id"), 'activities', ['assignee_id'], unique=False)
    op.create_table('deal_stage_changes',
    sa.Column('deal_id', sa.Uuid(), nullable=False),
    sa.Column('from_stage_id', sa.Uuid(), nullable=True),
    sa.Column('to_stage_id', sa.Uuid(), nullable=True),
    sa.Column('from_status', sa.Enum('open', 'won', 'lost', name='deal_status'), nullable=True),
    sa.Column('to_status', sa.Enum('open', 'won', 'lost', name='deal_status'), nullable=False),
    sa.Column('changed_by_id', sa.Uuid(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_deal_stage_changes_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_deal_stage_changes_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['from_stage_id'], ['pipeline_stages.id'], name=op.f('fk_deal_stage_changes_from_stage_id_pipeline_stages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['to_stage_id'], ['pipeline_stages.id'], name=op.f('fk_deal_stage_changes_to_stage_id_pipeline_stages'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deal_stage_changes'))
    )
    op.create_index('ix_deal_stage_changes_deal_timeline', 'deal_stage_changes', ['deal_id', 'changed_at', 'id'], unique=False)
    _create_default_pipeline()
    _create_stage_totals()


# The same stages as mancrel.pipeline.service.DEFAULT_STAGES: every installation has them,
# demo data or not.
DEFAULT_STAGES = [("New", 10, "open"), ("Qualified", 25, "open"), ("Proposal", 50, "open"),
                  ("Negotiation", 75, "open"), ("Won", 100, "won"), ("Lost", 0, "lost")]


def _create_default_pipeline() -> None:
    pipeline_id = uuid.uuid4()
    pipelines = sa.table("pipelines", sa.column("id", sa.Uuid), sa.column("name", sa.String),
                         sa.column("is_default", sa.Boolean), sa.column("position", sa.Integer))
    stages = sa.table("pipeline_stages", sa.column("id", sa.Uuid), sa.column("pipeline_id", sa.Uuid),
                      sa.column("name", sa.String), sa.column("position", sa.Integer),
                      sa.column("probability", sa.Integer),
                      sa.column("kind", postgresql.ENUM(name="stage_kind", create_type=False)))
    op.bulk_insert(pipelines, [{"id": pipeline_id, "name": "Sales", "is_default": True, "position": 0}])
    op.bulk_insert(stages, [{"id": uuid.uuid4(), "pipeline_id": pipeline_id, "name": name, "position": position,
                             "probability": probability, "kind": kind}
                            for position, (name, probability, kind) in enumerate(DEFAULT_STAGES)])


def _create_stage_totals() -> None:
    """Per (stage, owner, currency) count and amount of live deals, kept by a trigger, so the
    board's totals read a few rows however many deals there are (see DealStageTotal)."""
    op.create_table('deal_stage_totals',
    sa.Column('stage_id', sa.Uuid(), nullable=False),
    sa.Column('owner_key', sa.Uuid(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('deal_count', sa.BigInteger(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['stage_id'], ['pipeline_stages.id'], name=op.f('fk_deal_stage_totals_stage_id_pipeline_stages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('stage_id', 'owner_key', 'currency', name=op.f('pk_deal_stage_totals'))
    )
    op.execute("""
        CREATE FUNCTION deal_stage_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE nil uuid := '00000000-0000-0000-0000-000000000000';
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL THEN
                UPDATE deal_stage_totals SET deal_count = deal_count - 1, amount = amount - OLD.amount
                WHERE stage_id = OLD.stage_id AND owner_key = coalesce(OLD.owner_id, nil)
                  AND currency = OLD.currency;
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL THEN
                INSERT INTO deal_stage_totals AS t (stage_id, owner_key, currency, deal_count, amount)
                VALUES (NEW.stage_id, coalesce(NEW.owner_id, nil), NEW.currency, 1, NEW.amount)
                ON CONFLICT (stage_id, owner_key, currency)
                DO UPDATE SET deal_count = t.deal_count + 1, amount = t.amount + EXCLUDED.amount;
            END IF;
            RETURN NULL;
        END $$
    """)
    op.execute("""
        CREATE TRIGGER deal_stage_totals AFTER INSERT OR DELETE
            OR UPDATE OF stage_id, owner_id, currency, amount, deleted_at
        ON deals FOR EACH ROW EXECUTE FUNCTION deal_stage_totals_apply()
    """)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS deal_stage_totals ON deals")
    op.execute("DROP FUNCTION IF EXISTS deal_stage_totals_apply()")
    op.drop_table('deal_stage_totals')
    op.drop_index('ix_deal_stage_changes_deal_timeline', table_name='deal_stage_changes')
    op.drop_table('deal_stage_changes')
    op.drop_index(op.f('ix_activities_owner_id'), table_name='activities')
    op.drop_index(op.f("ix_activities_assignee_id"), table_name='activities')
    op.drop_index('ix_activities_open_tasks', table_name='activities', postgresql_where=sa.text('done_at IS NULL AND deleted_at IS NULL'))
    op.drop_index('ix_activities_list', table_name='activities', postgresql_where=sa.text('deleted_at IS NULL'))
    op.drop_index('ix_activities_deal_timeline', table_name='activities', postgresql_where=sa.text('deal_id IS NOT NULL AND deleted_at IS NULL'))
    op.drop_index('ix_activities_contact_timeline', table_name='activities', postgresql_where=sa.text('contact_id IS NOT NULL AND deleted_at IS NULL'))
    op.drop_index('ix_activities_company_timeline', table_name='activities', postgresql_where=sa.text('company_id IS NOT NULL AND deleted_at IS NULL'))
    op.drop_table('activities')
    op.drop_index('ix_deals_title_trgm', table_name='deals', postgresql_using='gin', postgresql_ops={'title': 'gin_trgm_ops'})
    op.drop_index(op.f('ix_deals_pipeline_id'), table_name='deals')
    op.drop_index(op.f('ix_deals_owner_id'), table_name='deals')
    op.drop_index('ix_deals_list', table_name='deals', postgresql_where=sa.text('deleted_at IS NULL'))
    op.drop_index(op.f('ix_deals_contact_id'), table_name='deals')
    op.drop_index(op.f('ix_deals_company_id'), table_name='deals')
    op.drop_index('ix_deals_board', table_name='deals', postgresql_where=sa.text('deleted_at IS NULL'))
    op.drop_table('deals')
    op.drop_index(op.f('ix_pipeline_stages_pipeline_id'), table_name='pipeline_stages')
    op.drop_table('pipeline_stages')
    op.drop_table('pipelines')
    for enum in ("activity_type", "deal_status", "stage_kind"):
        op.execute(f"DROP TYPE IF EXISTS {enum}")
