"""ghl: trigger subscriptions, polls and opportunity snapshots of the HighLevel connector

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "ghl_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.String(length=100), nullable=False),
        sa.Column("record_id", sa.String(length=100), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("location_id", "record_id"),
    )
    op.create_table(
        "ghl_polls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workflow_id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.String(length=100), nullable=False),
        sa.Column("credential", sa.String(length=200), nullable=False),
        sa.Column("interval_s", sa.Integer(), nullable=False),
        sa.Column("next_poll_at", sa.DateTime(), nullable=False),
        sa.Column("last_polled_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["workflow_id"], ["workflows.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workflow_id", "node_id"),
    )
    with op.batch_alter_table("ghl_polls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ghl_polls_next_poll_at"), ["next_poll_at"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_ghl_polls_workflow_id"), ["workflow_id"],
                              unique=False)
    op.create_table(
        "ghl_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workflow_id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.String(length=100), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("location_id", sa.String(length=100), nullable=False),
        sa.Column("credential", sa.String(length=200), nullable=False),
        sa.Column("filters", JSON, nullable=True),
        sa.ForeignKeyConstraint(["workflow_id"], ["workflows.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workflow_id", "node_id"),
    )
    with op.batch_alter_table("ghl_subscriptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ghl_subscriptions_event_type"), ["event_type"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_ghl_subscriptions_location_id"), ["location_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_ghl_subscriptions_workflow_id"), ["workflow_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ghl_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ghl_subscriptions_workflow_id"))
        batch_op.drop_index(batch_op.f("ix_ghl_subscriptions_location_id"))
        batch_op.drop_index(batch_op.f("ix_ghl_subscriptions_event_type"))
    op.drop_table("ghl_subscriptions")
    with op.batch_alter_table("ghl_polls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ghl_polls_workflow_id"))
        batch_op.drop_index(batch_op.f("ix_ghl_polls_next_poll_at"))
    op.drop_table("ghl_polls")
    op.drop_table("ghl_snapshots")
