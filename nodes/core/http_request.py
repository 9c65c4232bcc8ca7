"""HTTP request: call any URL, once per item, and return the response as items."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

import httpx

from nodes.registry import Item, Items, NodeError, Outputs, Params, RunContext, node

_KEY_VALUES = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}, "value": {}},
    },
}

#: Largest response body read (bytes); a bigger one fails the node instead of the worker.
MAX_RESPONSE_BYTES = 10 * 1024 * 1024


@node(
    type="core.http",
    title="HTTP request",
    group="HTTP",
    description="Call a URL (GET, POST, ...) with headers, query and a JSON or form body.",
    icon="globe",
    credential="http",
    credential_required=False,
    params={
        "type": "object",
        "required": ["url"],
        "properties": {
            "method": {"title": "Method",
                       "enum": ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"],
                       "default": "GET"},
            "url": {"title": "URL", "type": "string", "minLength": 1},
            "query": {"title": "Query parameters", **_KEY_VALUES},
            "headers": {"title": "Headers", **_KEY_VALUES},
            "body_type": {"title": "Body", "enum": ["none", "json", "form", "text"],
                          "default": "none"},
            "body": {"title": "Body content",
                     "description": "An object for JSON and form bodies, text otherwise."},
            "timeout_s": {"title": "Timeout (seconds)", "type": "number", "exclusiveMinimum": 0,
                          "maximum": 600, "default": 30},
            "response": {"title": "Response", "enum": ["auto", "json", "text"],
                         "default": "auto"},
            "full_response": {"title": "Include status and headers", "type": "boolean",
                              "default": False},
            "fail_on_error_status": {"title": "Fail on 4xx/5xx", "type": "boolean",
                                     "default": True},
            "split_list": {"title": "One item per list entry", "type": "boolean",
                           "default": True,
                           "description": "When the response is a list, make each entry an item."},
        },
    },
)
def run(ctx: RunContext, items: Items, params: Params) -> Outputs:
    results: Items = []
    for index, item in enumerate(items or [{}]):
        if ctx.cancelled():
            break
        results.extend(request(ctx, params.render(item, index)))
    return {"main": results}


def request(ctx: RunContext, rendered: Mapping[str, Any]) -> Items:
    method = rendered.get("method", "GET")
    headers = _pairs(rendered.get("headers"))
    headers.update(_auth_headers(ctx.credential))
    options = _body(rendered)
    if "content" in options and rendered.get("body_type") == "form":
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    options["headers"] = headers
    timeout = float(rendered.get("timeout_s") or 30)
    try:
        # httpx replaces the URL's own query with `params=`; merging keeps both.
        url = httpx.URL(rendered["url"]).copy_merge_params(_pairs(rendered.get("query")))
        with ctx.http.stream(method, url, timeout=timeout, **options) as response:
            content = _read_capped(response)
    except httpx.TimeoutException:
        raise NodeError(f"{method} {rendered['url']} timed out after {timeout:g} s.") from None
    except (httpx.HTTPError, ValueError) as err:
        raise NodeError(f"{method} {rendered['url']} failed: {err}.") from None
    data = _decode(response, content, rendered.get("response", "auto"))
    if response.status_code >= 400 and rendered.get("fail_on_error_status", True):
        raise NodeError(
            f"{method} {rendered['url']} answered {response.status_code} "
            f"{response.reason_phrase}.",
            {"status": response.status_code, "body": data},
        )
    if rendered.get("full_response"):
        return [{"status": response.status_code, "headers": dict(response.headers),
                 "body": data}]
    if isinstance(data, list) and rendered.get("split_list", True):
        return [entry if isinstance(entry, dict) else {"value": entry} for entry in data]
    return [data if isinstance(data, dict) else {"body": data}]


def _body(rendered: Mapping[str, Any]) -> dict[str, Any]:
    """The body as httpx options. The editor gives text for a body typed by hand, so JSON
    text is parsed (not sent as one JSON string) and form text is sent as it is."""
    body_type, body = rendered.get("body_type", "none"), rendered.get("body")
    if body_type == "json":
        if isinstance(body, str):
            try:
                body = json.loads(body) if body.strip() else None
            except ValueError as err:
                raise NodeError(f"The JSON body is not valid JSON ({err}).") from None
        return {"json": body}
    if body_type == "form":
        if isinstance(body, str):
            return {"content": body}
        return {"data": body if isinstance(body, dict) else {}}
    if body_type == "text":
        return {"content": "" if body is None else str(body)}
    return {}


def _read_capped(response: httpx.Response) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise NodeError(f"The response is larger than {_size(MAX_RESPONSE_BYTES)}.")
        chunks.append(chunk)
    return b"".join(chunks)


def _size(count: int) -> str:
    megabytes = count / 1024 / 1024
    return f"{megabytes:g} MB" if megabytes >= 1 else f"{count} bytes"


def _decode(response: httpx.Response, content: bytes, mode: str) -> Any:
    text = content.decode(response.encoding or "utf-8", errors="replace")
    is_json = "json" in response.headers.get("content-type", "")
    if mode == "json" or (mode == "auto" and is_json):
        if not text.strip():
            return {}
        try:
            return json.loads(text)
        except ValueError:
            if mode == "json":
                raise NodeError("The response is not valid JSON.", {"body": text[:2000]}) from None
    return text


def _pairs(rows: Any) -> dict[str, str]:
    if isinstance(rows, dict):
        return {str(k): str(v) for k, v in rows.items()}
    return {str(row["name"]): "" if row.get("value") is None else str(row["value"])
            for row in rows or [] if isinstance(row, dict) and row.get("name")}


def _auth_headers(credential: Item | None) -> dict[str, str]:
    """Headers for the HTTP credential kinds: basic, bearer, or one custom header."""
    if not credential:
        return {}
    kind = credential.get("kind")
    if kind == "http_basic":
        pair = f"{credential.get('username', '')}:{credential.get('password', '')}"
        return {"Authorization": "Basic " + base64.b64encode(pair.encode()).decode()}
    if kind == "http_bearer":
        return {"Authorization": f"Bearer {credential.get('token', '')}"}
    if kind == "http_header":
        return {str(credential.get("name", "Authorization")): str(credential.get("value", ""))}
    return {}
