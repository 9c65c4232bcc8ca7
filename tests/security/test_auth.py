"""Signing in and out, CSRF, throttling, first passwords, tokens, the audit log."""

from __future__ import annotations

from server.auth import users
from server.db import User


def sign_in(client, email, password):
    return client.post("/api/auth/login", json={"email": email, "password": password})


def test_a_session_cookie_signs_in_and_changes_need_the_csrf_token(app, anonymous, client_as):
    from tests.conftest import make_user

    person = make_user(app, "editor", "ed@example.com")
    assert anonymous.get("/api/workflows").status_code == 401
    signed_in = sign_in(anonymous, "ED@example.com", person["password"])
    assert signed_in.status_code == 200
    cookie = signed_in.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert anonymous.get("/api/workflows").status_code == 200
    refused = anonymous.post("/api/workflows", json={"name": "No token"})
    assert refused.status_code == 400 and "CSRF" in refused.json["detail"]
    csrf = signed_in.json["csrf_token"]
    created = anonymous.post("/api/workflows", json={"name": "With token"},
                             headers={"X-CSRFToken": csrf})
    assert created.status_code == 201
    assert anonymous.post("/api/auth/logout").status_code == 204
    assert anonymous.get("/api/workflows").status_code == 401


def test_logging_out_ends_the_session_on_the_server(app, anonymous):
    from tests.conftest import make_user

    person = make_user(app, "viewer")
    sign_in(anonymous, person["email"], person["password"])
    stolen = anonymous.get_cookie("flowlane_session").value
    anonymous.post("/api/auth/logout")
    replay = app.test_client()
    replay.set_cookie("flowlane_session", stolen)
    assert replay.get("/api/workflows").status_code == 401


def test_wrong_passwords_are_throttled(app, anonymous):
    from tests.conftest import make_user

    person = make_user(app, "viewer")
    for _ in range(5):
        assert sign_in(anonymous, person["email"], "wrong password!").status_code == 401
    throttled = sign_in(anonymous, person["email"], person["password"])
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) > 0
    unknown = sign_in(anonymous, "nobody@example.com", "whatever-it-is")
    assert unknown.status_code == 401 and unknown.json["detail"] == "Wrong email or password."


def test_the_first_owner_must_choose_a_password(app, svc, anonymous):
    with svc.db.session() as session:
        password = users.ensure_owner(session, "boss@example.com")
        session.commit()
        assert users.ensure_owner(session) is None  # only on an empty database
    signed_in = sign_in(anonymous, "boss@example.com", password)
    assert signed_in.json["user"]["must_change_password"] is True
    csrf = {"X-CSRFToken": signed_in.json["csrf_token"]}
    blocked = anonymous.get("/api/workflows")
    assert blocked.status_code == 403 and "new password" in blocked.json["detail"]
    weak = anonymous.post("/api/auth/password", headers=csrf,
                          json={"current_password": password, "new_password": "short"})
    assert weak.status_code == 422
    changed = anonymous.post("/api/auth/password", headers=csrf, json={
        "current_password": password, "new_password": "a much better passphrase"})
    assert changed.status_code == 200
    assert anonymous.get("/api/workflows").status_code == 200
    with svc.db.session() as session:
        stored = session.query(User).filter_by(email="boss@example.com").one().password_hash
    assert stored.startswith("$argon2id$") and "better" not in stored


def test_api_tokens_are_shown_once_stored_hashed_and_revocable(app, svc, api):
    created = api.post("/api/tokens", json={"name": "laptop"})
    assert created.status_code == 201
    token = created.json["token"]
    listed = api.get("/api/tokens").json["tokens"]
    assert all("token" not in entry for entry in listed)
    from tests.conftest import client_with_token

    laptop = client_with_token(app, token)
    assert laptop.get("/api/workflows").status_code == 200
    with svc.db.session() as session:
        from server.db import ApiToken

        hashes = [t.token_hash for t in session.query(ApiToken)]
    assert token not in hashes
    assert api.delete(f"/api/tokens/{created.json['id']}").status_code == 204
    revoked = laptop.get("/api/workflows")
    assert revoked.status_code == 401 and "revoked" in revoked.json["detail"]


def test_roles_are_managed_by_admins_and_owners_stay(app, api, client_as, owner):
    admin = client_as("admin")
    made = admin.post("/api/users", json={"email": "new@example.com", "role": "editor"})
    assert made.status_code == 201
    assert len(made.json["generated_password"]) >= 16
    assert admin.post("/api/users", json={"email": "x@example.com", "role": "owner"}
                      ).status_code == 403
    assert admin.put(f"/api/users/{owner['id']}", json={"role": "viewer"}).status_code == 403
    last = api.put(f"/api/users/{owner['id']}", json={"role": "admin"})
    assert last.status_code == 409 and "last owner" in last.json["detail"]
    assert api.delete(f"/api/users/{owner['id']}").status_code == 409
    disabled = api.put(f"/api/users/{made.json['user']['id']}", json={"disabled": True})
    assert disabled.json["disabled"] is True


def test_the_audit_log_says_who_did_what(api, client_as, owner):
    workflow_id = api.post("/api/workflows", json={"name": "Audited"}).json["id"]
    api.post(f"/api/workflows/{workflow_id}/activate")
    api.post("/api/credentials", json={"name": "Key", "kind": "http_bearer",
                                       "data": {"token": "abcdefgh12345"}})
    api.delete(f"/api/workflows/{workflow_id}")
    entries = api.get("/api/audit").json["entries"]
    seen = [(e["actor"], e["action"], e["target_type"]) for e in entries]
    assert ("owner@example.com", "created", "workflow") in seen
    assert ("owner@example.com", "activated", "workflow") in seen
    assert ("owner@example.com", "created", "connection") in seen
    assert ("owner@example.com", "deleted", "workflow") in seen
    assert "abcdefgh12345" not in str(entries)
    assert client_as("editor").get("/api/audit").status_code == 403


def test_security_headers_on_pages_and_api(anonymous, api):
    for response in (anonymous.get("/"), api.get("/api/nodes"), anonymous.get("/api/health")):
        headers = response.headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
