"""Connection kinds of the core nodes: HTTP authentication and webhook secrets."""

from nodes.registry import CredentialKind, credential_kind

credential_kind(CredentialKind(
    id="http_basic", title="HTTP basic auth", family="http",
    description="A user name and password sent as an Authorization: Basic header.",
    schema={"type": "object", "required": ["username", "password"], "properties": {
        "username": {"type": "string", "title": "User name"},
        "password": {"type": "string", "title": "Password", "secret": True},
    }},
))

credential_kind(CredentialKind(
    id="http_bearer", title="HTTP bearer token", family="http",
    description="A token sent as an Authorization: Bearer header.",
    schema={"type": "object", "required": ["token"], "properties": {
        "token": {"type": "string", "title": "Token", "secret": True, "minLength": 1},
    }},
))

credential_kind(CredentialKind(
    id="http_header", title="HTTP header auth", family="http",
    description="One header (e.g. X-API-Key) with a secret value.",
    schema={"type": "object", "required": ["name", "value"], "properties": {
        "name": {"type": "string", "title": "Header name", "minLength": 1},
        "value": {"type": "string", "title": "Header value", "secret": True},
    }},
))

credential_kind(CredentialKind(
    id="webhook_secret", title="Webhook secret header",
    description="Webhook calls must carry this header with this value, or get a 401.",
    schema={"type": "object", "required": ["header", "value"], "properties": {
        "header": {"type": "string", "title": "Header name", "default": "X-Webhook-Secret",
                   "minLength": 1},
        "value": {"type": "string", "title": "Secret value", "secret": True, "minLength": 8},
    }},
))
