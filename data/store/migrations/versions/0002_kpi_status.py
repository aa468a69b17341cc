"""kpi_status: per-KPI counts for the data page, kept by imports

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('kpi_status',
    sa.Column('kpi_id', sa.String(length=64), nullable=False),
    sa.Column('values', sa.Integer(), nullable=False),
    sa.Column('areas', sa.Integer(), nullable=False),
    sa.Column('latest_key', sa.Integer(), nullable=True),
    sa.Column('last_imported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('demo_values', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('kpi_id', name=op.f('pk_kpi_status'))
    )
    # a store made before this revision: count what it holds once, as every import does after
    from data.store.values import refresh_kpi_status

    refresh_kpi_status(op.get_bind(), None)


def downgrade() -> None:
    op.drop_table('kpi_status')
