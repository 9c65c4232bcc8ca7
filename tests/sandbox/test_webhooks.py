"""Webhooks: documented payloads for every change, delivered to a real receiver, signed with
Ed25519 (x-ghl-signature) and RSA-SHA256 (x-wh-signature), verified with the published keys."""

from __future__ import annotations

import base64
from typing import Any

import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa

from sandbox import SandboxServer
from sandbox.signing import fetch_public_keys
from tests.sandbox.client import Ghl, Receiver, wait_for
from tests.sandbox.helpers import new_contact, new_opportunity, pipelines, users
from tests.sandbox.spec import validate_event


def subscribe(admin: httpx.Client, receiver: Receiver) -> None:
    admin.post("/webhooks", json={"urls": [receiver.url]}).raise_for_status()


def types_of(receiver: Receiver) -> list[str]:
    return [event["type"] for event in receiver.events()]


def test_signatures_verify_with_the_published_keys(ghl: Ghl, location_id: str,
                                                   admin: httpx.Client,
                                                   receiver: Receiver) -> None:
    subscribe(admin, receiver)
    new_contact(ghl, location_id, email="signed@example.org")
    wait_for(lambda: receiver.requests)
    headers, body = receiver.requests[0]
    keys = admin.get("/keys").json()
    ed_key = serialization.load_pem_public_key(keys["ed25519"]["publicKey"].encode())
    rsa_key = serialization.load_pem_public_key(keys["rsa"]["publicKey"].encode())
    assert isinstance(ed_key, ed25519.Ed25519PublicKey)
    assert isinstance(rsa_key, rsa.RSAPublicKey)
    ed_key.verify(base64.b64decode(headers["x-ghl-signature"]), body)
    rsa_key.verify(base64.b64decode(headers["x-wh-signature"]), body, padding.PKCS1v15(),
                   hashes.SHA256())
    assert headers["content-type"] == "application/json"


def test_a_tampered_body_does_not_verify(ghl: Ghl, location_id: str, admin: httpx.Client,
                                         receiver: Receiver) -> None:
    subscribe(admin, receiver)
    new_contact(ghl, location_id, email="tamper@example.org")
    wait_for(lambda: receiver.requests)
    headers, body = receiver.requests[0]
    key = serialization.load_pem_public_key(admin.get("/keys").json()["ed25519"]["publicKey"]
                                            .encode())
    assert isinstance(key, ed25519.Ed25519PublicKey)
    try:
        key.verify(base64.b64decode(headers["x-ghl-signature"]), body.replace(b"}", b" }", 1))
    except Exception as err:  # cryptography raises InvalidSignature
        assert type(err).__name__ == "InvalidSignature"
    else:
        raise AssertionError("a changed body verified")


def test_opportunity_lifecycle_events(ghl: Ghl, location_id: str, admin: httpx.Client,
                                      receiver: Receiver) -> None:
    opportunity = new_opportunity(ghl, location_id)  # ContactCreate, OpportunityCreate
    subscribe(admin, receiver)
    stage = pipelines(ghl, location_id)[0]["stages"][2]["id"]
    ghl.put(f"/opportunities/{opportunity['id']}", json={"pipelineStageId": stage})
    ghl.put(f"/opportunities/{opportunity['id']}/status", json={"status": "won"})
    ghl.put(f"/opportunities/{opportunity['id']}",
            json={"monetaryValue": 4200, "assignedTo": users(ghl, location_id)[3]["id"]})
    ghl.delete(f"/opportunities/{opportunity['id']}")
    expected = [
        "OpportunityUpdate", "OpportunityStageUpdate",  # one stage move, two events (as GHL)
        "OpportunityUpdate", "OpportunityStatusUpdate",
        "OpportunityUpdate", "OpportunityMonetaryValueUpdate", "OpportunityAssignedToUpdate",
        "OpportunityDelete",
    ]
    wait_for(lambda: len(receiver.requests) >= len(expected))
    assert types_of(receiver) == expected
    events = receiver.events()
    for event in events:
        validate_event(event)
        assert event["locationId"] == location_id
        assert event["id"] == opportunity["id"]
    assert events[0]["webhookId"] != events[1]["webhookId"]
    assert events[1]["pipelineStageId"] == stage
    assert events[3]["status"] == "won"


def test_every_modelled_change_emits_its_documented_event(ghl: Ghl, location_id: str,
                                                          admin: httpx.Client,
                                                          receiver: Receiver) -> None:
    subscribe(admin, receiver)
    contact = new_contact(ghl, location_id, email="events@example.org")["id"]
    ghl.put(f"/contacts/{contact}", json={"city": "Boise"})
    ghl.post(f"/contacts/{contact}/tags", json={"tags": ["hot"]})
    ghl.put(f"/contacts/{contact}", json={"dnd": True})
    note = ghl.post(f"/contacts/{contact}/notes", json={"body": "hello"}).json()["note"]
    ghl.put(f"/contacts/{contact}/notes/{note['id']}", json={"body": "hello again"})
    ghl.delete(f"/contacts/{contact}/notes/{note['id']}")
    task = ghl.post(f"/contacts/{contact}/tasks", json={
        "title": "t", "dueDate": "2030-01-01T00:00:00Z", "completed": False}).json()["task"]
    ghl.put(f"/contacts/{contact}/tasks/{task['id']}/completed", json={"completed": True})
    ghl.delete(f"/contacts/{contact}/tasks/{task['id']}")
    ghl.post("/opportunities/upsert", json={
        "pipelineId": pipelines(ghl, location_id)[0]["id"], "locationId": location_id,
        "contactId": contact, "name": "Upserted"})
    ghl.delete(f"/contacts/{contact}")
    expected = [
        "ContactCreate", "ContactUpdate", "ContactUpdate", "ContactTagUpdate", "ContactUpdate",
        "ContactDndUpdate", "NoteCreate", "NoteUpdate", "NoteDelete", "TaskCreate",
        "TaskComplete", "TaskDelete", "OpportunityCreate", "OpportunityDelete", "ContactDelete",
    ]
    wait_for(lambda: len(receiver.requests) >= len(expected))
    assert types_of(receiver) == expected
    for event in receiver.events():
        validate_event(event)
        assert event["locationId"] == location_id
        assert event["timestamp"].endswith("Z") and event["webhookId"]


