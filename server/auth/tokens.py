"""Personal API tokens for the REST API and the CLI: shown once, stored as a SHA-256 hash
(the tokens are long and random, so a slow hash adds nothing), revocable."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db import ApiToken, User
from server.db.models import utcnow

PREFIX = "flt_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token; the plain text is returned here and never again."""
    plain = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=digest(plain),
                     prefix=plain[: len(PREFIX) + 6])
    session.add(token)
    session.flush()
    return token, plain


def find(session: Session, plain: str) -> ApiToken | None:
    if not plain.startswith(PREFIX):
        return None
    token = session.scalars(select(ApiToken).where(ApiToken.token_hash == digest(plain))).first()
    if token is None or token.revoked_at is not None:
        return None
    return token


def revoke(token: ApiToken) -> None:
    token.revoked_at = token.revoked_at or utcnow()
