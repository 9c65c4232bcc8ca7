"""The sandbox's webhook signing keys: Ed25519 for `x-ghl-signature`, RSA for `x-wh-signature`.

HighLevel signs the raw JSON body twice (NOTES.md §6.2): base64 Ed25519 over the bytes, and the
legacy base64 RSASSA-PKCS1-v1_5 SHA-256. The sandbox does the same with its own key pair, and
publishes the public halves (GET /_sandbox/keys) so a receiver can be told to trust it.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa

GHL_SIGNATURE = "x-ghl-signature"
LEGACY_SIGNATURE = "x-wh-signature"
ED25519_FILE = "webhook-ed25519.pem"
RSA_FILE = "webhook-rsa.pem"


@dataclass(frozen=True)
class SigningKeys:
    ed25519: ed25519.Ed25519PrivateKey
    rsa: rsa.RSAPrivateKey

    @classmethod
    def generate(cls, rsa_bits: int = 2048) -> SigningKeys:
        """Fresh keys. HighLevel's RSA key is 4096 bits; 2048 starts faster and verifies alike."""
        return cls(
            ed25519.Ed25519PrivateKey.generate(),
            rsa.generate_private_key(public_exponent=65537, key_size=rsa_bits),
        )

    @classmethod
    def from_pem(cls, ed25519_pem: bytes, rsa_pem: bytes) -> SigningKeys:
        ed_key = serialization.load_pem_private_key(ed25519_pem, password=None)
        rsa_key = serialization.load_pem_private_key(rsa_pem, password=None)
        if not isinstance(ed_key, ed25519.Ed25519PrivateKey):
            raise ValueError("the Ed25519 PEM does not hold an Ed25519 private key")
        if not isinstance(rsa_key, rsa.RSAPrivateKey):
            raise ValueError("the RSA PEM does not hold an RSA private key")
        return cls(ed_key, rsa_key)

    @classmethod
    def load_or_create(cls, directory: Path, rsa_bits: int = 2048) -> SigningKeys:
        """Keys kept in `directory` (mode 0600), so receivers keep trusting across restarts."""
        ed_path, rsa_path = directory / ED25519_FILE, directory / RSA_FILE
        if ed_path.exists() and rsa_path.exists():
            return cls.from_pem(ed_path.read_bytes(), rsa_path.read_bytes())
        keys = cls.generate(rsa_bits)
        directory.mkdir(parents=True, exist_ok=True)
        for path, pem in ((ed_path, keys.ed25519_private_pem), (rsa_path, keys.rsa_private_pem)):
            path.write_bytes(pem)
            path.chmod(0o600)
        return keys

    @property
    def ed25519_private_pem(self) -> bytes:
        return self.ed25519.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    @property
    def rsa_private_pem(self) -> bytes:
        return self.rsa.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    @property
    def ed25519_public_pem(self) -> str:
        """The key a receiver uses for `x-ghl-signature`."""
        return _public_pem(self.ed25519.public_key())

    @property
    def rsa_public_pem(self) -> str:
        """The key a receiver uses for the legacy `x-wh-signature`."""
        return _public_pem(self.rsa.public_key())

    def by_header(self) -> dict[str, str]:
        """`{"x-ghl-signature": Ed25519 PEM, "x-wh-signature": RSA PEM}`."""
        return {GHL_SIGNATURE: self.ed25519_public_pem, LEGACY_SIGNATURE: self.rsa_public_pem}

    def public_keys(self) -> dict[str, dict[str, str]]:
        return {
            "ed25519": {"header": GHL_SIGNATURE, "publicKey": self.ed25519_public_pem},
            "rsa": {"header": LEGACY_SIGNATURE, "publicKey": self.rsa_public_pem},
        }

    def sign(self, body: bytes) -> dict[str, str]:
        """Both signature headers for the exact body bytes that will be sent."""
        ed_signature = self.ed25519.sign(body)
        rsa_signature = self.rsa.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return {
            GHL_SIGNATURE: base64.b64encode(ed_signature).decode(),
            LEGACY_SIGNATURE: base64.b64encode(rsa_signature).decode(),
        }


def fetch_public_keys(base_url: str, timeout: float = 10.0) -> dict[str, str]:
    """The public keys of a running sandbox, by signature header, for a receiver to trust:
    `{"x-ghl-signature": Ed25519 PEM, "x-wh-signature": RSA PEM}`."""
    import httpx  # only receivers call this; the sandbox itself never does

    response = httpx.get(f"{base_url.rstrip('/')}/_sandbox/keys", timeout=timeout)
    response.raise_for_status()
    keys = response.json()
    return {keys["ed25519"]["header"]: keys["ed25519"]["publicKey"],
            keys["rsa"]["header"]: keys["rsa"]["publicKey"]}


def _public_pem(key: ed25519.Ed25519PublicKey | rsa.RSAPublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
