"""Encryption of credentials at rest with MultiFernet.

Keys come from FLOWLANE_SECRET_KEYS (comma-separated, newest first) or from a key file that
is created with mode 0600 in the data dir on first run. The first key encrypts; every key
decrypts, so a new key can be added in front and `flowlane secrets rotate` re-encrypts.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

KEY_FILE = "secret.key"


class SecretsError(Exception):
    pass


class Vault:
    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise SecretsError("at least one encryption key is needed")
        try:
            self._fernet = MultiFernet([Fernet(key) for key in keys])
        except ValueError as err:
            raise SecretsError(
                "FLOWLANE_SECRET_KEYS must hold Fernet keys (32 url-safe base64 bytes each)"
            ) from err

    @classmethod
    def from_config(cls, secret_keys: str, data_dir: Path) -> Vault:
        if secret_keys.strip():
            return cls([key.strip().encode() for key in secret_keys.split(",") if key.strip()])
        return cls(load_or_create_key_file(data_dir / KEY_FILE))

    def encrypt(self, data: dict[str, Any]) -> str:
        return self._fernet.encrypt(json.dumps(data).encode()).decode()

    def decrypt(self, token: str) -> dict[str, Any]:
        try:
            return dict(json.loads(self._fernet.decrypt(token.encode())))
        except InvalidToken:
            raise SecretsError(
                "a credential cannot be decrypted with the configured keys"
            ) from None

    def rotate(self, token: str) -> str:
        """Re-encrypt under the newest key."""
        return self._fernet.rotate(token.encode()).decode()


def load_or_create_key_file(path: Path) -> list[bytes]:
    """The keys in the file, newest first; the file is created (mode 0600, never wider)
    with one new key when it does not exist."""
    if path.exists():
        return [line.strip() for line in path.read_bytes().splitlines() if line.strip()]
    key = Fernet.generate_key()
    write_key_file(path, [key])
    return [key]


def write_key_file(path: Path, keys: list[bytes]) -> None:
    """Replace the key file atomically; it is never readable by others, even briefly."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".new")
    temporary.unlink(missing_ok=True)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(b"".join(key + b"\n" for key in keys))
    os.replace(temporary, path)
