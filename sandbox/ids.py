"""Identifiers shaped like HighLevel's: 20-character Firestore-style ids, UUIDs for stages."""

from __future__ import annotations

import random
import secrets
import string
import uuid

ALPHABET = string.ascii_letters + string.digits
_SYSTEM = random.SystemRandom()


def new_id(rng: random.Random | None = None) -> str:
    """A 20-character id such as `yWQobCRIhRguQtD2llvk`; from `rng` when seeding."""
    return "".join((rng or _SYSTEM).choices(ALPHABET, k=20))


def new_uuid(rng: random.Random | None = None) -> str:
    """A UUID4 string (pipeline stage ids look like this in GHL)."""
    if rng is None:
        return str(uuid.uuid4())
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def new_secret(prefix: str) -> str:
    """An opaque bearer secret (access/refresh token, authorization code)."""
    return f"{prefix}{secrets.token_hex(20)}"
