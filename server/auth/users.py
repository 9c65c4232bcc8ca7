"""People: create them, change their role or password, make the first owner."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.auth import passwords
from server.auth.permissions import ROLE_ORDER
from server.db import Role, User
from server.errors import Conflict, Forbidden, Invalid, NotFound

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
DEFAULT_OWNER_EMAIL = "owner@flowlane.local"


def describe(user: User) -> dict[str, object]:
    return {
        "id": user.id, "email": user.email, "name": user.name, "role": user.role,
        "disabled": user.disabled, "must_change_password": user.must_change_password,
        "created_at": user.created_at.isoformat() + "Z",
        "last_login_at": user.last_login_at.isoformat() + "Z" if user.last_login_at else None,
    }


def by_email(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(func.lower(User.email) == email.lower())).first()


def get(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user {user_id}.")
    return user


def create(session: Session, email: str, role: str, password: str | None = None,
           name: str = "") -> tuple[User, str | None]:
    """A new user; with no password given, one is generated, returned once, and must be
    changed at first sign-in."""
    email = email.strip()
    if not EMAIL.match(email):
        raise Invalid(f"{email!r} is not an email address.")
    if role not in ROLE_ORDER:
        raise Invalid(f"{role!r} is not a role (viewer, editor, admin, owner).")
    generated = None
    if password is None:
        password = generated = passwords.generate()
    elif problem := passwords.weakness(password, email):
        raise Invalid(problem)
    user = User(email=email, name=name, role=role, password_hash=passwords.hash_password(password),
                must_change_password=generated is not None)
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"A user with the email {email} exists already.") from None
    return user, generated


def set_password(user: User, new_password: str) -> None:
    if problem := passwords.weakness(new_password, user.email):
        raise Invalid(problem)
    user.password_hash = passwords.hash_password(new_password)
    user.must_change_password = False


def change_role(session: Session, actor: User, user: User, role: str) -> None:
    if role not in ROLE_ORDER:
        raise Invalid(f"{role!r} is not a role (viewer, editor, admin, owner).")
    if role == Role.OWNER and actor.role != Role.OWNER:
        raise Forbidden("Only an owner can make someone an owner.")
    if user.role == Role.OWNER and role != Role.OWNER:
        check_owner_removal(session, actor, user)
    user.role = role


def check_owner_removal(session: Session, actor: User, user: User) -> None:
    """An owner may be demoted, disabled or deleted only by an owner, and never the last."""
    if user.role != Role.OWNER:
        return
    if actor.role != Role.OWNER:
        raise Forbidden("Only an owner can demote, disable or remove an owner.")
    if owner_count(session) <= 1:
        raise Conflict("This is the last owner; make someone else owner first.")


def owner_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User).where(
        User.role == Role.OWNER, User.disabled.is_(False))) or 0


def ensure_owner(session: Session, email: str = DEFAULT_OWNER_EMAIL,
                 password: str = "") -> str | None:
    """On first start, create the owner. Without a configured password one is generated,
    returned to print once, and must be changed at first sign-in."""
    if session.scalar(select(func.count()).select_from(User)):
        return None
    _user, generated = create(session, email, Role.OWNER, password or None)
    return generated
