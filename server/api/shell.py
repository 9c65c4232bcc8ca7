"""The editor's client-side routes (/workflows/3, /connections, /runs/12, ...) answer with the
app shell, so a reload or a shared link opens the right page. API-like paths keep their 404s."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, render_template

from server.auth.permissions import public
from server.errors import NotFound

bp = Blueprint("shell", __name__)

#: Prefixes that belong to the server, never to the browser's router.
SERVER_PREFIXES = ("api/", "webhook/", "webhook-test/", "hooks/", "static/", "socket.io/")


@bp.get("/<path:path>")
@public  # the shell is public HTML; an unknown /api/ path is a plain 404 for anyone
def client_route(path: str) -> str:
    if path.startswith(SERVER_PREFIXES) or path in ("api", "static", "hooks", "webhook"):
        raise NotFound(f"There is nothing at /{path}.")
    built = (Path(current_app.static_folder or "") / "app" / "index.js").exists()
    return render_template("app.html", built=built)
