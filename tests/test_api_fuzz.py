"""Every operation of the OpenAPI document, fed what no column can hold: a 4xx, and nothing stored.

The walk reads the live server's own /schema/openapi.json, so a route added tomorrow is walked
tomorrow. For each operation it sends, one at a time:
- ids beyond any column (int32 on PostgreSQL, int64 on SQLite) in every integer path parameter;
- a NUL character in every string path parameter, query parameter and body string;
- far dates (9999-12-31, 0001-01-01) in every date and date-time body field;
- integers beyond int32 in every integer query parameter and body field;
- a JSON body nested 10,000 deep.
Each bad value goes into an otherwise well-formed request (a body built from the schema, the
bad field first), so the request would reach the route if the bad value slipped through.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from club.server.registry import all_tables
from tests.conftest import LiveServer
from tests.factories import Caller

INT32_MAX = 2**31 - 1
TOO_BIG_IDS = [INT32_MAX + 1, 10**20]
TOO_BIG_INTS = [INT32_MAX + 1, 99_999_999_999_999_999]
FAR_INSTANTS = ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+00:00"]
FAR_DAYS = ["9999-12-31", "0001-01-01"]
NUL_TEXT = "Sa\x00lon"
DEEP_JSON = b"[" * 10_000 + b"]" * 10_000
METHODS = ("get", "post", "put", "patch", "delete")
# Strings a pattern may ask for; the first that matches is used in a well-formed body.
PATTERNED = ["fuzz@example.com", "+33 1 23 45 67 89", "en", "18:00", "FRA", "AB12345", "nonce-1234"]

Path = tuple[str | int, ...]


@dataclass
class Operation:
    method: str
    template: str
    parameters: list[dict[str, Any]]
    body_schema: dict[str, Any] | None

    @property
    def name(self) -> str:
        return f"{self.method.upper()} {self.template}"


@dataclass
class Findings:
    wrong: list[str] = field(default_factory=list)
    sent: int = 0


class Schema:
    """A well-formed value for each JSON schema node, and where its leaves are."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.components = doc.get("components", {}).get("schemas", {})

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = self.components[node["$ref"].rsplit("/", 1)[1]]
        if len(node.get("allOf", ())) == 1:
            # A body with examples: Litestar writes {"allOf": [{"$ref": ...}], "examples": [...]}.
            return self.resolve(node["allOf"][0])
        alternatives = node.get("oneOf") or node.get("anyOf")
        if alternatives:
            # Litestar writes a field's constraints beside its oneOf; the first non-null one is it.
            chosen = next((a for a in alternatives if a.get("type") != "null"), alternatives[0])
            rest = {k: v for k, v in node.items() if k not in ("oneOf", "anyOf")}
            return {**self.resolve(chosen), **rest}
        if isinstance(node.get("type"), list):
            return {**node, "type": next(t for t in node["type"] if t != "null")}
        return node

    def sample(self, node: dict[str, Any], name: str = "") -> Any:
        node = self.resolve(node)
        kind = node.get("type")
        if "enum" in node:
            return node["enum"][0]
        if kind == "object":
            return {k: self.sample(v, k) for k, v in node.get("properties", {}).items()}
        if kind == "array":
            return [self.sample(node.get("items", {}), name)] * max(1, node.get("minItems", 1))
        if kind == "integer":
            low = node.get("minimum", 1)
            return min(max(low, 1), node.get("maximum", low + 1))
        if kind == "number":
            return node.get("minimum", 1)
        if kind == "boolean":
            return False
        if kind == "string":
            return self._string(node, name)
        return None

    def _string(self, node: dict[str, Any], name: str) -> str:
        fmt = node.get("format")
        if fmt == "date-time":
            return "2031-03-01T19:00:00+00:00"
        if fmt == "date":
            return "1990-03-01" if "birth" in name or "joined" in name else "2031-03-01"
        if "zone" in name:
            return "Europe/Paris"
        low, high = node.get("minLength", 1), node.get("maxLength", 10_000)
        if pattern := node.get("pattern"):
            return next((s for s in PATTERNED if re.search(pattern, s) and low <= len(s) <= high), "x")
        return "Fuzz"[:high].ljust(low, "z")

    def leaves(self, node: dict[str, Any], at: Path = ()) -> Iterator[tuple[Path, dict[str, Any]]]:
        node = self.resolve(node)
        if node.get("type") == "object":
            for k, v in node.get("properties", {}).items():
                yield from self.leaves(v, (*at, k))
        elif node.get("type") == "array":
            yield from self.leaves(node.get("items", {}), (*at, 0))
        else:
            yield at, node


