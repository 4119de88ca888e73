"""Analytics: daily rollups of deals, stages, products, messages, response times, AI automation, activities (and monthly)

Revision ID: 0021_analytics
Revises: 0020_insights
Create Date: 2026-12-05 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0021_analytics'
down_revision: str | Sequence[str] | None = "0020_insights"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG = sa.BigInteger()
MONEY = sa.Numeric(precision=18, scale=2)


def _rollup(name: str, keys: list[sa.Column], values: list[sa.Column]) -> None:
    op.create_table(name,
                    sa.Column('day', sa.Date(), nullable=False),
                    sa.Column('owner_key', sa.Uuid(), nullable=False),
                    *keys, *values,
                    sa.PrimaryKeyConstraint('day', 'owner_key', *[k.name for k in keys], name=op.f(f'pk_{name}')))


def upgrade() -> None:
    _rollup('analytics_deal_days', [sa.Column('currency', sa.String(length=3), nullable=False)],
            [sa.Column('created_count', BIG, nullable=False), sa.Column('won_count', BIG, nullable=False),
             sa.Column('won_amount', MONEY, nullable=False), sa.Column('lost_count', BIG, nullable=False),
             sa.Column('won_cycle_days', sa.Float(), nullable=False)])
    _rollup('analytics_stage_days', [sa.Column('stage_id', sa.Uuid(), nullable=False),
                                     sa.Column('currency', sa.String(length=3), nullable=False)],
            [sa.Column('deal_count', BIG, nullable=False), sa.Column('amount', MONEY, nullable=False)])
    _rollup('analytics_product_days', [sa.Column('product_key', sa.Uuid(), nullable=False),
                                       sa.Column('currency', sa.String(length=3), nullable=False)],
            [sa.Column('title', sa.String(length=500), nullable=False), sa.Column('quantity', BIG, nullable=False),
             sa.Column('revenue', MONEY, nullable=False)])
    _rollup('analytics_message_days', [sa.Column('channel_kind', sa.String(length=20), nullable=False),
                                       sa.Column('intent', sa.String(length=64), nullable=False)],
            [sa.Column('message_count', BIG, nullable=False)])
    _rollup('analytics_response_days', [sa.Column('metric', sa.String(length=20), nullable=False)],
            [sa.Column('sample_count', BIG, nullable=False), sa.Column('total_seconds', sa.Float(), nullable=False),
             sa.Column('buckets', postgresql.JSONB(astext_type=sa.Text()), nullable=False)])
    _rollup('analytics_automation_days', [sa.Column('intent', sa.String(length=64), nullable=False),
                                          sa.Column('status', sa.String(length=16), nullable=False)],
            [sa.Column('suggestion_count', BIG, nullable=False)])
    _rollup('analytics_activity_days', [sa.Column('activity_type', sa.String(length=20), nullable=False)],
            [sa.Column('activity_count', BIG, nullable=False), sa.Column('done_count', BIG, nullable=False)])
    op.create_table('analytics_activity_months',
                    sa.Column('month', sa.Date(), nullable=False),
                    sa.Column('owner_key', sa.Uuid(), nullable=False),
                    sa.Column('activity_type', sa.String(length=20), nullable=False),
                    sa.Column('activity_count', BIG, nullable=False), sa.Column('done_count', BIG, nullable=False),
                    sa.PrimaryKeyConstraint('month', 'owner_key', 'activity_type',
                                            name=op.f('pk_analytics_activity_months')))


def downgrade() -> None:
    for name in ('analytics_activity_months', 'analytics_activity_days', 'analytics_automation_days', 'analytics_response_days',
                 'analytics_message_days', 'analytics_product_days', 'analytics_stage_days', 'analytics_deal_days'):
        op.drop_table(name)
