"""Inquiry details are checked strictly per type, from the practice and from the patient's
page alike; a refused inquiry leaves nothing behind."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tests.server.harness import Harness, assert_problem
from tests.server.inbox.helpers import API, new_conversation, token_of
from tests.server.inquiries.helpers import patient_inquiry, staff_inquiry

WINDOW = {"start": "2026-12-01T08:00:00Z", "end": "2026-12-01T10:00:00+00:00"}

VALID: list[dict[str, Any]] = [
    {"type": "appointment", "details": {"reason": "Kontrolle Blutdruck",
                                        "preferred_windows": [WINDOW]}},
    {"type": "appointment", "details": {"reason": "Impfung", "preferred_windows": [
        {"start": f"2026-12-0{d}T08:00:00+01:00", "end": f"2026-12-0{d}T09:00:00+01:00"}
        for d in range(1, 6)]}, "text": "Am liebsten früh."},
    {"type": "prescription", "details": {"medications": ["Ramipril 5 mg"]}},
    {"type": "prescription", "details": {"medications": [f"Mittel {n}" for n in range(10)]}},
    {"type": "referral", "details": {"specialty": "Kardiologie"}, "text": "Kontrolle"},
    {"type": "sick_note", "details": {"from": "2026-11-24", "to": "2026-11-28"}},
    {"type": "sick_note", "details": {"from": "2026-11-28", "to": "2026-11-28"}},
    {"type": "sick_note", "details": {"from": "2026-01-01", "to": "2027-01-01"}},  # 366 days
    {"type": "results", "details": {"subject": "Blutbild vom Montag"}},
    {"type": "other", "details": {}, "text": "Kann ich meine Karte vorbeibringen?"},
    {"type": "other", "details": {}, "text": "x" * 2000},
]

INVALID: dict[str, dict[str, Any]] = {
    "unknown type": {"type": "vaccination", "details": {}},
    "no type": {"details": {}},
    "no details": {"type": "referral"},
    "details of another type": {"type": "referral", "details": {"medications": ["A"]}},
    "extra detail field": {"type": "referral",
                           "details": {"specialty": "HNO", "urgent": True}},
    "extra top-level field": {"type": "other", "details": {}, "assignee_user_id": "x"},
    "other with details": {"type": "other", "details": {"note": "x"}},
    "text too long": {"type": "other", "details": {}, "text": "x" * 2001},
    "text not a string": {"type": "other", "details": {}, "text": 5},
    "no medications": {"type": "prescription", "details": {"medications": []}},
    "eleven medications": {"type": "prescription",
                           "details": {"medications": [f"M{n}" for n in range(11)]}},
    "blank medication": {"type": "prescription", "details": {"medications": ["   "]}},
    "medication too long": {"type": "prescription", "details": {"medications": ["x" * 201]}},
    "medication a number": {"type": "prescription", "details": {"medications": [5]}},
    "empty specialty": {"type": "referral", "details": {"specialty": ""}},
    "specialty too long": {"type": "referral", "details": {"specialty": "x" * 201}},
    "subject too long": {"type": "results", "details": {"subject": "x" * 501}},
    "blank subject": {"type": "results", "details": {"subject": " \n "}},
    "sick note backwards": {"type": "sick_note",
                            "details": {"from": "2026-11-28", "to": "2026-11-27"}},
    "sick note 367 days": {"type": "sick_note",
                           "details": {"from": "2026-01-01", "to": "2027-01-02"}},
    "sick note no to": {"type": "sick_note", "details": {"from": "2026-11-28"}},
    "sick note not a date": {"type": "sick_note",
                             "details": {"from": "28.11.2026", "to": "2026-11-30"}},
    "sick note date-time": {"type": "sick_note",
                            "details": {"from": "2026-11-28T00:00:00", "to": "2026-11-30"}},
    "sick note number": {"type": "sick_note", "details": {"from": 1764288000,
                                                          "to": "2026-11-30"}},
    "sick note impossible day": {"type": "sick_note",
                                 "details": {"from": "2026-02-30", "to": "2026-03-02"}},
    "appointment no reason": {"type": "appointment",
                              "details": {"preferred_windows": [WINDOW]}},
    "appointment reason too long": {"type": "appointment", "details": {
        "reason": "x" * 501, "preferred_windows": [WINDOW]}},
    "appointment no windows": {"type": "appointment",
                               "details": {"reason": "Impfung", "preferred_windows": []}},
    "appointment six windows": {"type": "appointment", "details": {
        "reason": "Impfung", "preferred_windows": [WINDOW] * 6}},
    "window end before start": {"type": "appointment", "details": {
        "reason": "Impfung", "preferred_windows": [
            {"start": "2026-12-01T10:00:00Z", "end": "2026-12-01T08:00:00Z"}]}},
    "window of no length": {"type": "appointment", "details": {
        "reason": "Impfung", "preferred_windows": [
            {"start": "2026-12-01T10:00:00Z", "end": "2026-12-01T10:00:00Z"}]}},
    "window without time zone": {"type": "appointment", "details": {
        "reason": "Impfung", "preferred_windows": [
            {"start": "2026-12-01T08:00:00", "end": "2026-12-01T10:00:00"}]}},
    "window extra field": {"type": "appointment", "details": {
        "reason": "Impfung", "preferred_windows": [{**WINDOW, "room": "2"}]}},
    "window a number": {"type": "appointment", "details": {
        "reason": "Impfung", "preferred_windows": [{"start": 1, "end": 2}]}},
}


@pytest.mark.parametrize("body", VALID, ids=lambda b: b["type"])
async def test_every_type_is_accepted_and_answered_as_sent(server: Harness,
                                                           body: dict[str, Any]) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    staff_made = await staff_inquiry(server, staff, conversation["id"], body)
    assert staff_made.status_code == 201, staff_made.text
    inquiry = staff_made.json()
    assert inquiry["type"] == body["type"]
    assert inquiry["text"] == body.get("text", "")
    assert inquiry["status"] == "new"
    assert inquiry["assignee_user_id"] is None
    assert inquiry["conversation_id"] == conversation["id"]
    assert inquiry["practice_id"] == practice
    if body["type"] == "appointment":
        # Times come back as the same instants (normalised to UTC).
        assert len(inquiry["details"]["preferred_windows"]) == len(
            body["details"]["preferred_windows"])
        assert inquiry["details"]["reason"] == body["details"]["reason"]
    else:
        assert inquiry["details"] == body["details"]

    from_patient = await patient_inquiry(server, token_of(conversation), body)
    assert from_patient.status_code == 201, from_patient.text
    assert set(from_patient.json()) == {"id", "type", "details", "text", "status",
                                        "created_at"}
    fetched = await server.client.get(f"{API}/inquiries/{inquiry['id']}",
                                      headers=staff.headers)
    assert fetched.json() == inquiry


async def test_window_times_keep_their_instant(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    made = await staff_inquiry(server, staff, conversation["id"], {
        "type": "appointment", "details": {"reason": "Impfung", "preferred_windows": [
            {"start": "2026-12-01T08:00:00+01:00", "end": "2026-12-01T09:30:00+01:00"}]}})
    window = made.json()["details"]["preferred_windows"][0]
    assert window == {"start": "2026-12-01T07:00:00Z", "end": "2026-12-01T08:30:00Z"}
    assert datetime.fromisoformat(window["start"]) == datetime.fromisoformat(
        "2026-12-01T07:00:00+00:00")
    assert datetime.fromisoformat(window["end"]) == datetime.fromisoformat(
        "2026-12-01T08:30:00+00:00")


@pytest.mark.parametrize("case", list(INVALID))
async def test_invalid_details_are_refused_and_store_nothing(server: Harness,
                                                              case: str) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    conversation = await new_conversation(server, staff)
    body = INVALID[case]
    problem = assert_problem(await staff_inquiry(server, staff, conversation["id"], body),
                             422, "validation_error")
    assert problem["errors"]
    # The answer names where the problem is, never echoes what was sent.
    assert all(set(error) == {"loc", "msg"} for error in problem["errors"])
    assert_problem(await patient_inquiry(server, token_of(conversation), body),
                   422, "validation_error")
    listed = await server.client.get(f"{API}/inquiries", headers=staff.headers)
    assert listed.json()["items"] == []
    assert (await server.client.get(f"{API}/conversations/{conversation['id']}",
                                    headers=staff.headers)).json()["open_inquiries"] == 0
