"""The Flask application factory: blueprints, Socket.IO, error handlers, the app shell."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, render_template
from werkzeug.routing import IntegerConverter

from server import errors, realtime
from server.api import (
    auth,
    catalog,
    credentials,
    dashboards,
    expressions,
    ghl,
    health,
    hooks,
    n8n_import,
    notifications,
    openapi,
    people,
    runs,
    settings,
    shell,
    tables,
    templates,
    workflows,
)
from server.api.base import close_session
from server.auth import guard
from server.config import Config
from server.db.models import MAX_ID
from server.engine.filters import money
from server.secrets import load_or_create_key_file
from server.services import Services

BLUEPRINTS = (auth.bp, people.bp, catalog.bp, workflows.bp, runs.bp, credentials.bp, hooks.bp,
              health.bp, openapi.bp, expressions.bp, settings.bp, notifications.bp,
              dashboards.bp, tables.bp, shell.bp, n8n_import.bp, ghl.bp, templates.bp)


def create_app(config: Config | None = None, redis_url: str | None = None) -> Flask:
    """Build one app. Tests build many, each with its own database and Redis."""
    config = config or Config.from_env()
    redis_url = redis_url or config.redis_url or os.environ.get("REDIS_URL", "")
    if not redis_url:
        raise RuntimeError("Flowlane needs Redis: set REDIS_URL, or start it with "
                           "`flowlane web` / `flowlane up`, which launch the embedded one.")
    app = Flask(__name__, static_folder="static", template_folder="templates")
    app.config.update(
        SECRET_KEY=config.session_secret or _session_secret(config.data_dir),
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
        TESTING=config.testing,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.jinja_env.filters["money"] = money
    app.url_map.converters["int"] = DatabaseId
    app.extensions["flowlane"] = Services(config, redis_url)
    errors.init_app(app)
    guard.init_app(app, config.cookies_secure)
    app.teardown_appcontext(close_session)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    realtime.init_app(app, redis_url)

    @app.get("/")
    def shell() -> str:
        return render_template("app.html", built=_frontend_built(app))

    return app


class DatabaseId(IntegerConverter):
    """`<int:...>` ids stop at the largest id a table holds: a larger one is simply not found."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def _session_secret(data_dir: Path) -> str:
    return load_or_create_key_file(data_dir / "session.key")[0].decode()


def _frontend_built(app: Flask) -> bool:
    return (Path(app.static_folder or "") / "app" / "index.js").exists()
