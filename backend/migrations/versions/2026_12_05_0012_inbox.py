"""the inbox: channels, their raw inbound deliveries and IMAP cursors, conversations, messages, attachments

Revision ID: 0012_inbox
Revises: 0011_classification_parts
Create Date: 2026-12-05 18:09:36
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0012_inbox'
down_revision: str | Sequence[str] | None = '0011_classification_parts'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('channels',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('enabled', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('settings', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('secrets_encrypted', sa.Text(), nullable=True),
    sa.Column('default_owner_id', sa.Uuid(), nullable=True),
    sa.Column('last_received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_polled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('last_error_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('email', 'whatsapp', 'messenger', 'lead_ads')", name=op.f('ck_channels_kind')),
    sa.ForeignKeyConstraint(['default_owner_id'], ['users.id'], name=op.f('fk_channels_default_owner_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channels')),
    sa.UniqueConstraint('name', name=op.f('uq_channels_name'))
    )
    op.create_table('imap_cursors',
    sa.Column('channel_id', sa.Uuid(), nullable=False),
    sa.Column('mailbox', sa.String(length=200), nullable=False),
    sa.Column('uidvalidity', sa.BigInteger(), nullable=False),
    sa.Column('last_uid', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_imap_cursors_channel_id_channels'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('channel_id', 'mailbox', name=op.f('pk_imap_cursors'))
    )
    op.create_table('conversations',
    sa.Column('channel_id', sa.Uuid(), nullable=False),
    sa.Column('contact_id', sa.Uuid(), nullable=True),
    sa.Column('counterpart', sa.String(length=320), nullable=False),
    sa.Column('status', sa.String(length=10), server_default='open', nullable=False),
    sa.Column('assignee_id', sa.Uuid(), nullable=True),
    sa.Column('subject', sa.String(length=998), server_default='', nullable=False),
    sa.Column('subject_key', sa.String(length=998), server_default='', nullable=False),
    sa.Column('is_junk', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('last_message_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_inbound_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('unread_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('snoozed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('intent', sa.String(length=64), nullable=True),
    sa.Column('priority', sa.String(length=16), nullable=True),
    sa.Column('priority_rank', sa.Integer(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_conversations_assignee_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_conversations_channel_id_channels'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_conversations_contact_id_contacts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversations'))
    )
    op.create_index('ix_conversations_activity', 'conversations', ['last_message_at', 'id'], unique=False)
    op.create_index(op.f('ix_conversations_assignee_id'), 'conversations', ['assignee_id'], unique=False)
    op.create_index(op.f('ix_conversations_channel_id'), 'conversations', ['channel_id'], unique=False)
    op.create_index(op.f('ix_conversations_contact_id'), 'conversations', ['contact_id'], unique=False)
    op.create_index('ix_conversations_counterpart', 'conversations', ['channel_id', 'counterpart', 'last_message_at'], unique=False)
    op.create_index(op.f('ix_conversations_intent'), 'conversations', ['intent'], unique=False)
    op.create_index('ix_conversations_search_trgm', 'conversations', ['subject'], unique=False, postgresql_using='gin', postgresql_ops={'subject': 'gin_trgm_ops'})
    op.create_table('messages',
    sa.Column('conversation_id', sa.Uuid(), nullable=False),
    sa.Column('channel_id', sa.Uuid(), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('sender', sa.String(length=320), nullable=False),
    sa.Column('sender_name', sa.String(length=200), server_default='', nullable=False),
    sa.Column('recipients', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('subject', sa.String(length=998), server_default='', nullable=False),
    sa.Column('text', sa.Text(), server_default='', nullable=False),
    sa.Column('html', sa.Text(), nullable=True),
    sa.Column('own_words', sa.Text(), server_default='', nullable=False),
    sa.Column('provider_message_id', sa.String(length=998), nullable=False),
    sa.Column('in_reply_to', sa.String(length=998), nullable=True),
    sa.Column('references', postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('headers', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('is_junk', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('junk_reason', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('failure_reason', sa.Text(), nullable=True),
    sa.Column('send_attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=True),
    sa.Column('classification_id', sa.Uuid(), nullable=True),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_messages_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_messages_channel_id_channels'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['classification_id'], ['ai_classifications.id'], name=op.f('fk_messages_classification_id_ai_classifications'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_messages_conversation_id_conversations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages'))
    )
    op.create_index('ix_messages_conversation', 'messages', ['conversation_id', 'occurred_at', 'id'], unique=False)
    op.create_index('ix_messages_outbound_pending', 'messages', ['created_at'], unique=False, postgresql_where=sa.text("status IN ('queued', 'sending')"))
    op.create_index('ix_messages_unclassified', 'messages', ['created_at'], unique=False, postgresql_where=sa.text("processed_at IS NULL AND direction = 'inbound' AND NOT is_junk"))
    op.create_index('uq_messages_channel_provider_id', 'messages', ['channel_id', 'provider_message_id'], unique=True)
    op.create_table('inbound_events',
    sa.Column('channel_id', sa.Uuid(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=998), nullable=False),
    sa.Column('replay_token', sa.String(length=200), nullable=True),
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('content_type', sa.String(length=200), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('status', sa.String(length=12), server_default='pending', nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('message_id', sa.Uuid(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_inbound_events_channel_id_channels'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_inbound_events_message_id_messages'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_events'))
    )
    op.create_index('ix_inbound_events_pending', 'inbound_events', ['received_at'], unique=False, postgresql_where=sa.text("status = 'pending'"))
    op.create_index('uq_inbound_events_channel_key', 'inbound_events', ['channel_id', 'dedupe_key'], unique=True)
    op.create_index('uq_inbound_events_replay_token', 'inbound_events', ['channel_id', 'replay_token'], unique=True, postgresql_where=sa.text('replay_token IS NOT NULL'))
    op.create_table('message_attachments',
    sa.Column('message_id', sa.Uuid(), nullable=False),
    sa.Column('filename', sa.String(length=255), server_default='', nullable=False),
    sa.Column('content_type', sa.String(length=200), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_message_attachments_message_id_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_attachments'))
    )
    op.create_index(op.f('ix_message_attachments_message_id'), 'message_attachments', ['message_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_message_attachments_message_id'), table_name='message_attachments')
    op.drop_table('message_attachments')
    op.drop_index('uq_inbound_events_replay_token', table_name='inbound_events', postgresql_where=sa.text('replay_token IS NOT NULL'))
    op.drop_index('uq_inbound_events_channel_key', table_name='inbound_events')
    op.drop_index('ix_inbound_events_pending', table_name='inbound_events', postgresql_where=sa.text("status = 'pending'"))
    op.drop_table('inbound_events')
    op.drop_index('uq_messages_channel_provider_id', table_name='messages')
    op.drop_index('ix_messages_unclassified', table_name='messages', postgresql_where=sa.text("processed_at IS NULL AND direction = 'inbound' AND NOT is_junk"))
    op.drop_index('ix_messages_outbound_pending', table_name='messages', postgresql_where=sa.text("status IN ('queued', 'sending')"))
    op.drop_index('ix_messages_conversation', table_name='messages')
    op.drop_table('messages')
    op.drop_index('ix_conversations_search_trgm', table_name='conversations', postgresql_using='gin', postgresql_ops={'subject': 'gin_trgm_ops'})
    op.drop_index(op.f('ix_conversations_intent'), table_name='conversations')
    op.drop_index('ix_conversations_counterpart', table_name='conversations')
    op.drop_index(op.f('ix_conversations_contact_id'), table_name='conversations')
    op.drop_index(op.f('ix_conversations_channel_id'), table_name='conversations')
    op.drop_index(op.f('ix_conversations_assignee_id'), table_name='conversations')
    op.drop_index('ix_conversations_activity', table_name='conversations')
    op.drop_table('conversations')
    op.drop_table('imap_cursors')
    op.drop_table('channels')
