"""Webhook signatures: `x-ghl-signature` (Ed25519) or else the legacy `x-wh-signature`
(RSASSA-PKCS1-v1_5 with SHA-256), both base64 over the raw body bytes (NOTES.md §6.2).

As HighLevel's SDK does, a request carrying `x-ghl-signature` is judged by it alone: a bad
Ed25519 signature is not rescued by a legacy one. Trusted keys are HighLevel's published pair
(manifest.toml), PEM files named in FLOWLANE_GHL_WEBHOOK_KEYS, and a connection's own extra
keys (the sandbox signs with its own pair).
"""

from __future__ import annotations

import base64
import binascii
import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from nodes.ghl.settings import manifest, settings

ED25519_HEADER = "x-ghl-signature"
RSA_HEADER = "x-wh-signature"


@functools.lru_cache(maxsize=128)
def _load(pem: str) -> Any:
    return load_pem_public_key(pem.strip().encode())


def _header_of(pem: str) -> str | None:
    try:
        key = _load(pem)
    except (ValueError, TypeError):
        return None
    if isinstance(key, ed25519.Ed25519PublicKey):
        return ED25519_HEADER
    if isinstance(key, rsa.RSAPublicKey):
        return RSA_HEADER
    return None


def trusted_keys(extra: Iterable[Mapping[str, Any]] = ()) -> dict[str, list[str]]:
    """PEMs by the header they verify: HighLevel's, the configured files', then `extra`."""
    hooks = manifest()["webhooks"]
    found: dict[str, list[str]] = {ED25519_HEADER: [hooks["ed25519"]], RSA_HEADER: [hooks["rsa"]]}
    pems = []
    for name in settings().webhook_key_files:
        path = Path(name)
        if path.is_file():
            pems.append(path.read_text())
    for keys in extra:
        pems.extend(str(pem) for pem in (keys or {}).values() if pem)
    for pem in pems:
        header = _header_of(pem)
        if header and pem not in found[header]:
            found[header].append(pem)
    return found


def verify(raw: bytes, headers: Mapping[str, str],
           extra: Iterable[Mapping[str, Any]] = ()) -> tuple[str | None, str]:
    """(the header that verified, "") or (None, why not)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    keys = trusted_keys(extra)
    signature = lowered.get(ED25519_HEADER, "").strip()
    if signature:
        decoded = _decode(signature)
        for pem in keys[ED25519_HEADER]:
            try:
                _load(pem).verify(decoded, raw)
                return ED25519_HEADER, ""
            except (InvalidSignature, ValueError):
                continue
        return None, "the x-ghl-signature does not match the body"
    signature = lowered.get(RSA_HEADER, "").strip()
    if signature:
        decoded = _decode(signature)
        for pem in keys[RSA_HEADER]:
            try:
                _load(pem).verify(decoded, raw, padding.PKCS1v15(), hashes.SHA256())
                return RSA_HEADER, ""
            except (InvalidSignature, ValueError):
                continue
        return None, "the x-wh-signature does not match the body"
    return None, "the event is not signed (no x-ghl-signature or x-wh-signature)"


def _decode(signature: str) -> bytes:
    try:
        return base64.b64decode(signature, validate=False)
    except (binascii.Error, ValueError):
        return b""
