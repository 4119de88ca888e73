"""Insights: lead scores and their models, churn alerts, opportunities

Revision ID: 0020_insights
Revises: 0019_line_items
Create Date: 2026-12-05 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0020_insights'
down_revision: str | Sequence[str] | None = "0019_line_items"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=op.f(f'fk_{table}_{column}_{target}'),
                                   ondelete=ondelete)


def upgrade() -> None:
    op.create_table('lead_scores',
    sa.Column('contact_id', sa.Uuid(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('probability', sa.Float(), nullable=False),
    sa.Column('previous_score', sa.Integer(), nullable=True),
    sa.Column('reasons', postgresql.JSONB(), nullable=False),
    sa.Column('features', postgresql.JSONB(), nullable=False),
    sa.Column('model_version', sa.Integer(), nullable=False),
    sa.Column('computed_at', TZ, nullable=False),
    sa.Column('changed_at', TZ, nullable=False),
    _fk('lead_scores', 'contact_id', 'contacts', 'CASCADE'),
    sa.PrimaryKeyConstraint('contact_id', name=op.f('pk_lead_scores'))
    )
    op.create_index('ix_lead_scores_hottest', 'lead_scores', [sa.text('score DESC'), sa.text('contact_id DESC')])
    op.create_table('lead_score_models',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('coefficients', postgresql.JSONB(), nullable=False),
    sa.Column('reference', postgresql.JSONB(), nullable=False),
    sa.Column('vocabulary', postgresql.JSONB(), nullable=False),
    sa.Column('metrics', postgresql.JSONB(), nullable=False),
    sa.Column('trained_at', TZ, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lead_score_models'))
    )
    op.create_index('uq_lead_score_models_version', 'lead_score_models', ['version'], unique=True)
    op.create_table('churn_alerts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('contact_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('episode', sa.String(length=100), nullable=False),
    sa.Column('severity', sa.Float(), nullable=False),
    sa.Column('reasons', postgresql.JSONB(), nullable=False),
    sa.Column('task_id', sa.Uuid(), nullable=True),
    sa.Column('raised_at', TZ, nullable=False),
    sa.Column('resolved_at', TZ, nullable=True),
    _fk('churn_alerts', 'contact_id', 'contacts', 'CASCADE'),
    _fk('churn_alerts', 'task_id', 'activities', 'SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_churn_alerts')),
    sa.UniqueConstraint('contact_id', 'kind', 'episode', name='uq_churn_alerts_episode')
    )
    op.create_index(op.f('ix_churn_alerts_contact_id'), 'churn_alerts', ['contact_id'])
    op.create_index('ix_churn_alerts_open', 'churn_alerts', ['raised_at'],
                    postgresql_where=sa.text('resolved_at IS NULL'))
    op.create_table('opportunities',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('contact_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('reasons', postgresql.JSONB(), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('product_id', sa.Uuid(), nullable=True),
    sa.Column('message_id', sa.Uuid(), nullable=True),
    sa.Column('deal_id', sa.Uuid(), nullable=True),
    sa.Column('due_at', TZ, nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('acted_by_id', sa.Uuid(), nullable=True),
    sa.Column('acted_at', TZ, nullable=True),
    sa.Column('created_at', TZ, nullable=False),
    _fk('opportunities', 'contact_id', 'contacts', 'CASCADE'),
    _fk('opportunities', 'product_id', 'products', 'SET NULL'),
    _fk('opportunities', 'message_id', 'messages', 'SET NULL'),
    _fk('opportunities', 'deal_id', 'deals', 'SET NULL'),
    _fk('opportunities', 'acted_by_id', 'users', 'SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opportunities')),
    sa.UniqueConstraint('contact_id', 'kind', 'key', name='uq_opportunities_key')
    )
    op.create_index(op.f('ix_opportunities_contact_id'), 'opportunities', ['contact_id'])
    op.create_index('ix_opportunities_open', 'opportunities', ['status', 'created_at'])


def downgrade() -> None:
    op.drop_table('opportunities')
    op.drop_table('churn_alerts')
    op.drop_table('lead_score_models')
    op.drop_table('lead_scores')