def bad_values(leaf: dict[str, Any]) -> list[Any]:
    if leaf.get("type") == "integer":
        # A field declared wider than a 32-bit column (a tier's spend, in a BIGINT) is refused
        # just past its own maximum.
        maximum = leaf.get("maximum")
        if isinstance(maximum, int) and maximum > INT32_MAX:
            return [maximum + 1, 99_999_999_999_999_999]
        return TOO_BIG_INTS
    if leaf.get("type") == "string":
        return {"date-time": FAR_INSTANTS, "date": FAR_DAYS}.get(leaf.get("format", ""), [NUL_TEXT])
    return []


def with_value(body: Any, at: Path, value: Any) -> Any:
    """`body` with `value` at `at`, each key on the way moved first (so it is decoded first)."""
    if not at:
        return value
    head, rest = at[0], at[1:]
    if isinstance(body, list):
        return [with_value(body[0], rest, value), *copy.deepcopy(body[1:])]
    return {head: with_value(body[head], rest, value), **{k: v for k, v in body.items() if k != head}}


def operations(doc: dict[str, Any]) -> list[Operation]:
    found = []
    for template, item in doc["paths"].items():
        for method in METHODS:
            if op := item.get(method):
                content = op.get("requestBody", {}).get("content", {}).get("application/json")
                found.append(Operation(method, template, op.get("parameters", []), content and content["schema"]))
    return found


async def row_counts() -> dict[str, int]:
    return {t._meta.tablename: await t.count() for t in all_tables()}


class Walker:
    def __init__(self, server: LiveServer, callers: list[Caller], doc: dict[str, Any]) -> None:
        self.server = server
        self.callers = callers
        self.schema = Schema(doc)
        self.findings = Findings()

    async def walk(self, op: Operation, clients: list[httpx.AsyncClient]) -> None:
        path_params = [p for p in op.parameters if p["in"] == "path"]
        query_params = [p for p in op.parameters if p["in"] == "query"]
        # The largest id a column holds, and no row has: in range, so only the bad value is refused.
        ids = {p["name"]: str(INT32_MAX) if self._is_int(p) else str(self.schema.sample(p["schema"])) for p in path_params}
        body = self.schema.sample(op.body_schema) if op.body_schema else None
        for p in path_params:
            for bad in TOO_BIG_IDS if self._is_int(p) else [NUL_TEXT]:
                url = self._url(op, {**ids, p["name"]: quote(str(bad), safe="")})
                await self._send(clients, op, url, 404 if self._is_int(p) else 400, f"path {p['name']}={bad!r}", json=body)
        url = self._url(op, ids)
        for p in [*query_params, {"name": "unlisted", "schema": {"type": "string"}}]:
            for bad in bad_values(self.schema.resolve(p["schema"])):
                await self._send(clients, op, url, 400, f"query {p['name']}={bad!r}", json=body, params={p["name"]: str(bad)})
        if op.body_schema is None:
            return
        for at, leaf in self.schema.leaves(op.body_schema):
            for bad in bad_values(leaf):
                await self._send(clients, op, url, 400, f"body {at}={bad!r}", json=with_value(body, at, bad))
        await self._send(
            clients, op, url, 400, "body nested 10,000 deep", content=DEEP_JSON, headers={"content-type": "application/json"}
        )

    def _is_int(self, parameter: dict[str, Any]) -> bool:
        return self.schema.resolve(parameter["schema"]).get("type") == "integer"

    def _url(self, op: Operation, values: dict[str, str]) -> str:
        return re.sub(r"{(\w+)(?::\w+)?}", lambda m: values[m.group(1)], op.template)

    async def _send(
        self, clients: list[httpx.AsyncClient], op: Operation, url: str, expected: int, what: str, **kwargs: Any
    ) -> None:
        """As the first role the route lets in (coordinator, then member, then door staff)."""
        if op.method in ("get", "delete"):
            kwargs.pop("json", None)
        for http in clients:
            response = await http.request(op.method.upper(), url, **kwargs)
            self.findings.sent += 1
            if response.status_code != 403:
                break
        if response.status_code != expected:
            self.findings.wrong.append(f"{op.name} {what}: {response.status_code} {response.text[:160]}")


async def test_no_operation_answers_5xx_or_stores_a_row_for_bad_input(
    server: LiveServer, coordinator: Caller, member: Caller, staff: Caller
) -> None:
    async with server.client(coordinator.token) as http:
        doc = (await http.get("/schema/openapi.json")).json()
    ops = operations(doc)
    assert len(ops) > 100  # the whole API, not a stub of it
    before = await row_counts()
    walker = Walker(server, [coordinator, member, staff], doc)
    clients = [server.client(c.token) for c in (coordinator, member, staff)]
    try:
        for op in ops:
            await walker.walk(op, clients)
    finally:
        for c in clients:
            await c.aclose()
    after = await row_counts()
    assert walker.findings.sent > 500
    assert walker.findings.wrong == [], "\n".join(walker.findings.wrong)
    assert {t: n for t, n in after.items() if n != before[t]} == {}
