"""Models of data tables: Flowlane's own records (tables, typed columns, rows) and the
"Table changed" trigger registrations of active workflows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db.models import Base, utcnow


class DataTable(Base):
    """A table of records; its columns say what each row holds and how values are checked."""

    __tablename__ = "data_tables"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    #: The column whose values are unique among rows (upserts match on it); None for none.
    key_column: Mapped[str | None] = mapped_column(String(63))
    #: Which preset made it ("opportunities"), so presets are created once.
    preset: Mapped[str | None] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    columns: Mapped[list[DataColumn]] = relationship(
        back_populates="table", order_by="DataColumn.position", cascade="all, delete-orphan")


class DataColumn(Base):
    """A typed column: text, number, money, date, boolean, json or reference."""

    __tablename__ = "data_columns"
    __table_args__ = (UniqueConstraint("table_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("data_tables.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(63))
    type: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: Per type: {"currency"} for money, {"time"} for dates, {"choices"} for text,
    #: {"table_id"} for references, and {"description"} for any.
    options: Mapped[dict[str, Any] | None]

    table: Mapped[DataTable] = relationship(back_populates="columns")


class DataRow(Base):
    """One record. Values live in `data` (column name -> value, empty values left out), so
    adding a column touches no row; `key` mirrors the key column's value to keep it unique."""

    __tablename__ = "data_rows"
    __table_args__ = (
        UniqueConstraint("table_id", "key"),
        Index("ix_data_rows_table_id_id", "table_id", "id"),
        # Row ids are referenced by other rows and by trigger payloads: never reuse one.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("data_tables.id", ondelete="CASCADE"))
    key: Mapped[str | None] = mapped_column(String(255))
    data: Mapped[dict[str, Any]]
    #: Bumped by every write: two writers reading the same row cannot both save it, the
    #: second gets a conflict instead of silently undoing the first one's change.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __mapper_args__ = {"version_id_col": version}


class TableTrigger(Base):
    """A "Table changed" trigger of an active workflow, registered on activation."""

    __tablename__ = "data_table_triggers"
    __table_args__ = (UniqueConstraint("workflow_id", "node_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workflow_id: Mapped[int] = mapped_column(ForeignKey("workflows.id", ondelete="CASCADE"))
    node_id: Mapped[str] = mapped_column(String(100))
    table_id: Mapped[int] = mapped_column(
        ForeignKey("data_tables.id", ondelete="CASCADE"), index=True)
    #: Subset of ["created", "updated", "deleted"].
    events: Mapped[list[Any]]
    #: Updates fire only when one of these columns changed; empty means any column.
    columns: Mapped[list[Any]]
    #: Change sources that fire it (api, csv, workflow); null means every source.
    sources: Mapped[list[Any] | None]
    #: Names of workflows whose writes never fire it; null or empty means none.
    ignore_workflows: Mapped[list[Any] | None]