def test_appointment_events(ghl: Ghl, location_id: str, admin: httpx.Client,
                            receiver: Receiver) -> None:
    calendar = ghl.get("/calendars/", params={"locationId": location_id}).json()["calendars"][1]
    contact = new_contact(ghl, location_id, email="appt@example.org")["id"]
    subscribe(admin, receiver)
    booked = ghl.post("/calendars/events/appointments", json={
        "calendarId": calendar["id"], "locationId": location_id, "contactId": contact,
        "startTime": "2031-03-04T10:00:00-06:00", "ignoreFreeSlotValidation": True}).json()
    ghl.put(f"/calendars/events/appointments/{booked['id']}", json={"title": "Renamed"})
    ghl.delete(f"/calendars/events/{booked['id']}", json={})
    wait_for(lambda: len(receiver.requests) >= 3)
    assert types_of(receiver) == ["AppointmentCreate", "AppointmentUpdate", "AppointmentDelete"]
    for event in receiver.events():
        validate_event(event)
        assert event["appointment"]["id"] == booked["id"]


def test_a_429_from_the_receiver_is_retried(ghl: Ghl, location_id: str, admin: httpx.Client,
                                            receiver: Receiver) -> None:
    receiver.statuses = [429, 429]
    subscribe(admin, receiver)
    new_contact(ghl, location_id, email="retry@example.org")
    wait_for(lambda: len(receiver.requests) == 3)
    bodies = {body for _, body in receiver.requests}
    assert len(bodies) == 1  # the same signed event, again
    delivery = wait_for(lambda: [d for d in admin.get("/webhooks").json()["deliveries"]
                                 if d["state"] == "delivered"])[0]
    assert (delivery["attempts"], delivery["status"]) == (3, 200)


def test_a_500_from_the_receiver_is_final(ghl: Ghl, location_id: str, admin: httpx.Client,
                                          receiver: Receiver) -> None:
    receiver.statuses = [500]
    subscribe(admin, receiver)
    new_contact(ghl, location_id, email="final@example.org")
    delivery = wait_for(lambda: [d for d in admin.get("/webhooks").json()["deliveries"]
                                 if d["state"] == "failed"])[0]
    assert (delivery["attempts"], delivery["status"]) == (1, 500)
    assert len(receiver.requests) == 1


def test_events_are_listed_without_a_receiver(ghl: Ghl, location_id: str,
                                              admin: httpx.Client) -> None:
    new_contact(ghl, location_id, email="quiet@example.org")
    state: dict[str, Any] = admin.get("/webhooks").json()
    assert state["urls"] == []
    assert [e["type"] for e in state["events"]] == ["ContactCreate"]
    assert state["deliveries"] == []


def test_webhook_urls_from_the_start() -> None:
    receiver = Receiver()
    try:
        with SandboxServer(webhook_urls=[receiver.url]) as server:
            httpx.post(f"{server.url}/contacts/", json={
                "locationId": server.location_id, "email": "boot@example.org"},
                headers={"Authorization": f"Bearer {server.token}", "Version": "2021-07-28"})
            wait_for(lambda: receiver.requests)
        assert receiver.events()[0]["type"] == "ContactCreate"
    finally:
        receiver.stop()


def test_user_and_location_events(ghl: Ghl, location_id: str, sandbox_company: str,
                                  admin: httpx.Client, receiver: Receiver) -> None:
    subscribe(admin, receiver)
    ghl.post("/users/", json={
        "companyId": sandbox_company, "firstName": "Eve", "lastName": "Stone",
        "email": "eve@example.org", "password": "pw-123456", "type": "account", "role": "user",
        "locationIds": [location_id]})
    agency = admin.post("/tokens", json={"userType": "Company"}).json()["token"]
    ghl.put(f"/locations/{location_id}", json={"companyId": sandbox_company, "name": "New"},
            token=agency)
    wait_for(lambda: len(receiver.requests) >= 2)
    user_event, location_event = receiver.events()
    assert (user_event["type"], location_event["type"]) == ("UserCreate", "LocationUpdate")
    validate_event(user_event)
    validate_event(location_event)
    assert user_event["locationId"] == location_id and user_event["role"] == "user"
    assert (location_event["id"], location_event["name"]) == (location_id, "New")


def test_public_keys_in_process_and_over_http(sandbox: SandboxServer) -> None:
    keys = fetch_public_keys(sandbox.url)
    assert keys == sandbox.public_keys
    assert keys["x-ghl-signature"].startswith("-----BEGIN PUBLIC KEY-----")
    assert keys["x-wh-signature"].startswith("-----BEGIN PUBLIC KEY-----")
