"""The events API's schema lists every kind, status and policy an Enum allows (clients generate from it)."""

from __future__ import annotations

from typing import Any

from events.tables import EventKind, EventStatus, RsvpStatus, WaitlistPolicy
from tests.conftest import LiveServer


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
