"""Lists of other people (travelers, passports, the manifest, the rooming list) refuse anyone
but a coordinator in the services themselves, not only in the routes; a traveler's record is
its member's or a coordinator's (404 to anyone else); the schema lists the room kinds, roles
and passport reasons."""

from __future__ import annotations

from typing import Any

import pytest

from club.accounts import Principal
from club.errors import NotFound
from club.tables import Role
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.travel.helpers import add_traveler, rsvp, trip
from travel.manifest import manifest_sheet
from travel.passports import passport_check
from travel.rooms import assign_room, create_room, list_rooms, room_out, unassign_room
from travel.rules import PassportReason
from travel.tables import RoomKind, TravelerRole
from travel.travelers import trip_travelers, visible_traveler


def _as(caller: Caller, role: Role) -> Principal:
    return Principal(user_id=caller.user_id, role=role, name="test", member_id=caller.member_id)


async def test_desk_services_refuse_a_member_called_directly(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    event = await trip(server, coordinator)
    mine = await rsvp(server, member, event["id"])
    async with server.client(member.token) as http:
        traveler = (await add_traveler(http, mine["id"])).json()
    desk, traveler_self = _as(coordinator, Role.coordinator), _as(member, Role.member)
    room = await create_room(event["id"], "101", RoomKind.twin, desk)
    assert [t.id for t in await trip_travelers(event["id"], desk)] == [traveler["id"]]
    assert (await assign_room(room.id, traveler["id"], desk)).occupants[0].traveler_id == traveler["id"]

    refused = [
        trip_travelers(event["id"], traveler_self),
        trip_travelers(event["id"], traveler_self, full=True),
        passport_check(event["id"], traveler_self),
        manifest_sheet(event["id"], traveler_self),
        list_rooms(event["id"], traveler_self),
        room_out(room.id, traveler_self),
        create_room(event["id"], "102", RoomKind.single, traveler_self),
        assign_room(room.id, traveler["id"], traveler_self),
        unassign_room(room.id, traveler["id"], traveler_self),
    ]
    for call in refused:
        with pytest.raises(NotFound):
            await call
    assert [r.label for r in await list_rooms(event["id"], desk)] == ["101"]  # nothing was created


async def test_a_traveler_is_its_members_or_a_coordinators(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    event = await trip(server, coordinator)
    mine = await rsvp(server, member, event["id"])
    async with server.client(member.token) as http:
        traveler = (await add_traveler(http, mine["id"])).json()
    stranger = await make_member("Someone Else")
    assert (await visible_traveler(traveler["id"], _as(member, Role.member))).member == member.member_id
    assert (await visible_traveler(traveler["id"], _as(coordinator, Role.coordinator))).id == traveler["id"]
    with pytest.raises(NotFound):
        await visible_traveler(traveler["id"], _as(stranger, Role.member))
    with pytest.raises(NotFound):
        await visible_traveler(traveler["id"] + 10_000, _as(coordinator, Role.coordinator))


def _enum_values(schema: dict[str, Any], ref_or_schema: dict[str, Any]) -> set[str]:
    if "$ref" in ref_or_schema:
        return _enum_values(schema, schema["components"]["schemas"][ref_or_schema["$ref"].rsplit("/", 1)[-1]])
    values = set(ref_or_schema.get("enum", []))
    for arm in ref_or_schema.get("oneOf", []) + ref_or_schema.get("anyOf", []):
        values |= _enum_values(schema, arm)
    return values


async def test_the_schema_lists_room_kinds_and_traveler_roles(server: LiveServer) -> None:
    async with server.client() as http:
        schema = (await http.get("/schema/openapi.json")).json()
    components = schema["components"]["schemas"]

    def allowed(struct: str, field: str) -> set[str]:
        return _enum_values(schema, components[struct]["properties"][field])

    kinds, roles = {k.value for k in RoomKind}, {r.value for r in TravelerRole}
    assert allowed("RoomIn", "kind") == kinds and allowed("RoomOut", "kind") == kinds
    assert allowed("TravelerIn", "role") == roles and allowed("TravelerOut", "role") == roles
    assert allowed("PassportProblemOut", "reason") == {r.value for r in PassportReason}
