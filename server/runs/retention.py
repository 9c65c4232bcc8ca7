"""Retention: finished runs older than the kept days, or beyond the kept number, are deleted
(their steps with them). Runs still queued, running or waiting are never touched."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import delete, func, select

from server import settings
from server.db import Run, RunStatus
from server.db.models import utcnow
from server.services import Services

log = logging.getLogger("flowlane.retention")

FINISHED = (RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED)
#: Deleted per statement, so a large backlog never holds a long lock.
BATCH = 1000


def prune(svc: Services) -> int:
    """One pass; returns how many runs were deleted."""
    with svc.db.session() as session:
        kept = settings.current(session, svc.config)
        cutoff = utcnow() - timedelta(days=int(kept["run_retention_days"]))
        finished = Run.status.in_(FINISHED)
        deleted = _delete_while(session, select(Run.id).where(finished, Run.created_at < cutoff))
        total = session.scalar(select(func.count()).select_from(Run).where(finished)) or 0
        excess = total - int(kept["run_retention_max_runs"])
        if excess > 0:
            oldest = select(Run.id).where(finished).order_by(Run.id).limit(excess)
            deleted += _delete_while(session, oldest, limit=excess)
    if deleted:
        log.info("retention deleted %s finished runs", deleted)
    return deleted


def _delete_while(session, query, limit: int | None = None) -> int:  # type: ignore[no-untyped-def]
    deleted = 0
    while limit is None or deleted < limit:
        size = BATCH if limit is None else min(BATCH, limit - deleted)
        ids = list(session.scalars(query.limit(size)))
        if not ids:
            break
        session.execute(delete(Run).where(Run.id.in_(ids)))
        session.commit()
        deleted += len(ids)
        if len(ids) < size:
            break
    return deleted
