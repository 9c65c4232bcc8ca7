"""The database: engine and sessions (`session.py`), models (`models.py`), migrations."""

from server.db.models import (
    Base,
    Credential,
    NodeState,
    Run,
    RunStatus,
    Schedule,
    Step,
    StepStatus,
    WebhookEvent,
    WebhookRoute,
    Workflow,
    WorkflowVersion,
)
from server.db.session import Database

__all__ = [
    "Base",
    "Credential",
    "Database",
    "NodeState",
    "Run",
    "RunStatus",
    "Schedule",
    "Step",
    "StepStatus",
    "WebhookEvent",
    "WebhookRoute",
    "Workflow",
    "WorkflowVersion",
]
