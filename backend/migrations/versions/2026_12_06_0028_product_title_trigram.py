"""a trigram index on product titles, for products customers name loosely

catalog/mentions.py finds the products a customer's message names by a part of the title or with
a typing error ("nordik skilet") by looking each word of the message up in this index
(`title %> word`, pg_trgm's word similarity), instead of comparing every title in Python.
The SKUs a message contains are looked up by `lower(sku)`: an index on that expression, so the lookup
no longer reads every variant of the catalogue per message.

Revision ID: 0028_product_title_trigram
Revises: 0026_classification_near_limit
Create Date: 2026-12-06 03:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028_product_title_trigram"
down_revision: str | Sequence[str] | None = "0026_classification_near_limit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_products_title_trgm", "products", ["title"], unique=False, postgresql_using="gin",
                    postgresql_ops={"title": "gin_trgm_ops"})
    op.create_index("ix_product_variants_sku_lower", "product_variants", [sa.text("lower(sku)")], unique=False)


def downgrade() -> None:
    op.drop_index("ix_product_variants_sku_lower", table_name="product_variants")
    op.drop_index("ix_products_title_trgm", table_name="products", postgresql_using="gin",
                  postgresql_ops={"title": "gin_trgm_ops"})
