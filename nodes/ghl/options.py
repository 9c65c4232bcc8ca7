"""Dropdown options for the editor (pipelines, stages of a pipeline, users, custom fields,
calendars), fetched live through the chosen connection and cached briefly in Redis.

A param names its source in its schema: `"ui": {"options": "ghl.stages", "depends_on":
["pipeline_id"]}`; the editor asks GET /api/options/ghl.stages?credential=...&pipeline_id=...
The raw answers are cached per connection (FLOWLANE_GHL_OPTIONS_TTL_S, default 60 s), so
opening ten forms costs one request, and triggers reuse them to add stage and owner names.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from nodes.ghl import openapi
from nodes.ghl.auth import Connection
from nodes.ghl.client import GhlClient
from nodes.ghl.settings import settings
from server import keys

Option = dict[str, Any]


def _get(client: GhlClient, path: str, spec_path: str, query: Mapping[str, Any]) -> Any:
    """GET with the Version header the spec lists for `spec_path`."""
    operation = openapi.find("GET", spec_path)
    return client.get(path, version=operation.version if operation else None, query=query)


def _raw(host: Any, connection: Connection, name: str, fetch: Callable[[GhlClient], Any],
         refresh: bool = False) -> Any:
    key = keys.ghl_options_cache(connection.id or 0, name)
    redis = host.svc.redis
    if not refresh:
        cached = redis.get(key)
        if cached is not None:
            return json.loads(cached)
    value = fetch(host.client(connection))
    redis.set(key, json.dumps(value), ex=max(1, int(settings().options_ttl_s)))
    return value


def pipelines_raw(host: Any, connection: Connection, refresh: bool = False) -> list[Any]:
    def fetch(client: GhlClient) -> Any:
        body = _get(client, "/opportunities/pipelines", "/opportunities/pipelines",
                    {"locationId": connection.location_id})
        return body.get("pipelines") or []

    return list(_raw(host, connection, "pipelines", fetch, refresh))


def users_raw(host: Any, connection: Connection, refresh: bool = False) -> list[Any]:
    def fetch(client: GhlClient) -> Any:
        body = _get(client, "/users/", "/users/", {"locationId": connection.location_id})
        return body.get("users") or []

    return list(_raw(host, connection, "users", fetch, refresh))


def custom_fields_raw(host: Any, connection: Connection, refresh: bool = False) -> list[Any]:
    def fetch(client: GhlClient) -> Any:
        body = _get(client, f"/locations/{connection.location_id}/customFields",
                    "/locations/{locationId}/customFields", {"model": "all"})
        return body.get("customFields") or []

    return list(_raw(host, connection, "custom_fields", fetch, refresh))


def calendars_raw(host: Any, connection: Connection, refresh: bool = False) -> list[Any]:
    def fetch(client: GhlClient) -> Any:
        body = _get(client, "/calendars/", "/calendars/", {"locationId": connection.location_id})
        return body.get("calendars") or []

    return list(_raw(host, connection, "calendars", fetch, refresh))


def _pipelines(host: Any, connection: Connection, args: Mapping[str, str],
               refresh: bool) -> list[Option]:
    return [{"value": p["id"], "label": p.get("name") or p["id"]}
            for p in pipelines_raw(host, connection, refresh)]


def _stages(host: Any, connection: Connection, args: Mapping[str, str],
            refresh: bool) -> list[Option]:
    wanted = args.get("pipeline_id") or args.get("pipelineId") or ""
    found = []
    for pipeline in pipelines_raw(host, connection, refresh):
        if wanted and pipeline.get("id") != wanted:
            continue
        for stage in pipeline.get("stages") or []:
            if not isinstance(stage, dict):
                continue
            label = stage.get("name") or stage.get("id")
            if not wanted:
                label = f"{pipeline.get('name')} > {label}"
            found.append({"value": stage.get("id"), "label": label,
                          "pipeline_id": pipeline.get("id")})
    return found


def _users(host: Any, connection: Connection, args: Mapping[str, str],
           refresh: bool) -> list[Option]:
    return [{"value": u["id"], "label": user_name(u), "email": u.get("email")}
            for u in users_raw(host, connection, refresh)]


def _custom_fields(host: Any, connection: Connection, args: Mapping[str, str],
                   refresh: bool) -> list[Option]:
    model = args.get("model") or ""
    return [{"value": f["id"], "label": f.get("name") or f["id"], "key": f.get("fieldKey"),
             "model": f.get("model"), "data_type": f.get("dataType")}
            for f in custom_fields_raw(host, connection, refresh)
            if not model or model == "all" or f.get("model") == model]


def _calendars(host: Any, connection: Connection, args: Mapping[str, str],
               refresh: bool) -> list[Option]:
    return [{"value": c["id"], "label": c.get("name") or c["id"]}
            for c in calendars_raw(host, connection, refresh)]


SOURCES: dict[str, Callable[[Any, Connection, Mapping[str, str], bool], list[Option]]] = {
    "ghl.pipelines": _pipelines,
    "ghl.stages": _stages,
    "ghl.users": _users,
    "ghl.custom_fields": _custom_fields,
    "ghl.calendars": _calendars,
}


def options(host: Any, connection: Connection, source: str, args: Mapping[str, str],
            refresh: bool = False) -> list[Option]:
    """The choices of `source`; KeyError when there is no such source."""
    return SOURCES[source](host, connection, args, refresh)


def user_name(user: Mapping[str, Any]) -> str:
    name = user.get("name") or " ".join(
        str(user.get(k) or "") for k in ("firstName", "lastName")).strip()
    return str(name or user.get("email") or user.get("id") or "")
