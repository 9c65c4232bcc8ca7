"""HTTP Request, versions 1 to 4: method, URL, query, headers, body, authentication,
response options."""

from __future__ import annotations

from typing import Any

from server.importers.n8n import jsontext
from server.importers.n8n.context import MapContext, Mapped, NeedsAttention
from server.importers.n8n.mappers import maps

_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")
#: n8n generic credential types -> Flowlane connection kinds.
HTTP_CREDENTIALS = {"httpBasicAuth": "http_basic", "httpHeaderAuth": "http_header",
                    "httpBearerAuth": "http_bearer"}


@maps("httpRequest")
def http_request(ctx: MapContext) -> Mapped:
    params = _v1(ctx) if ctx.version < 3 else _v3(ctx)
    method = str(params.get("method", "GET")).upper()
    if method not in _METHODS:
        raise NeedsAttention(f"it sends {method} requests")
    params["method"] = method
    return Mapped("core.http", params, credential=_credential(ctx))


def _v3(ctx: MapContext) -> dict[str, Any]:
    params: dict[str, Any] = {"method": ctx.get("method", "GET"), "url": ctx.param("url", "")}
    if ctx.get("sendQuery"):
        params["query"] = _pairs(ctx, "query")
    if ctx.get("sendHeaders"):
        params["headers"] = _pairs(ctx, "header")
    if ctx.get("sendBody"):
        params.update(_body(ctx))
    params.update(_response(ctx, ctx.option("response", {}).get("response", {})
                            if isinstance(ctx.option("response", {}), dict) else {}))
    timeout = ctx.option("timeout")
    if isinstance(timeout, int | float) and not isinstance(timeout, bool) and timeout > 0:
        params["timeout_s"] = min(timeout / 1000, 600)
    for name, what in (("pagination", "pagination"), ("batching", "batching"),
                       ("proxy", "a proxy"), ("allowUnauthorizedCerts", "unverified TLS")):
        if ctx.option(name):
            ctx.need(f"its {what} option is not carried over: Flowlane sends one request per "
                     "item")
    return params


def _pairs(ctx: MapContext, kind: str) -> list[dict[str, Any]]:
    if ctx.get(f"specify{kind.title()}s" if kind == "header" else "specifyQuery") == "json":
        value = jsontext.parse(ctx, ctx.get(f"json{kind.title()}s" if kind == "header"
                                            else "jsonQuery", "{}"), f"json {kind}")
        if not isinstance(value, dict):
            raise NeedsAttention(f"its {kind} JSON is not an object")
        return [{"name": key, "value": entry} for key, entry in value.items()]
    holder = ctx.get(f"{kind}Parameters")
    entries = holder.get("parameters") if isinstance(holder, dict) else None
    return [{"name": ctx.plain(entry.get("name", ""), f"a {kind} name"),
             "value": ctx.value(entry.get("value", ""), f"{kind}Parameters.{entry.get('name')}")}
            for entry in entries or [] if isinstance(entry, dict) and entry.get("name")]


def _body(ctx: MapContext) -> dict[str, Any]:
    content = ctx.get("contentType", "json")
    if content == "raw":
        headers = ctx.get("rawContentType")
        if headers:
            ctx.need(f"its raw body's content type ({headers}) must be sent as a header")
        return {"body_type": "text", "body": ctx.param("body", "")}
    if content not in ("json", "form-urlencoded", "multipart-form-data"):
        raise NeedsAttention(f"it sends a {content} body (files are not supported)")
    if content == "multipart-form-data":
        ctx.need("its multipart form is sent as an ordinary form; files are not sent")
    body_type = "json" if content == "json" else "form"
    if ctx.get("specifyBody") == "json":
        return {"body_type": body_type, "body": jsontext.parse(ctx, ctx.get("jsonBody", "{}"),
                                                               "jsonBody")}
    holder = ctx.get("bodyParameters")
    entries = holder.get("parameters") if isinstance(holder, dict) else None
    body = {ctx.plain(entry.get("name", ""), "a body field name"):
            ctx.value(entry.get("value", ""), f"bodyParameters.{entry.get('name')}")
            for entry in entries or [] if isinstance(entry, dict) and entry.get("name")}
    return {"body_type": body_type, "body": body}


