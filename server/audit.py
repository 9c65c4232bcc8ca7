"""The audit log: who did what to which workflow, run, connection or person."""

from __future__ import annotations

import getpass
from typing import Any

from flask import g, has_request_context, request
from sqlalchemy.orm import Session

from server.db import AuditEntry


def record(session: Session, action: str, target_type: str, target_id: Any = None,
           **detail: Any) -> None:
    """Add an entry to the session; it is written with the change it describes."""
    user = g.get("user") if has_request_context() else None
    if user is not None:
        actor, user_id = user.email, user.id
    else:
        actor, user_id = f"cli:{_os_user()}", None
    session.add(AuditEntry(
        user_id=user_id, actor=actor, action=action, target_type=target_type,
        target_id=None if target_id is None else str(target_id), detail=detail or None,
        ip=request.remote_addr if has_request_context() else None,
    ))


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
