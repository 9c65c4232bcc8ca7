"""Users of the agency and its locations (apps/users.json): list, search, get, create, update,
delete. Opportunities, tasks and appointments are assigned to these ids."""

from __future__ import annotations

from typing import Any

from sandbox.api import Call, Operations, check_location
from sandbox.crm import Record
from sandbox.errors import bad_request, not_found
from sandbox.ids import new_id
from sandbox.seed import PERMISSIONS
from sandbox.views import user as view

ops = Operations("users")
WRITABLE = ("firstName", "lastName", "email", "phone", "extension", "permissions",
            "platformLanguage", "profilePhoto")


@ops.route("GET", "/users/")
def users_of_location(call: Call) -> dict[str, Any]:
    location = call.location(call.query["locationId"])
    return {"users": [view(u) for u in _members(call, location["id"])]}


@ops.route("GET", "/users/search")
def search_users(call: Call) -> dict[str, Any]:
    query = call.query
    users = [u for u in call.crm.users.values()
             if u["_companyId"] == query["companyId"] and not u["deleted"]]
    if query.get("locationId"):
        check_location(call.state, call.grant, query["locationId"])
        users = [u for u in users if query["locationId"] in u["roles"]["locationIds"]]
    if query.get("ids"):
        wanted = set(str(query["ids"]).split(","))
        users = [u for u in users if u["id"] in wanted]
    if query.get("role"):
        users = [u for u in users if u["roles"]["role"] == query["role"]]
    if query.get("query"):
        text = str(query["query"]).lower()
        users = [u for u in users if text in f"{u['name']} {u['email']}".lower()]
    users.sort(key=lambda u: u["name"].lower(),
               reverse=str(query.get("sortDirection", "asc")).lower() == "desc")
    skip, limit = int(query.get("skip", 0)), int(query.get("limit", 25))
    return {"users": [view(u) for u in users[skip:skip + limit]], "count": len(users)}


@ops.route("GET", "/users/{userId}")
def get_user(call: Call) -> dict[str, Any]:
    return view(_user(call))


@ops.route("POST", "/users/")
def create_user(call: Call) -> dict[str, Any]:
    body = call.body
    for location_id in body["locationIds"]:
        call.location(location_id)
    email = str(body["email"]).lower()
    if any(u["email"].lower() == email and not u["deleted"] for u in call.crm.users.values()):
        raise bad_request(f"A user with the email {body['email']} already exists")
    user: Record = {
        "id": new_id(),
        "name": f"{body['firstName']} {body['lastName']}".strip(),
        "extension": "",
        "permissions": dict(PERMISSIONS),
        "roles": {"type": body["type"], "role": body["role"],
                  "locationIds": list(body["locationIds"]), "restrictSubAccount": False},
        "deleted": False,
        "platformLanguage": "en_US",
        "_companyId": body["companyId"],
    }
    user.update({key: body[key] for key in WRITABLE if key in body})
    call.crm.users[user["id"]] = user
    for location_id in user["roles"]["locationIds"]:
        call.emit("UserCreate", location_id, {
            "id": user["id"], "firstName": user.get("firstName"),
            "lastName": user.get("lastName"), "email": user.get("email"),
            "phone": user.get("phone"), "extension": user.get("extension"),
            "role": user["roles"]["role"], "permissions": user["permissions"],
        })
    return view(user)


@ops.route("PUT", "/users/{userId}")
def update_user(call: Call) -> dict[str, Any]:
    user = _user(call)
    user.update({key: call.body[key] for key in WRITABLE if key in call.body})
    for key in ("type", "role"):
        if key in call.body:
            user["roles"][key] = call.body[key]
    if "locationIds" in call.body:
        user["roles"]["locationIds"] = list(call.body["locationIds"])
    user["name"] = f"{user.get('firstName', '')} {user.get('lastName', '')}".strip()
    return view(user)


@ops.route("DELETE", "/users/{userId}")
def delete_user(call: Call) -> dict[str, Any]:
    user = _user(call)
    user["deleted"] = True
    return {"succeded": True,
            "message": f"Queued deleting user with e-mail {user['email']} and name {user['name']}."
                       " Will take effect in a few minutes."}


def _members(call: Call, location_id: str) -> list[Record]:
    return [u for u in call.crm.users.values()
            if location_id in u["roles"]["locationIds"] and not u["deleted"]]


def _user(call: Call) -> Record:
    user = call.crm.users.get(call.path["userId"])
    grant = call.grant
    if user is None or user["deleted"] or (grant and user["_companyId"] != grant.company_id):
        raise not_found("User not found")
    if grant is not None and grant.location_id not in (None, *user["roles"]["locationIds"]):
        raise not_found("User not found")
    return user
