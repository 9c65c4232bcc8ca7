"""runs: a trigram index for text search in a run's error and trigger payload (PostgreSQL)

Revision ID: 0008_runs_search
Revises: 0001

The Runs page searches `error` and `trigger_payload` with ILIKE '%text%'. Without an index
that reads every run (over 100 ms at 100,000 runs); a pg_trgm GIN index on the searched
expression answers in a few milliseconds. The expression must stay the one
server/runs/queries.py filters on. SQLite has no such index: its search scans, as before.
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0008_runs_search"
down_revision = "0001"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

SEARCHED = ("(coalesce(CAST(error AS TEXT), '') || ' ' "
            "|| coalesce(CAST(trigger_payload AS TEXT), ''))")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    try:
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError:
        # A database user without the right to add extensions still gets a working search,
        # only a slower one; an administrator can add pg_trgm and run this again.
        log.warning("pg_trgm is not available: run text search works without its index")
        return
    op.execute("CREATE INDEX IF NOT EXISTS ix_runs_text_search ON runs "
               f"USING gin ({SEARCHED} gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_runs_text_search")
