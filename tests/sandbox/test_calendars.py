"""Calendars: free slots, booking, and what a booking does to the slots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.sandbox.client import Ghl
from tests.sandbox.helpers import new_contact


def calendars(ghl: Ghl, location_id: str) -> list[dict[str, Any]]:
    response = ghl.get("/calendars/", params={"locationId": location_id})
    assert response.status_code == 200
    return response.json()["calendars"]  # type: ignore[no-any-return]


def window(days: int = 7) -> tuple[int, int]:
    start = datetime.now(UTC) + timedelta(days=1)
    end = start + timedelta(days=days)
    return int(start.timestamp() * 1000), int(end.timestamp() * 1000)


def slots(ghl: Ghl, calendar_id: str, **params: Any) -> dict[str, Any]:
    start, end = window()
    response = ghl.get(f"/calendars/{calendar_id}/free-slots",
                       params={"startDate": start, "endDate": end, **params})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def whole_day(days: dict[str, Any]) -> tuple[str, list[str]]:
    """A day in the middle of the window, so no slot of it is cut off by the window's edges."""
    day = sorted(days)[1]
    return day, days[day]["slots"]


def test_calendars_list_and_get(ghl: Ghl, location_id: str) -> None:
    found = calendars(ghl, location_id)
    assert [c["name"] for c in found] == ["Discovery Call", "Product Demo"]
    one = ghl.get(f"/calendars/{found[0]['id']}").json()["calendar"]
    assert one["id"] == found[0]["id"]
    assert one["teamMembers"]


def test_calendar_calls_need_their_own_version(ghl: Ghl, location_id: str) -> None:
    response = ghl.get("/calendars/", params={"locationId": location_id}, version="2021-07-28")
    assert response.status_code == 400
    assert "2021-04-15" in response.json()["message"]


def test_free_slots_follow_open_hours(ghl: Ghl, location_id: str) -> None:
    calendar = calendars(ghl, location_id)[0]
    days = slots(ghl, calendar["id"], timezone="America/Chicago")
    assert days
    for day, entry in days.items():
        assert datetime.fromisoformat(day).weekday() < 5  # Monday to Friday
        for stamp in entry["slots"]:
            moment = datetime.fromisoformat(stamp)
            assert moment.isoformat()[:10] == day
            assert 9 <= moment.hour < 17 and moment.minute in (0, 30)
    assert len(whole_day(days)[1]) == 16  # 09:00 to 16:30, every 30 minutes


def test_free_slots_range_is_limited(ghl: Ghl, location_id: str) -> None:
    calendar = calendars(ghl, location_id)[0]
    start, _ = window()
    response = ghl.get(f"/calendars/{calendar['id']}/free-slots",
                       params={"startDate": start, "endDate": start + 32 * 86_400_000})
    assert response.status_code == 400


def test_booking_takes_the_slot(ghl: Ghl, location_id: str) -> None:
    calendar = calendars(ghl, location_id)[1]  # Product Demo: one team member
    contact = new_contact(ghl, location_id, email="booker@example.org")
    days = slots(ghl, calendar["id"])
    day, free = whole_day(days)
    chosen = free[2]
    response = ghl.post("/calendars/events/appointments", json={
        "calendarId": calendar["id"], "locationId": location_id, "contactId": contact["id"],
        "startTime": chosen, "title": "Demo for Booker"})
    assert response.status_code == 200
    booked = response.json()
    assert booked["assignedUserId"] == calendar["teamMembers"][0]["userId"]
    assert datetime.fromisoformat(booked["endTime"]) - datetime.fromisoformat(
        booked["startTime"]) == timedelta(minutes=60)

    after = slots(ghl, calendar["id"])
    assert chosen not in after[day]["slots"]
    again = ghl.post("/calendars/events/appointments", json={
        "calendarId": calendar["id"], "locationId": location_id, "contactId": contact["id"],
        "startTime": chosen})
    assert again.status_code == 400
    assert again.json()["message"] == "The slot you have selected is no longer available."

    event = ghl.get(f"/calendars/events/appointments/{booked['id']}").json()["event"]
    assert (event["contactId"], event["title"]) == (contact["id"], "Demo for Booker")
    mine = ghl.get(f"/contacts/{contact['id']}/appointments").json()["events"]
    assert [e["id"] for e in mine] == [booked["id"]]
    start, end = window()
    listed = ghl.get("/calendars/events", params={
        "locationId": location_id, "calendarId": calendar["id"], "startTime": str(start),
        "endTime": str(end)}).json()["events"]
    assert [e["id"] for e in listed] == [booked["id"]]


def test_round_robin_books_the_next_free_member(ghl: Ghl, location_id: str) -> None:
    calendar = calendars(ghl, location_id)[0]
    members = [m["userId"] for m in calendar["teamMembers"]]
    day, free = whole_day(slots(ghl, calendar["id"]))
    chosen = free[0]
    owners = []
    for index in range(len(members)):
        contact = new_contact(ghl, location_id, email=f"rr{index}@example.org")
        booked = ghl.post("/calendars/events/appointments", json={
            "calendarId": calendar["id"], "locationId": location_id,
            "contactId": contact["id"], "startTime": chosen}).json()
        owners.append(booked["assignedUserId"])
    assert sorted(owners) == sorted(members)
    assert chosen not in slots(ghl, calendar["id"])[day]["slots"]


def test_outside_open_hours_is_refused_unless_forced(ghl: Ghl, location_id: str) -> None:
    calendar = calendars(ghl, location_id)[1]
    contact = new_contact(ghl, location_id, email="night@example.org")
    night = (datetime.now(UTC) + timedelta(days=2)).replace(hour=8, minute=0, second=0,
                                                             microsecond=0)  # 02:00 Chicago
    body = {"calendarId": calendar["id"], "locationId": location_id,
            "contactId": contact["id"], "startTime": night.isoformat()}
    assert ghl.post("/calendars/events/appointments", json=body).status_code == 400
    forced = ghl.post("/calendars/events/appointments",
                      json={**body, "ignoreFreeSlotValidation": True})
    assert forced.status_code == 200


def test_edit_and_delete_appointment(ghl: Ghl, location_id: str) -> None:
    calendar = calendars(ghl, location_id)[1]
    contact = new_contact(ghl, location_id, email="move@example.org")
    _, free = whole_day(slots(ghl, calendar["id"]))
    booked = ghl.post("/calendars/events/appointments", json={
        "calendarId": calendar["id"], "locationId": location_id, "contactId": contact["id"],
        "startTime": free[0]}).json()
    moved = ghl.put(f"/calendars/events/appointments/{booked['id']}",
                    json={"startTime": free[4], "appointmentStatus": "showed"})
    assert moved.status_code == 200
    assert moved.json()["appointmentStatus"] == "showed"
    assert datetime.fromisoformat(moved.json()["startTime"]) == datetime.fromisoformat(free[4])

    deleted = ghl.delete(f"/calendars/events/{booked['id']}", json={})
    assert deleted.status_code == 201  # the spec's code for this delete
    assert deleted.json() == {"succeeded": True}
    assert ghl.get(f"/calendars/events/appointments/{booked['id']}").status_code == 404
