"""In-app notifications: the bell in the header, and a live toast when one arrives.

A notification is for one person or for everyone; read marks are per person. Nodes send
them through `ctx.service("notifications")`, failure alerts through `notify()`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from server.db import Notification, NotificationRead, User
from server.services import Services

LEVELS = ("info", "success", "warning", "error")
#: Every signed-in browser joins this room; a person's own notifications go to user:<id>.
EVERYONE_ROOM = "notifications"


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def describe(notification: Notification, read: bool = False) -> dict[str, Any]:
    return {
        "id": notification.id, "level": notification.level, "title": notification.title,
        "body": notification.body, "link": notification.link, "run_id": notification.run_id,
        "created_at": notification.created_at.isoformat() + "Z", "read": read,
    }


def notify(svc: Services, session: Session, title: str, body: str = "", level: str = "info",
           link: str | None = None, user_id: int | None = None,
           run_id: int | None = None) -> Notification:
    """Store a notification (committed) and push it to the browsers it is for."""
    notification = Notification(title=title[:300], body=body, link=link, user_id=user_id,
                                level=level if level in LEVELS else "info", run_id=run_id)
    session.add(notification)
    session.commit()
    room = EVERYONE_ROOM if user_id is None else user_room(user_id)
    svc.events.emit("notification", describe(notification), room)
    return notification


def _visible(user: User) -> Any:
    return or_(Notification.user_id.is_(None), Notification.user_id == user.id)


def for_user(session: Session, user: User, limit: int = 50) -> dict[str, Any]:
    read_ids = select(NotificationRead.notification_id).where(NotificationRead.user_id == user.id)
    rows = session.execute(
        select(Notification, Notification.id.in_(read_ids))
        .where(_visible(user), Notification.created_at >= user.created_at)
        .order_by(Notification.id.desc()).limit(limit)
    ).all()
    unread = session.scalar(
        select(func.count()).select_from(Notification)
        .where(_visible(user), Notification.created_at >= user.created_at,
               Notification.id.not_in(read_ids))
    ) or 0
    return {"notifications": [describe(n, bool(read)) for n, read in rows], "unread": unread}


def mark_read(session: Session, user: User, ids: list[int] | None) -> None:
    """Mark these (or, with None, all) of a person's notifications read."""
    query = select(Notification.id).where(_visible(user))
    if ids is not None:
        query = query.where(Notification.id.in_(ids))
    already = select(NotificationRead.notification_id).where(
        and_(NotificationRead.user_id == user.id))
    for notification_id in session.scalars(query.where(Notification.id.not_in(already))):
        session.add(NotificationRead(notification_id=notification_id, user_id=user.id))


class NotificationService:
    """`ctx.service("notifications")` for the in-app notification node."""

    def __init__(self, svc: Services, run_id: int) -> None:
        self.svc, self.run_id = svc, run_id

    def send(self, title: str, body: str = "", level: str = "info",
             link: str | None = None) -> dict[str, Any]:
        with self.svc.db.session() as session:
            return describe(notify(self.svc, session, title, body, level,
                                   link or f"/runs/{self.run_id}", run_id=self.run_id))


def _register() -> None:
    from server.runs import host_services

    host_services.register("notifications",
                           lambda svc, run, node_id: NotificationService(svc, run.id))


_register()
