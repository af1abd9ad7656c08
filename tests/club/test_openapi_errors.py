"""The OpenAPI document declares the problem answers the routes really give."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import LiveServer

PROBLEM = "application/problem+json"


async def _document(server: LiveServer) -> dict[str, Any]:
    async with server.client() as http:
        answer = await http.get("/schema/openapi.json")
    assert answer.status_code == 200
    return answer.json()


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, ops in doc["paths"].items() for method, op in ops.items()]


async def test_every_error_is_declared_as_a_problem(server: LiveServer) -> None:
    doc = await _document(server)
    problem = doc["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    for path, method, op in _operations(doc):
        for status, answer in op["responses"].items():
            if status.startswith(("4", "5")):
                assert list(answer["content"]) == [PROBLEM], (method, path, status)
                assert answer["content"][PROBLEM]["schema"] == {"$ref": "#/components/schemas/Problem"}


async def test_an_rsvp_declares_each_answer_a_member_can_meet(server: LiveServer) -> None:
    doc = await _document(server)
    responses = doc["paths"]["/api/events/{event_id}/rsvp"]["post"]["responses"]
    assert {"400", "401", "403", "404", "409", "413", "429"} <= set(responses)
    # A public route asks for no token, so it declares no 401.
    assert "401" not in doc["paths"]["/healthz"]["get"]["responses"]


async def test_each_route_that_declares_401_gives_it_without_a_token(server: LiveServer) -> None:
    doc = await _document(server)
    checked = 0
    async with server.client() as http:
        for path, method, op in _operations(doc):
            if "401" not in op["responses"]:
                continue
            answer = await http.request(method.upper(), re.sub(r"\{[^}]+\}", "1", path))
            assert answer.status_code == 401, (method, path, answer.text)
            assert answer.headers["content-type"].startswith(PROBLEM)
            if method != "head":  # a HEAD answer has the GET's headers and no body
                assert answer.json()["type"] == "/problems/unauthenticated"
            checked += 1
    assert checked > 50
