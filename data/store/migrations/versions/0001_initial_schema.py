"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-21 12:16:43.714388
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('area',
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('level', sa.String(length=12), nullable=False),
    sa.Column('name_th', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('parent_code', sa.String(length=8), nullable=True),
    sa.Column('province_code', sa.String(length=2), nullable=True),
    sa.ForeignKeyConstraint(['parent_code'], ['area.code'], name=op.f('fk_area_parent_code_area')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_area'))
    )
    with op.batch_alter_table('area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_area_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_area_parent_code'), ['parent_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_area_province_code'), ['province_code'], unique=False)

    op.create_table('import_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('source_name', sa.String(length=500), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('rows_read', sa.Integer(), nullable=False),
    sa.Column('inserted', sa.Integer(), nullable=False),
    sa.Column('revised', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('imported_by', sa.String(length=100), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_log'))
    )
    op.create_table('kpi',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('goal', sa.String(length=2), nullable=False),
    sa.Column('name_th', sa.String(length=300), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('direction', sa.String(length=16), nullable=False),
    sa.Column('period_type', sa.String(length=1), nullable=False),
    sa.Column('finest_level', sa.String(length=12), nullable=False),
    sa.Column('aggregation', sa.String(length=16), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi'))
    )
    with op.batch_alter_table('kpi', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_goal'), ['goal'], unique=False)

    op.create_table('kpi_value_revision',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kpi_id', sa.String(length=64), nullable=False),
    sa.Column('area_code', sa.String(length=8), nullable=False),
    sa.Column('period_type', sa.String(length=1), nullable=False),
    sa.Column('fiscal_year', sa.SmallInteger(), nullable=False),
    sa.Column('period_no', sa.SmallInteger(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.Column('is_preliminary', sa.Boolean(), nullable=False),
    sa.Column('is_revised', sa.Boolean(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('imported_by', sa.String(length=100), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('superseded_by_import', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_value_revision'))
    )
    with op.batch_alter_table('kpi_value_revision', schema=None) as batch_op:
        batch_op.create_index('ix_kpi_value_revision_key', ['kpi_id', 'area_code', 'period_type', 'fiscal_year', 'period_no'], unique=False)

    op.create_table('meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_meta'))
    )
    op.create_table('boundary',
    sa.Column('area_code', sa.String(length=8), nullable=False),
    sa.Column('detail', sa.String(length=10), nullable=False),
    sa.Column('geojson', sa.Text(), nullable=False),
    sa.Column('min_x', sa.Float(), nullable=False),
    sa.Column('min_y', sa.Float(), nullable=False),
    sa.Column('max_x', sa.Float(), nullable=False),
    sa.Column('max_y', sa.Float(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['area_code'], ['area.code'], name=op.f('fk_boundary_area_code_area')),
    sa.ForeignKeyConstraint(['import_id'], ['import_log.id'], name=op.f('fk_boundary_import_id_import_log')),
    sa.PrimaryKeyConstraint('area_code', 'detail', name=op.f('pk_boundary'))
    )
    op.create_table('cluster',
    sa.Column('area_code', sa.String(length=8), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=8), nullable=False),
    sa.Column('head_province_code', sa.String(length=2), nullable=True),
    sa.Column('head_verified', sa.Boolean(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['area_code'], ['area.code'], name=op.f('fk_cluster_area_code_area')),
    sa.ForeignKeyConstraint(['region_code'], ['area.code'], name=op.f('fk_cluster_region_code_area')),
    sa.PrimaryKeyConstraint('area_code', name=op.f('pk_cluster')),
    sa.UniqueConstraint('number', name=op.f('uq_cluster_number'))
    )
    op.create_table('kpi_rollup',
    sa.Column('area_code', sa.String(length=8), nullable=False),
    sa.Column('kpi_id', sa.String(length=64), nullable=False),
    sa.Column('period_type', sa.String(length=1), nullable=False),
    sa.Column('fiscal_year', sa.SmallInteger(), nullable=False),
    sa.Column('period_no', sa.SmallInteger(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('coverage', sa.Float(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('is_preliminary', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['area_code'], ['area.code'], name=op.f('fk_kpi_rollup_area_code_area')),
    sa.ForeignKeyConstraint(['kpi_id'], ['kpi.id'], name=op.f('fk_kpi_rollup_kpi_id_kpi')),
    sa.PrimaryKeyConstraint('area_code', 'kpi_id', 'period_type', 'fiscal_year', 'period_no', name=op.f('pk_kpi_rollup')),
    sqlite_with_rowid=False
    )
    op.create_table('kpi_value',
    sa.Column('kpi_id', sa.String(length=64), nullable=False),
    sa.Column('area_level', sa.SmallInteger(), nullable=False),
    sa.Column('area_code', sa.String(length=8), nullable=False),
    sa.Column('period_type', sa.String(length=1), nullable=False),
    sa.Column('fiscal_year', sa.SmallInteger(), nullable=False),
    sa.Column('period_no', sa.SmallInteger(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.Column('is_preliminary', sa.Boolean(), nullable=False),
    sa.Column('is_revised', sa.Boolean(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('imported_by', sa.String(length=100), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['area_code'], ['area.code'], name=op.f('fk_kpi_value_area_code_area')),
    sa.ForeignKeyConstraint(['import_id'], ['import_log.id'], name=op.f('fk_kpi_value_import_id_import_log')),
    sa.ForeignKeyConstraint(['kpi_id'], ['kpi.id'], name=op.f('fk_kpi_value_kpi_id_kpi')),
    sa.PrimaryKeyConstraint('kpi_id', 'area_level', 'area_code', 'period_type', 'fiscal_year', 'period_no', name=op.f('pk_kpi_value')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('kpi_value', schema=None) as batch_op:
        batch_op.create_index('ix_kpi_value_area', ['area_code'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('kpi_value', schema=None) as batch_op:
        batch_op.drop_index('ix_kpi_value_area')

    op.drop_table('kpi_value')
    op.drop_table('kpi_rollup')
    op.drop_table('cluster')
    op.drop_table('boundary')
    op.drop_table('meta')
    with op.batch_alter_table('kpi_value_revision', schema=None) as batch_op:
        batch_op.drop_index('ix_kpi_value_revision_key')

    op.drop_table('kpi_value_revision')
    with op.batch_alter_table('kpi', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_goal'))

    op.drop_table('kpi')
    op.drop_table('import_log')
    with op.batch_alter_table('area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_area_province_code'))
        batch_op.drop_index(batch_op.f('ix_area_parent_code'))
        batch_op.drop_index(batch_op.f('ix_area_level'))

    op.drop_table('area')

