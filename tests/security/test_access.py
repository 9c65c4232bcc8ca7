"""Every API route, called by every role: who gets in is exactly what the route declares."""

from __future__ import annotations

import re

import pytest

from server.auth.permissions import ROLE_ORDER, allowed, permission_of

PATH_VALUES = {"node_type": "core.map", "path": "nowhere"}


def api_routes(app):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        view = app.view_functions[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            url = re.sub(r"<(?:\w+:)?(\w+)>",
                         lambda m: PATH_VALUES.get(m.group(1), "999999"), rule.rule)
            yield rule.endpoint, method, url, view


def call(client, method, url):
    if method in ("POST", "PUT", "PATCH"):
        return client.open(url, method=method, json={})
    return client.open(url, method=method)


def test_every_api_route_declares_who_may_call_it(app):
    undeclared = [endpoint for endpoint, _m, _u, view in api_routes(app)
                  if not hasattr(view, "_permission") and not hasattr(view, "_public")]
    assert undeclared == []


@pytest.mark.parametrize("role", ["anonymous", *ROLE_ORDER])
def test_every_route_with_every_role(app, anonymous, client_as, role):
    client = anonymous if role == "anonymous" else client_as(role)
    for endpoint, method, url, view in api_routes(app):
        needed = permission_of(view)
        response = call(client, method, url)
        where = f"{role} {method} {url} ({endpoint})"
        assert response.status_code < 500, where
        if needed is None:
            assert response.status_code not in (401, 403), where
        elif role == "anonymous":
            assert response.status_code == 401, where
        elif allowed(role, needed):
            assert response.status_code not in (401, 403), where
        else:
            assert response.status_code == 403, where
            assert needed in response.json["detail"], where
