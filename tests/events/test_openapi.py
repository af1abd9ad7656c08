"""The events API's schema lists every kind, status and policy an Enum allows (clients generate from it)."""

from __future__ import annotations

import json
from typing import Any

import msgspec

from checkin.rules import ScanResult
from checkin.schemas import ScanIn
from club.schemas import MemberCreate
from events.reminders.schemas import SequenceIn
from events.schemas import EventCreate, RsvpIn
from events.tables import EventKind, EventStatus, RsvpStatus, WaitlistPolicy
from health_programs.schemas import BookIn
from tests.conftest import LiveServer
from tests.factories import Caller


def _enum_values(schema: dict[str, Any], ref_or_schema: dict[str, Any]) -> set[str]:
    """The enum values a property allows, following a $ref and any oneOf/anyOf arm."""
    if "$ref" in ref_or_schema:
        name = ref_or_schema["$ref"].rsplit("/", 1)[-1]
        return _enum_values(schema, schema["components"]["schemas"][name])
    values = set(ref_or_schema.get("enum", []))
    for arm in ref_or_schema.get("oneOf", []) + ref_or_schema.get("anyOf", []):
        values |= _enum_values(schema, arm)
    return values


async def test_the_schema_lists_the_enum_values(server: LiveServer) -> None:
    async with server.client() as http:
        schema = (await http.get("/schema/openapi.json")).json()
    components = schema["components"]["schemas"]

    def allowed(struct: str, field: str) -> set[str]:
        return _enum_values(schema, components[struct]["properties"][field])

    kinds, policies = {k.value for k in EventKind}, {p.value for p in WaitlistPolicy}
    assert allowed("EventCreate", "kind") == kinds
    assert allowed("EventCreate", "waitlist_policy") == policies
    assert allowed("EventUpdate", "kind") == kinds
    assert allowed("EventUpdate", "waitlist_policy") == policies
    assert allowed("EventOut", "kind") == kinds
    assert allowed("EventOut", "status") == {s.value for s in EventStatus}
    assert allowed("RsvpOut", "status") == {s.value for s in RsvpStatus}


async def test_a_scans_outcomes_are_an_enum_and_the_main_bodies_have_examples(server: LiveServer) -> None:
    async with server.client() as http:
        schema = (await http.get("/schema/openapi.json")).json()
    components = schema["components"]["schemas"]
    assert _enum_values(schema, components["ScanAnswer"]["properties"]["result"]) == {r.value for r in ScanResult}
    assert len(ScanResult) >= 9
    bodies = {op["operationId"]: op["requestBody"] for ops in schema["paths"].values() for op in ops.values() if "requestBody" in op}
    for operation, struct in (
        ("createEvent", EventCreate), ("rsvp", RsvpIn), ("scanTicket", ScanIn), ("createMember", MemberCreate),
        ("createReminderSequence", SequenceIn), ("bookHealthSlot", BookIn),
    ):
        body = bodies[operation]["content"]["application/json"]["schema"]
        examples = body["examples"]
        assert examples, operation
        # The body is still the component (clients generate from it), and each example is a valid body.
        assert [part["$ref"] for part in body["allOf"]] == [f"#/components/schemas/{struct.__name__}"]
        for example in examples:
            msgspec.json.decode(json.dumps(example), type=struct)


async def test_the_examples_are_accepted_as_they_stand(server: LiveServer, coordinator: Caller) -> None:
    """A reader who pastes an example into /schema's "try it" gets a 201, not a 400."""
    async with server.client() as http:
        schema = (await http.get("/schema/openapi.json")).json()
    bodies = {op["operationId"]: op["requestBody"] for ops in schema["paths"].values() for op in ops.values() if "requestBody" in op}

    def example(operation: str) -> dict[str, Any]:
        first: dict[str, Any] = bodies[operation]["content"]["application/json"]["schema"]["examples"][0]
        return first

    async with server.client(coordinator.token) as http:
        for path, operation in (("/api/events", "createEvent"), ("/api/members", "createMember"), ("/api/reminder-sequences", "createReminderSequence")):
            answer = await http.post(path, json=example(operation))
            assert answer.status_code == 201, (operation, answer.text)
