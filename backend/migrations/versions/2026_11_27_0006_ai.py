"""ai: search documents, pgvector embeddings, intent model versions, training examples, classifications

Revision ID: 0006_ai
Revises: 0001_platform
Create Date: 2026-11-27 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from pgvector.sqlalchemy import Vector
from sqlalchemy.dialects import postgresql

revision: str = '0006_ai'
down_revision: str | Sequence[str] | None = '0001_platform'
branch_labels: str | Sequence[str] | None = None
# No foreign keys into contacts or products: documents are keyed by (entity_type, entity_id).
depends_on: str | Sequence[str] | None = None

TSV = ("setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
       "setweight(to_tsvector('english', coalesce(body, '')), 'B')")


def upgrade() -> None:
    op.create_table('search_documents',
    sa.Column('entity_type', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('snippet', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('tsv', postgresql.TSVECTOR(), sa.Computed(TSV, persisted=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('entity_type', 'entity_id', name=op.f('pk_search_documents'))
    )
    op.create_index('ix_search_documents_tsv', 'search_documents', ['tsv'], postgresql_using='gin')
    op.create_index('ix_search_documents_title_trgm', 'search_documents', ['title'], postgresql_using='gin',
                    postgresql_ops={'title': 'gin_trgm_ops'})
    op.create_index(op.f('ix_search_documents_owner_id'), 'search_documents', ['owner_id'])

    op.create_table('embeddings',
    sa.Column('entity_type', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('model_id', sa.String(length=100), nullable=False),
    sa.Column('model_version', sa.String(length=100), nullable=False),
    sa.Column('embedding', Vector(384), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('entity_type', 'entity_id', name=op.f('pk_embeddings'))
    )
    op.create_index('ix_embeddings_hnsw', 'embeddings', ['embedding'], postgresql_using='hnsw',
                    postgresql_with={'m': 16, 'ef_construction': 64},
                    postgresql_ops={'embedding': 'vector_cosine_ops'})
    op.create_index(op.f('ix_embeddings_owner_id'), 'embeddings', ['owner_id'])

    op.create_table('ai_model_versions',
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('artifact', sa.LargeBinary(), nullable=False),
    sa.Column('embedding_model', sa.String(length=200), nullable=False),
    sa.Column('metrics', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('training_rows', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_ai_model_versions_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ai_model_versions'))
    )
    op.create_index('uq_ai_model_versions_active', 'ai_model_versions', ['kind'], unique=True, postgresql_where=sa.text('is_active'))
    op.create_index('uq_ai_model_versions_kind_version', 'ai_model_versions', ['kind', 'version'], unique=True)

    op.create_table('ai_classifications',
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('intent', sa.String(length=64), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('out_of_scope', sa.Boolean(), nullable=False),
    sa.Column('alternatives', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('sentiment', sa.String(length=16), nullable=True),
    sa.Column('model_version', sa.Integer(), nullable=False),
    sa.Column('model_version_id', sa.Uuid(), nullable=True),
    sa.Column('corrected_intent', sa.String(length=64), nullable=True),
    sa.Column('corrected_by_id', sa.Uuid(), nullable=True),
    sa.Column('corrected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['model_version_id'], ['ai_model_versions.id'], name=op.f('fk_ai_classifications_model_version_id_ai_model_versions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['corrected_by_id'], ['users.id'], name=op.f('fk_ai_classifications_corrected_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_ai_classifications_owner_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ai_classifications'))
    )
    op.create_index(op.f('ix_ai_classifications_owner_id'), 'ai_classifications', ['owner_id'])
    op.create_index(op.f('ix_ai_classifications_created_at'), 'ai_classifications', ['created_at'])

    op.create_table('ai_training_examples',
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('intent', sa.String(length=64), nullable=False),
    sa.Column('sentiment', sa.String(length=16), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('classification_id', sa.Uuid(), nullable=True),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['classification_id'], ['ai_classifications.id'], name=op.f('fk_ai_training_examples_classification_id_ai_classifications'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_ai_training_examples_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ai_training_examples'))
    )
    op.create_index(op.f('ix_ai_training_examples_intent'), 'ai_training_examples', ['intent'])
    op.create_index(op.f('ix_ai_training_examples_created_at'), 'ai_training_examples', ['created_at'])


def downgrade() -> None:
    op.drop_table('ai_training_examples')
    op.drop_table('ai_classifications')
    op.drop_table('ai_model_versions')
    op.drop_table('embeddings')
    op.drop_table('search_documents')
