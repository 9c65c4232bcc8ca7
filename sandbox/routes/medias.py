"""Media library uploads (apps/medias.json, POST /medias/upload-file): the multipart file
(or a `fileUrl` with `hosted`) is kept per location, so a test can see what arrived."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import request

from sandbox.api import Call, Operations
from sandbox.errors import bad_request
from sandbox.ids import new_id

ops = Operations("medias")


@ops.route("POST", "/medias/upload-file")
def upload_file(call: Call) -> dict[str, Any]:
    location = call.location()
    form, upload = request.form, request.files.get("file")
    if upload is not None:
        content, filename, mime = upload.read(), upload.filename, upload.mimetype
    elif form.get("fileUrl"):
        content, filename, mime = b"", "", None
    else:
        raise bad_request("Send a file, or a fileUrl with hosted=true")
    file_id = new_id()
    call.crm.media[file_id] = {
        "id": file_id, "locationId": location["id"],
        "name": form.get("name") or filename or file_id,
        "size": len(content), "sha256": hashlib.sha256(content).hexdigest(), "contentType": mime,
        "fileUrl": form.get("fileUrl"), "parentId": form.get("parentId"),
    }
    return {"fileId": file_id, "url": f"{call.base_url}/_sandbox/media/{file_id}"}
