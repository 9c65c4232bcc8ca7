"""Run Alembic migrations from code (`flowlane db upgrade`, `make run`, the tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "heads") -> None:
    """Apply migrations; "heads" follows every branch, so work merged from two lines of
    development (each with its own migration) upgrades without a merge revision."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def revision(url: str, message: str) -> None:
    """Autogenerate a migration from the models (developers: `flowlane db revision -m ...`)."""
    command.revision(alembic_config(url), message=message, autogenerate=True)
