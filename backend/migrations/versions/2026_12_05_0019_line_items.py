"""Deal line items (and the deal flag that lets them drive the amount); contact interest profiles,
per-product interests, product popularity and profile refresh requests (insights)

Revision ID: 0019_line_items
Revises: 0018_lead_ads
Create Date: 2026-12-05 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from pgvector.sqlalchemy import Vector

revision: str = '0019_line_items'
down_revision: str | Sequence[str] | None = "0018_lead_ads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column('deals', sa.Column('amount_from_line_items', sa.Boolean(), server_default=sa.text('false'),
                                     nullable=False))
    op.create_table('deal_line_items',
    sa.Column('deal_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=True),
    sa.Column('variant_id', sa.Uuid(), nullable=True),
    sa.Column('sku', sa.String(length=200), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price', sa.Numeric(14, 2), nullable=False),
    sa.Column('discount_percent', sa.Numeric(5, 2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('line_total', sa.Numeric(14, 2), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', TS, server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', TS, server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_deal_line_items_quantity_positive')),
    sa.CheckConstraint('discount_percent >= 0 AND discount_percent <= 100',
                       name=op.f('ck_deal_line_items_discount_range')),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_deal_line_items_deal_id_deals'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_deal_line_items_product_id_products'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['variant_id'], ['product_variants.id'],
                            name=op.f('fk_deal_line_items_variant_id_product_variants'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deal_line_items'))
    )
    op.create_index('ix_deal_line_items_deal', 'deal_line_items', ['deal_id', 'position'])
    op.create_index('ix_deal_line_items_product', 'deal_line_items', ['product_id'])

    op.create_table('contact_profiles',
    sa.Column('contact_id', sa.Uuid(), nullable=False),
    sa.Column('vector', Vector(384), nullable=True),
    sa.Column('products', sa.Integer(), nullable=False),
    sa.Column('texts', sa.Integer(), nullable=False),
    sa.Column('computed_at', TS, nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_contact_profiles_contact_id_contacts'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contact_id', name=op.f('pk_contact_profiles'))
    )
    op.create_table('contact_product_interests',
    sa.Column('contact_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('asked_count', sa.Integer(), nullable=False),
    sa.Column('asked_at', TS, nullable=True),
    sa.Column('quoted_at', TS, nullable=True),
    sa.Column('bought_count', sa.Integer(), nullable=False),
    sa.Column('bought_at', TS, nullable=True),
    sa.Column('last_at', TS, nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'],
                            name=op.f('fk_contact_product_interests_contact_id_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'],
                            name=op.f('fk_contact_product_interests_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contact_id', 'product_id', name=op.f('pk_contact_product_interests'))
    )
    op.create_index('ix_contact_product_interests_product', 'contact_product_interests', ['product_id', 'last_at'])
    op.create_table('product_popularity',
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('buyers', sa.Integer(), nullable=False),
    sa.Column('interested', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_popularity_product_id_products'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('product_id', name=op.f('pk_product_popularity'))
    )
    op.create_index('ix_product_popularity_score', 'product_popularity', ['score'])
    op.create_table('contact_profile_requests',
    sa.Column('contact_id', sa.Uuid(), nullable=False),
    sa.Column('requested_at', TS, nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_profile_requests'))
    )
    op.create_index('ix_contact_profile_requests_contact', 'contact_profile_requests', ['contact_id'])


def downgrade() -> None:
    op.drop_table('contact_profile_requests')
    op.drop_table('product_popularity')
    op.drop_table('contact_product_interests')
    op.drop_table('contact_profiles')
    op.drop_table('deal_line_items')
    op.drop_column('deals', 'amount_from_line_items')
