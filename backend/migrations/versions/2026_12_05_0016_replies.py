"""AI replies: knowledge entries (versioned), reply suggestions, their append-only audit, contact preferences

Revision ID: 0016_replies
Revises: 0014_growth_indexes
Create Date: 2026-12-05 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0016_replies'
down_revision: str | Sequence[str] | None = '0014_growth_indexes'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('knowledge_entries',
    sa.Column('topic', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('intents', postgresql.ARRAY(sa.String(length=64)), server_default='{}', nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_knowledge_entries_updated_by_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_entries'))
    )
    op.create_index('uq_knowledge_entries_topic_live', 'knowledge_entries', ['topic'], unique=True,
                    postgresql_where=sa.text('deleted_at IS NULL'))
    op.create_table('knowledge_entry_versions',
    sa.Column('entry_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('intents', postgresql.ARRAY(sa.String(length=64)), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                            name=op.f('fk_knowledge_entry_versions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entry_id'], ['knowledge_entries.id'],
                            name=op.f('fk_knowledge_entry_versions_entry_id_knowledge_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_entry_versions')),
    sa.UniqueConstraint('entry_id', 'version', name='uq_knowledge_entry_versions_entry_version')
    )
    op.create_table('reply_suggestions',
    sa.Column('message_id', sa.Uuid(), nullable=False),
    sa.Column('conversation_id', sa.Uuid(), nullable=False),
    sa.Column('contact_id', sa.Uuid(), nullable=True),
    sa.Column('intent', sa.String(length=64), nullable=False),
    sa.Column('confidence', sa.Numeric(precision=6, scale=4), nullable=False),
    sa.Column('confidence_parts', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('classifier_version', sa.Integer(), nullable=True),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('reasons', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('draft_text', sa.Text(), nullable=True),
    sa.Column('sent_text', sa.Text(), nullable=True),
    sa.Column('facts', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('grounding', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('provider', sa.String(length=40), nullable=True),
    sa.Column('model_version', sa.String(length=200), nullable=True),
    sa.Column('prompt_version', sa.String(length=40), nullable=True),
    sa.Column('usage', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('sent_message_id', sa.Uuid(), nullable=True),
    sa.Column('reviewed_by_id', sa.Uuid(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reject_reason', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_reply_suggestions_contact_id_contacts'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'],
                            name=op.f('fk_reply_suggestions_conversation_id_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_reply_suggestions_message_id_messages'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_reply_suggestions_reviewed_by_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['sent_message_id'], ['messages.id'],
                            name=op.f('fk_reply_suggestions_sent_message_id_messages'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reply_suggestions')),
    sa.UniqueConstraint('message_id', name=op.f('uq_reply_suggestions_message_id'))
    )
    op.create_index(op.f('ix_reply_suggestions_conversation_id'), 'reply_suggestions', ['conversation_id'])
    op.create_index(op.f('ix_reply_suggestions_intent'), 'reply_suggestions', ['intent'])
    op.create_index('ix_reply_suggestions_list', 'reply_suggestions', ['created_at', 'id'])
    op.create_index('ix_reply_suggestions_status', 'reply_suggestions', ['status', 'created_at'])
    op.create_index('ix_reply_suggestions_contact_sent', 'reply_suggestions', ['contact_id', 'created_at'],
                    postgresql_where=sa.text("decision = 'auto_send' AND status = 'sent'"))
    op.create_table('reply_contact_preferences',
    sa.Column('contact_id', sa.Uuid(), nullable=False),
    sa.Column('never_auto_reply', sa.Boolean(), nullable=False),
    sa.Column('updated_by_id', sa.Uuid(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'],
                            name=op.f('fk_reply_contact_preferences_contact_id_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'],
                            name=op.f('fk_reply_contact_preferences_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('contact_id', name=op.f('pk_reply_contact_preferences'))
    )
    op.create_table('reply_suggestion_audit',
    sa.Column('suggestion_id', sa.Uuid(), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('actor_email', sa.String(length=320), nullable=True),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reply_suggestion_audit'))
    )
    op.create_index('ix_reply_suggestion_audit_suggestion', 'reply_suggestion_audit',
                    ['suggestion_id', 'occurred_at'])
    # Append-only, as audit_log (0001), with no exception: the table has no foreign keys, so no
    # ON DELETE action ever needs to touch a row. TRUNCATE (an owner's act, not row SQL) stays possible.
    op.execute("""
        CREATE FUNCTION reply_suggestion_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'reply_suggestion_audit is append-only';
        END $$
    """)
    op.execute("""
        CREATE TRIGGER reply_suggestion_audit_append_only BEFORE UPDATE OR DELETE ON reply_suggestion_audit
        FOR EACH ROW EXECUTE FUNCTION reply_suggestion_audit_append_only()
    """)


def downgrade() -> None:
    op.drop_table('reply_suggestion_audit')
    op.execute("DROP FUNCTION IF EXISTS reply_suggestion_audit_append_only()")
    op.drop_table('reply_contact_preferences')
    op.drop_table('reply_suggestions')
    op.drop_table('knowledge_entry_versions')
    op.drop_table('knowledge_entries')
