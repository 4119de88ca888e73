"""Teams (members, intents, working hours, round-robin turn), reply escalations with re-route counts, suggestions' confirmed intent

Revision ID: 0022_teams
Revises: 0021_analytics
Create Date: 2026-12-05 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0022_teams'
down_revision: str | Sequence[str] | None = "0021_analytics"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('teams',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('working_hours', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('manager_id', sa.Uuid(), nullable=True),
    sa.Column('last_assigned_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['manager_id'], ['users.id'], name=op.f('fk_teams_manager_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams')),
    sa.UniqueConstraint('name', name='uq_teams_name')
    )
    op.create_table('team_members',
    sa.Column('team_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_team_members_team_id_teams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_team_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('team_id', 'user_id', name=op.f('pk_team_members'))
    )
    op.create_index(op.f('ix_team_members_user_id'), 'team_members', ['user_id'], unique=False)
    op.create_table('team_intents',
    sa.Column('intent', sa.String(length=64), nullable=False),
    sa.Column('team_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_team_intents_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('intent', name=op.f('pk_team_intents'))
    )
    op.create_index(op.f('ix_team_intents_team_id'), 'team_intents', ['team_id'], unique=False)
    op.create_table('reply_escalations',
    sa.Column('suggestion_id', sa.Uuid(), nullable=False),
    sa.Column('conversation_id', sa.Uuid(), nullable=False),
    sa.Column('team_id', sa.Uuid(), nullable=True),
    sa.Column('task_id', sa.Uuid(), nullable=True),
    sa.Column('assignee_id', sa.Uuid(), nullable=True),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reroutes', sa.Integer(), server_default='0', nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['suggestion_id'], ['reply_suggestions.id'],
                            name=op.f('fk_reply_escalations_suggestion_id_reply_suggestions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'],
                            name=op.f('fk_reply_escalations_conversation_id_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_reply_escalations_team_id_teams'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['task_id'], ['activities.id'], name=op.f('fk_reply_escalations_task_id_activities'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_reply_escalations_assignee_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reply_escalations')),
    sa.UniqueConstraint('suggestion_id', name=op.f('uq_reply_escalations_suggestion_id'))
    )
    op.create_index('ix_reply_escalations_open_due', 'reply_escalations', ['due_at'], unique=False,
                    postgresql_where=sa.text('resolved_at IS NULL'))
    op.add_column('reply_suggestions', sa.Column('confirmed_intent', sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column('reply_suggestions', 'confirmed_intent')
    op.drop_index('ix_reply_escalations_open_due', table_name='reply_escalations',
                  postgresql_where=sa.text('resolved_at IS NULL'))
    op.drop_table('reply_escalations')
    op.drop_index(op.f('ix_team_intents_team_id'), table_name='team_intents')
    op.drop_table('team_intents')
    op.drop_index(op.f('ix_team_members_user_id'), table_name='team_members')
    op.drop_table('team_members')
    op.drop_table('teams')
