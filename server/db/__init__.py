"""The database: engine and sessions (`session.py`), models (`models.py`), migrations."""

from server.db.alerts_models import (
    Artifact,
    Notification,
    NotificationRead,
    PublishedDashboard,
)
from server.db.ghl_models import GhlPoll, GhlSnapshot, GhlSubscription
from server.db.models import (
    ApiToken,
    AppSetting,
    AuditEntry,
    Base,
    Credential,
    NodeState,
    Role,
    Run,
    RunStatus,
    Schedule,
    Step,
    StepStatus,
    User,
    WebhookEvent,
    WebhookRoute,
    Workflow,
    WorkflowVersion,
)
from server.db.session import Database
from server.db.tables_models import DataColumn, DataRow, DataTable, TableTrigger

__all__ = [
    "ApiToken",
    "AppSetting",
    "Artifact",
    "AuditEntry",
    "Base",
    "Credential",
    "DataColumn",
    "DataRow",
    "DataTable",
    "Database",
    "GhlPoll",
    "GhlSnapshot",
    "GhlSubscription",
    "NodeState",
    "Notification",
    "NotificationRead",
    "PublishedDashboard",
    "Role",
    "Run",
    "RunStatus",
    "Schedule",
    "Step",
    "StepStatus",
    "TableTrigger",
    "User",
    "WebhookEvent",
    "WebhookRoute",
    "Workflow",
    "WorkflowVersion",
]
