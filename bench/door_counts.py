"""Prints what one door scan costs in counts that do not depend on the machine's load: round
trips and statements to PostgreSQL, round trips and commands to Redis.

The app runs under uvicorn as in bench/checkin.py, but its database and Redis are reached
through two small counting proxies in this process, so every message the server sends is
seen, whichever code (Piccolo, asyncpg, the rate limiter, a middleware) sent it. Scans go one
after another, each a real admission, and the statements of the last one are listed.

    .venv/bin/python bench/door_counts.py [--scans 20] [--tree PATH]

`--tree` runs another checkout's app and bench helpers with this one's proxies (e.g. a
`git worktree` of an older commit), so two versions are counted the same way.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import struct
import sys
import uuid
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

_SSL_REQUEST = 80877103


@dataclasses.dataclass
class Tally:
    """What the clients of one proxy sent: round trips (a client turn after a server reply),
    and the statements or commands in them."""

    round_trips: int = 0
    items: list[str] = dataclasses.field(default_factory=list)

    def reset(self) -> None:
        self.round_trips = 0
        self.items = []


class _Pipe:
    def __init__(self, tally: Tally, parser: Any) -> None:
        self.tally, self.parser, self.client_turn = tally, parser, False

    async def client_to_server(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while data := await reader.read(65536):
            if not self.client_turn:
                self.tally.round_trips += 1
                self.client_turn = True
            self.parser(data)
            writer.write(data)
            await writer.drain()
        writer.close()

    async def server_to_client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while data := await reader.read(65536):
            self.client_turn = False
            writer.write(data)
            await writer.drain()
        writer.close()


class _PostgresParser:
    """Client messages after the start-up: a simple query (Q) or a parse (P) names its SQL; a
    bind (B) of a prepared statement names it again."""

    def __init__(self, tally: Tally) -> None:
        self.tally, self.buffer, self.started, self.statements = tally, b"", False, {}

    def __call__(self, data: bytes) -> None:
        self.buffer += data
        while True:
            if not self.started:
                if len(self.buffer) < 8:
                    return
                (length,) = struct.unpack("!I", self.buffer[:4])
                if len(self.buffer) < length:
                    return
                self.buffer, self.started = self.buffer[length:], True
                continue
            if len(self.buffer) < 5:
                return
            kind, (length,) = self.buffer[:1], struct.unpack("!I", self.buffer[1:5])
            if len(self.buffer) < 1 + length:
                return
            body, self.buffer = self.buffer[5 : 1 + length], self.buffer[1 + length :]
            if kind == b"Q":
                self.tally.items.append("Q " + body.rstrip(b"\0").decode(errors="replace"))
            elif kind == b"P":
                name, _, rest = body.partition(b"\0")
                sql = rest.partition(b"\0")[0].decode(errors="replace")
                self.statements[name] = sql
                if not name:
                    self.tally.items.append("P+B " + sql)
            elif kind == b"B":
                _portal, _, rest = body.partition(b"\0")
                name = rest.partition(b"\0")[0]
                if name:
                    self.tally.items.append("B " + self.statements.get(name, "?"))


class _RedisParser:
    """RESP arrays from the client: one command each, named by its first word."""

    def __init__(self, tally: Tally) -> None:
        self.tally, self.buffer = tally, b""

    def __call__(self, data: bytes) -> None:
        self.buffer += data
        while self.buffer.startswith(b"*"):
            parsed = self._command(self.buffer)
            if parsed is None:
                return
            words, self.buffer = parsed
            self.tally.items.append(" ".join(w.decode(errors="replace") for w in words[:2]))

    @staticmethod
    def _command(buffer: bytes) -> tuple[list[bytes], bytes] | None:
        head, sep, rest = buffer.partition(b"\r\n")
        if not sep:
            return None
        words = []
        for _ in range(int(head[1:])):
            size_line, sep, rest = rest.partition(b"\r\n")
            if not sep:
                return None
            size = int(size_line[1:])
            if len(rest) < size + 2:
                return None
            words.append(rest[:size])
            rest = rest[size + 2 :]
        return words, rest


async def _proxy(upstream: tuple[str, int], tally: Tally, postgres: bool) -> tuple[asyncio.Server, int]:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if postgres:
            first = await reader.readexactly(8)
            if struct.unpack("!II", first)[1] == _SSL_REQUEST:
                writer.write(b"N")  # no TLS through the proxy: the client then starts in plain text
                await writer.drain()
                first = b""
        else:
            first = b""
        up_reader, up_writer = await asyncio.open_connection(*upstream)
        pipe = _Pipe(tally, _PostgresParser(tally) if postgres else _RedisParser(tally))
        if first:
            pipe.parser(first)
            up_writer.write(first)
        await asyncio.gather(
            pipe.client_to_server(reader, up_writer), pipe.server_to_client(up_reader, writer), return_exceptions=True
        )

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


def _cpu_s(pid: int) -> float:
    """A process's user + system CPU seconds so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _through(url: str, port: int) -> str:
    parsed = urlparse(url)
    netloc = parsed.netloc.rsplit("@", 1)
    host = f"127.0.0.1:{port}"
    return parsed._replace(netloc=f"{netloc[0]}@{host}" if len(netloc) == 2 else host).geturl()