def _response(ctx: MapContext, options: Any) -> dict[str, Any]:
    options = options if isinstance(options, dict) else {}
    params: dict[str, Any] = {}
    fmt = options.get("responseFormat", "autodetect")
    if fmt == "file":
        raise NeedsAttention("it downloads the response as a file")
    params["response"] = {"json": "json", "text": "text"}.get(fmt, "auto")
    if options.get("fullResponse"):
        params["full_response"] = True
        ctx.need("its full response is {status, headers, body} in Flowlane, not n8n's "
                 "{statusCode, headers, body}")
    if options.get("neverError"):
        params["fail_on_error_status"] = False
    return params


def _v1(ctx: MapContext) -> dict[str, Any]:
    params: dict[str, Any] = {"method": ctx.get("requestMethod", "GET"),
                              "url": ctx.param("url", "")}
    options = ctx.get("options") if isinstance(ctx.get("options"), dict) else {}
    if ctx.get("jsonParameters"):
        for kind, key in (("query", "queryParametersJson"), ("headers", "headerParametersJson")):
            if ctx.get(key):
                value = jsontext.parse(ctx, ctx.get(key), key)
                if isinstance(value, dict):
                    params[kind] = [{"name": k, "value": v} for k, v in value.items()]
        if ctx.get("bodyParametersJson"):
            params["body_type"] = "json"
            params["body"] = jsontext.parse(ctx, ctx.get("bodyParametersJson"),
                                            "bodyParametersJson")
    else:
        for kind, key in (("query", "queryParametersUi"), ("headers", "headerParametersUi")):
            rows = _ui_rows(ctx, key)
            if rows:
                params[kind] = rows
        rows = _ui_rows(ctx, "bodyParametersUi")
        if rows:
            form = options.get("bodyContentType") in ("form-urlencoded", "multipart-form-data")
            params["body_type"] = "form" if form else "json"
            params["body"] = {row["name"]: row["value"] for row in rows}
    fmt = ctx.get("responseFormat", "json")
    if fmt == "file":
        raise NeedsAttention("it downloads the response as a file")
    params["response"] = "text" if fmt == "string" else "auto"
    if options.get("fullResponse"):
        params["full_response"] = True
    timeout = options.get("timeout")
    if isinstance(timeout, int | float) and not isinstance(timeout, bool) and timeout > 0:
        params["timeout_s"] = min(timeout / 1000, 600)
    return params


def _ui_rows(ctx: MapContext, key: str) -> list[dict[str, Any]]:
    holder = ctx.get(key)
    entries = holder.get("parameter") if isinstance(holder, dict) else None
    return [{"name": ctx.plain(entry.get("name", ""), "a parameter name"),
             "value": ctx.value(entry.get("value", ""), f"{key}.{entry.get('name')}")}
            for entry in entries or [] if isinstance(entry, dict) and entry.get("name")]


def _credential(ctx: MapContext) -> str | None:
    """The connection name to use, for n8n's generic HTTP credentials."""
    auth = ctx.get("authentication", "none")
    if auth in ("none", None):
        return None
    if auth == "genericCredentialType":
        wanted = ctx.get("genericAuthType")
    elif auth == "predefinedCredentialType":
        ctx.need(f"it signed its requests with n8n's {ctx.get('nodeCredentialType')} "
                 "credentials; use the matching Flowlane node or an HTTP connection")
        return None
    else:  # v1/v2: basicAuth, headerAuth, oAuth2, ...
        wanted = {"basicAuth": "httpBasicAuth", "headerAuth": "httpHeaderAuth"}.get(str(auth))
    if wanted not in HTTP_CREDENTIALS:
        ctx.need(f"it authenticates with {wanted or auth}; Flowlane's HTTP request takes basic, "
                 "bearer or header connections")
        return None
    entry = ctx.node.credentials.get(str(wanted))
    name = entry.get("name") if isinstance(entry, dict) else None
    return str(name)[:200] if name else None
