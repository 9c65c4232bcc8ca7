"""Tables of the HighLevel connector: trigger subscriptions, polls, and opportunity snapshots.

Raw incoming events are `WebhookEvent` rows (models.py) and polling cursors `NodeState` rows;
these tables hold what activation registers and what events teach us between events.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db.models import Base, utcnow


class GhlSubscription(Base):
    """An instant GHL trigger of an active workflow: events of `event_type` for
    `location_id` start it, when they pass its `filters`."""

    __tablename__ = "ghl_subscriptions"
    __table_args__ = (UniqueConstraint("workflow_id", "node_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workflow_id: Mapped[int] = mapped_column(
        ForeignKey("workflows.id", ondelete="CASCADE"), index=True)
    node_id: Mapped[str] = mapped_column(String(100))
    event_type: Mapped[str] = mapped_column(String(64), index=True)
    location_id: Mapped[str] = mapped_column(String(100), index=True)
    #: The connection's name, as the node names it (its keys and unsigned-event setting).
    credential: Mapped[str] = mapped_column(String(200))
    filters: Mapped[dict[str, Any] | None]


class GhlPoll(Base):
    """A polling GHL trigger of an active workflow; the scheduler polls it at `next_poll_at`.
    Its cursor is a `NodeState` row, written in the transaction that creates the run."""

    __tablename__ = "ghl_polls"
    __table_args__ = (UniqueConstraint("workflow_id", "node_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workflow_id: Mapped[int] = mapped_column(
        ForeignKey("workflows.id", ondelete="CASCADE"), index=True)
    node_id: Mapped[str] = mapped_column(String(100))
    credential: Mapped[str] = mapped_column(String(200))
    interval_s: Mapped[int] = mapped_column(Integer, default=60)
    next_poll_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    last_polled_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


class GhlSnapshot(Base):
    """The last known state of an opportunity, from its webhook events: HighLevel's events
    carry no previous values, so this is where "moved from stage X" and "value changed"
    come from."""

    __tablename__ = "ghl_snapshots"
    __table_args__ = (UniqueConstraint("location_id", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[str] = mapped_column(String(100))
    record_id: Mapped[str] = mapped_column(String(100))
    data: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
