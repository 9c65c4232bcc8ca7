"""Files runs make (CSV and PDF reports): stored as artifacts in the database, so any web
server can hand them out and any worker can attach them to an email."""

from __future__ import annotations

import re
from typing import Any

from server.db import Artifact
from server.errors import NotFound, TooLarge
from server.services import Services

#: Largest file a node may store (bytes).
MAX_FILE_BYTES = 20 * 1024 * 1024


def safe_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._ -]+", "-", name).strip(" .-")
    return cleaned[:200] or "file"


def describe(artifact: Artifact) -> dict[str, Any]:
    """What an item carries about a file (never the bytes)."""
    return {
        "artifact_id": artifact.id, "name": artifact.name, "mime": artifact.mime,
        "size": artifact.size, "url": f"/api/artifacts/{artifact.id}/download",
        "run_id": artifact.run_id, "created_at": artifact.created_at.isoformat() + "Z",
    }


class FileStore:
    """`ctx.service("files")`: save a file for this run, read one back by id."""

    def __init__(self, svc: Services, run_id: int | None, workflow_id: int | None) -> None:
        self.svc, self.run_id, self.workflow_id = svc, run_id, workflow_id

    def save(self, name: str, content: bytes, mime: str) -> dict[str, Any]:
        if len(content) > MAX_FILE_BYTES:
            raise TooLarge(f"{name} is larger than {MAX_FILE_BYTES // 1024 // 1024} MB.")
        artifact = Artifact(run_id=self.run_id or None, workflow_id=self.workflow_id or None,
                            name=safe_name(name), mime=mime, size=len(content), content=content)
        with self.svc.db.session() as session:
            session.add(artifact)
            session.commit()
            return describe(artifact)

    def read(self, artifact_id: int) -> tuple[str, str, bytes]:
        with self.svc.db.session() as session:
            artifact = session.get(Artifact, int(artifact_id))
            if artifact is None:
                raise NotFound(f"There is no file {artifact_id}.")
            return artifact.name, artifact.mime, artifact.content


def _register() -> None:
    from server.runs import host_services

    host_services.register("files",
                           lambda svc, run, node_id: FileStore(svc, run.id, run.workflow_id))


_register()