async def count(scans: int) -> None:
    import httpx

    from bench.checkin import _prepare  # type: ignore[attr-defined]
    from bench.rsvp_storm import _free_port, _serve, _wait_ready
    from bench.scratch import scratch_backend
    from checkin import urls as door
    from events import urls

    postgres, redis = Tally(), Tally()
    async with scratch_backend("postgres", "counts") as settings:
        event_id, tokens, staff_token = await _prepare(settings, scans + 2)
        pg, rd = urlparse(settings.database_url), urlparse(settings.redis_url or "")
        pg_server, pg_port = await _proxy((pg.hostname or "127.0.0.1", pg.port or 5432), postgres, True)
        rd_server, rd_port = await _proxy((rd.hostname or "127.0.0.1", rd.port or 6379), redis, False)
        proxied = dataclasses.replace(
            settings, database_url=_through(settings.database_url, pg_port), redis_url=_through(settings.redis_url or "", rd_port)
        )
        port = _free_port()
        server = _serve(proxied, port)
        try:
            base = f"http://127.0.0.1:{port}"
            await _wait_ready(base, server)
            path = urls.link(door.SCANS, event_id=event_id)
            headers = {"Authorization": f"Bearer {staff_token}"}
            async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as http:
                # Two warm-up scans: pool connections opened, statements prepared once.
                for token in tokens[:2]:
                    await http.post(path, json={"token": token, "nonce": uuid.uuid4().hex, "gate": "main"})
                await asyncio.sleep(0.2)
                totals = Counter[str]()
                results = Counter[str]()
                cpu_before = _cpu_s(server.pid)
                for token in tokens[2:]:
                    postgres.reset()
                    redis.reset()
                    response = await http.post(path, json={"token": token, "nonce": uuid.uuid4().hex, "gate": "main"})
                    results[response.json().get("result", str(response.status_code))] += 1
                    totals.update(pg_rt=postgres.round_trips, pg_statements=len(postgres.items),
                                  redis_rt=redis.round_trips, redis_commands=len(redis.items))
                server_cpu_ms = (_cpu_s(server.pid) - cpu_before) * 1000
        finally:
            server.terminate()
            for _ in range(300):  # the proxies must keep relaying while the server shuts down
                if server.poll() is not None:
                    break
                await asyncio.sleep(0.1)
            else:
                server.kill()
            pg_server.close()
            rd_server.close()
    print(f"{scans} scans one after another: {dict(results)}")
    print("per scan: " + ", ".join(f"{k} {v / scans:.2f}" for k, v in totals.items()))
    print(f"server CPU per scan: {server_cpu_ms / scans:.2f} ms (user + system; less noisy than wall time, not free of it)")
    print("the last scan's PostgreSQL statements:")
    for item in postgres.items:
        print("  " + item[:160])
    print("its Redis commands: " + "; ".join(redis.items))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scans", type=int, default=20)
    parser.add_argument("--tree", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    tree = str(args.tree.resolve())
    sys.path.insert(0, tree)
    os.chdir(tree)  # the uvicorn child imports the app from its working directory
    asyncio.run(count(args.scans))


if __name__ == "__main__":
    main()
