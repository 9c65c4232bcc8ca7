"""SQLAlchemy 2 models. Times are naive UTC (`utcnow()`), the same in SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

JSONType = JSON().with_variant(JSONB(), "postgresql")


class Serialized(str):
    """JSON text made already (and redacted): stored as it is, not serialized again."""


class JSONText(TypeDecorator[Any]):
    """JSON kept as text: for step payloads, written once per step and never queried inside,
    so they are serialized (and redacted) once, by the recorder, not again by the driver."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None or isinstance(value, Serialized):
            return value
        return json.dumps(value, default=str, ensure_ascii=False)

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return None if value is None else json.loads(value)


#: The largest id any table holds: ids are 32-bit integers in PostgreSQL (INTEGER), so a
#: larger number in a URL or a filter is simply not found rather than a database error.
MAX_ID = 2**31 - 1


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSONType, list[Any]: JSONType, Any: JSONType}


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    WAITING = "waiting"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED)


class StepStatus(StrEnum):
    RUNNING = "running"
    WAITING = "waiting"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


class Workflow(Base):
    __tablename__ = "workflows"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("workflow_versions.id", use_alter=True, ondelete="SET NULL")
    )
    active_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("workflow_versions.id", use_alter=True, ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    current_version: Mapped[WorkflowVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )
    active_version: Mapped[WorkflowVersion | None] = relationship(
        foreign_keys=[active_version_id], post_update=True
    )


class WorkflowVersion(Base):
    """An immutable snapshot of a workflow document; runs point at the one they ran."""

    __tablename__ = "workflow_versions"
    # Ids are never reused (SQLite would reuse the highest after a delete): processes cache
    # what they derive from a version by its id.
    __table_args__ = (UniqueConstraint("workflow_id", "number"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    workflow_id: Mapped[int] = mapped_column(
        ForeignKey("workflows.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(200))


class Run(Base):
    __tablename__ = "runs"
    __table_args__ = (
        Index("ix_runs_workflow_id_id", "workflow_id", "id"),
        Index("ix_runs_status_id", "status", "id"),
        Index("ix_runs_created_at", "created_at"),
        # A run id names its jobs and Redis keys: never reuse one.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workflow_id: Mapped[int] = mapped_column(ForeignKey("workflows.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(
        ForeignKey("workflow_versions.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(16), default=RunStatus.QUEUED)
    #: manual, webhook, schedule, error, subworkflow, retry, ghl, ...
    trigger_kind: Mapped[str] = mapped_column(String(32))
    trigger_node: Mapped[str | None] = mapped_column(String(100))
    trigger_payload: Mapped[Any | None]
    #: Node id -> {port: items} used instead of running that node (test runs).
    pinned: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: {"message", "node_id", "node_name", "details"} when the run failed.
    error: Mapped[dict[str, Any] | None]
    #: The run this one retries, or the run that started this sub-workflow or error workflow.
    parent_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("runs.id", ondelete="SET NULL"), index=True
    )
    #: Why the parent link exists: "retry", "subworkflow", "error_workflow".
    parent_relation: Mapped[str | None] = mapped_column(String(20))
    worker: Mapped[str | None] = mapped_column(String(200))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: How many times a worker took this run (more than one after a crash).
    claims: Mapped[int] = mapped_column(Integer, default=0)
    wait_until: Mapped[datetime | None] = mapped_column(DateTime)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)

    workflow: Mapped[Workflow] = relationship()
    version: Mapped[WorkflowVersion] = relationship()
    steps: Mapped[list[Step]] = relationship(
        back_populates="run", order_by="Step.id", cascade="all, delete-orphan"
    )


class Step(Base):
    """One attempt of one node in one run, with the items it took and gave."""

    __tablename__ = "steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    node_id: Mapped[str] = mapped_column(String(100))
    node_name: Mapped[str] = mapped_column(String(200))
    node_type: Mapped[str] = mapped_column(String(200))
    #: Loop iteration (0-based) for nodes inside a loop; None elsewhere.
    iteration: Mapped[int | None] = mapped_column(Integer)
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16))
    #: {port: items}; possibly truncated (see `truncated`); secrets redacted.
    input: Mapped[dict[str, Any] | None] = mapped_column(JSONText)
    output: Mapped[dict[str, Any] | None] = mapped_column(JSONText)
    #: {port: count}, kept apart so lists and graphs need not load payloads.
    input_counts: Mapped[dict[str, Any] | None]
    output_counts: Mapped[dict[str, Any] | None]
    params: Mapped[dict[str, Any] | None] = mapped_column(JSONText)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSONText)
    truncated: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Bytes of JSON in input and output; runs keep full payloads until they finish, then
    #: steps over the limit are truncated (a run in flight may need them to resume).
    payload_bytes: Mapped[int] = mapped_column(Integer, default=0)
    #: "ran"; "pinned" (test data stood in for the node); "copied" (from the retried run).
    origin: Mapped[str] = mapped_column(String(10), default="ran")
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)

    run: Mapped[Run] = relationship(back_populates="steps")


class WebhookEvent(Base):
    """A raw incoming event, stored before it is answered; `dedupe_key` drops replays."""

    __tablename__ = "webhook_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(16))
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    location_id: Mapped[str | None] = mapped_column(String(100), index=True)
    event_type: Mapped[str | None] = mapped_column(String(100))
    headers: Mapped[dict[str, Any] | None]
    body: Mapped[Any | None]
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    run_ids: Mapped[list[Any] | None]


class WebhookRoute(Base):
    """A webhook trigger of an active workflow: METHOD /webhook/<path> starts it."""

    __tablename__ = "webhook_routes"
    __table_args__ = (UniqueConstraint("method", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(300))
    workflow_id: Mapped[int] = mapped_column(
        ForeignKey("workflows.id", ondelete="CASCADE"), index=True
    )
    node_id: Mapped[str] = mapped_column(String(100))


class Schedule(Base):
    """A schedule trigger of an active workflow; the scheduler fires it at `next_fire_at`."""

    __tablename__ = "schedules"
    __table_args__ = (UniqueConstraint("workflow_id", "node_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workflow_id: Mapped[int] = mapped_column(ForeignKey("workflows.id", ondelete="CASCADE"))
    node_id: Mapped[str] = mapped_column(String(100))
    cron: Mapped[str] = mapped_column(String(100))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    next_fire_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    last_fired_at: Mapped[datetime | None] = mapped_column(DateTime)


class Credential(Base):
    """A connection's secrets, encrypted with MultiFernet; `data` is never sent to a browser."""

    __tablename__ = "credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(100))
    data: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class NodeState(Base):
    """Small durable state a trigger or node keeps between runs: a polling cursor, a
    round-robin position. Keyed by workflow, node and a name."""

    __tablename__ = "node_state"
    __table_args__ = (UniqueConstraint("workflow_id", "node_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workflow_id: Mapped[int] = mapped_column(ForeignKey("workflows.id", ondelete="CASCADE"))
    node_id: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(100))
    value: Mapped[Any | None]
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Role(StrEnum):
    """What a person may do: viewers read; editors edit and run workflows; admins manage
    connections and people; owners everything."""

    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"
    OWNER = "owner"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), default=Role.VIEWER)
    #: Set for generated passwords: the person must choose their own before anything else.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)


class ApiToken(Base):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters, so a person can tell their tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()


class AuditEntry(Base):
    """Who created, changed, activated, deleted or ran what; who touched which connection."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any] | None]
    ip: Mapped[str | None] = mapped_column(String(64))


class AppSetting(Base):
    """A setting changed in the UI (it wins over the environment's default): run retention,
    failure alerts, ..."""

    __tablename__ = "app_settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any | None]
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
