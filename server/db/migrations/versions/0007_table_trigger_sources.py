"""table triggers: which change sources fire them, and workflows whose writes they ignore

Revision ID: 0007_trigger_sources
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007_trigger_sources"
down_revision = "0005"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("data_table_triggers") as batch:
        batch.add_column(sa.Column("sources", JSON, nullable=True))
        batch.add_column(sa.Column("ignore_workflows", JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("data_table_triggers") as batch:
        batch.drop_column("ignore_workflows")
        batch.drop_column("sources")
