"""Roles and what each may do. Every /api view declares its need with `@requires(...)` or
`@public`; `guard.py` enforces it, and a test walks every route with every role."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

from server.db.models import Role

F = TypeVar("F", bound=Callable[..., Any])


class Permission(StrEnum):
    READ = "read"                 # see workflows, runs, the catalogue, connection names
    EDIT = "edit"                 # create, change, activate, delete and run workflows
    CONNECTIONS = "connections"   # create, change and delete connections
    PEOPLE = "people"             # manage users and read the audit log
    SETTINGS = "settings"         # change Flowlane-wide settings (retention, alerts)
    OWNER = "owner"               # make or unmake owners


GRANTS: dict[str, frozenset[Permission]] = {
    Role.VIEWER: frozenset({Permission.READ}),
    Role.EDITOR: frozenset({Permission.READ, Permission.EDIT}),
    Role.ADMIN: frozenset({Permission.READ, Permission.EDIT, Permission.CONNECTIONS,
                           Permission.PEOPLE, Permission.SETTINGS}),
    Role.OWNER: frozenset(Permission),
}

ROLE_ORDER = [Role.VIEWER, Role.EDITOR, Role.ADMIN, Role.OWNER]


def allowed(role: str, permission: Permission) -> bool:
    return permission in GRANTS.get(role, frozenset())


def requires(permission: Permission) -> Callable[[F], F]:
    """Declare what a signed-in person needs to call this view."""

    def mark(view: F) -> F:
        view._permission = permission  # type: ignore[attr-defined]
        return view

    return mark


def public(view: F) -> F:
    """Declare a view open to anyone (login, health, webhooks): it checks its own input."""
    view._public = True  # type: ignore[attr-defined]
    return view


def permission_of(view: Any) -> Permission | None:
    """The view's declared permission; views that declare nothing need OWNER (fail closed)."""
    if getattr(view, "_public", False):
        return None
    return getattr(view, "_permission", Permission.OWNER)
