"""Connections (credentials): stored encrypted, shown masked, decrypted only in workers.

Secret fields never leave the server again after they are saved: lists and details show
them as set or not set, and an update that leaves a secret out keeps the stored one.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from nodes import registry
from server.db import Credential
from server.errors import Conflict, Invalid, NotFound
from server.services import Services

MASK = "••••••••"


def describe(credential: Credential, data: dict[str, Any]) -> dict[str, Any]:
    """A connection as the API shows it: secrets masked."""
    kind = registry.get_credential_kind(credential.kind)
    secret = kind.secret_fields() if kind else set(data)
    return {
        "id": credential.id,
        "name": credential.name,
        "kind": credential.kind,
        "data": {key: (MASK if key in secret and value else value)
                 for key, value in data.items() if key not in secret or value},
        "created_at": credential.created_at.isoformat() + "Z",
        "updated_at": credential.updated_at.isoformat() + "Z",
    }


def _check(kind_id: str, data: Any) -> registry.CredentialKind:
    kind = registry.get_credential_kind(kind_id)
    if kind is None:
        known = ", ".join(k.id for k in registry.credential_kinds())
        raise Invalid(f"{kind_id!r} is not a connection kind (known: {known}).")
    if not isinstance(data, dict):
        raise Invalid("data must be an object with the connection's fields.")
    errors = sorted(Draft202012Validator(kind.schema).iter_errors(data), key=str)
    if errors:
        raise Invalid(f"The {kind.title} connection is incomplete: {errors[0].message}.",
                      errors=[{"message": e.message, "pointer": "/data/" + "/".join(
                          map(str, e.absolute_path))} for e in errors])
    return kind


def create(svc: Services, session: Session, name: str, kind_id: str,
           data: dict[str, Any]) -> Credential:
    kind = _check(kind_id, data)
    if kind.test is not None and (problem := kind.test(data)):
        raise Invalid(f"The connection does not work: {problem}")
    credential = Credential(name=name, kind=kind_id, data=svc.vault.encrypt(data))
    session.add(credential)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"A connection named {name!r} exists already.") from None
    return credential


def update(svc: Services, session: Session, credential: Credential, name: str | None,
           data: dict[str, Any] | None) -> Credential:
    if data is not None:
        merged = {**svc.vault.decrypt(credential.data),
                  **{k: v for k, v in data.items() if v != MASK}}
        _check(credential.kind, merged)
        credential.data = svc.vault.encrypt(merged)
    if name is not None and name != credential.name:
        credential.name = name
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"A connection named {name!r} exists already.") from None
    return credential


def get(session: Session, credential_id: int) -> Credential:
    credential = session.get(Credential, credential_id)
    if credential is None:
        raise NotFound(f"There is no connection {credential_id}.")
    return credential


def load_by_name(svc: Services, name: str) -> dict[str, Any] | None:
    """The decrypted connection for a run: {"kind": ..., "id": ..., **fields}."""
    with svc.db.session() as session:
        credential = session.scalars(select(Credential).where(Credential.name == name)).first()
        if credential is None:
            return None
        return {**svc.vault.decrypt(credential.data), "kind": credential.kind,
                "id": credential.id, "name": credential.name}
