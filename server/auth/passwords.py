"""Passwords: Argon2id hashes (argon2-cffi), generated first passwords, a minimum length."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10
_hasher = PasswordHasher()
#: Verifying against this when the user does not exist costs the same time as a real check,
#: so response times do not tell which emails have accounts.
_DUMMY_HASH = _hasher.hash("flowlane-not-a-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def generate() -> str:
    """A first password to print once: 20 URL-safe characters."""
    return secrets.token_urlsafe(15)


def weakness(password: str, email: str = "") -> str | None:
    """Why a password will not do, or None."""
    if len(password) < MIN_LENGTH:
        return f"A password needs at least {MIN_LENGTH} characters."
    if email and password.lower() == email.lower():
        return "A password cannot be your email address."
    if len(set(password)) < 4:
        return "A password needs more than a few different characters."
    return None
