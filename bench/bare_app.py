"""The framework's ceiling: a bare Litestar JSON endpoint, served like the real app.

    uvicorn --factory bench.bare_app:create
"""

from __future__ import annotations

from litestar import Litestar, post


@post("/scan", status_code=200, sync_to_thread=False)
def scan(data: dict[str, str]) -> dict[str, str]:
    return {"result": "admitted", "nonce": data.get("nonce", "")}


def create() -> Litestar:
    return Litestar(route_handlers=[scan], logging_config=None)


def create_select() -> Litestar:
    """The database's ceiling for a read: one primary-key SELECT of a member per request, on the
    DATABASE_URL the app uses (an asyncpg pool on PostgreSQL, one aiosqlite connection on SQLite),
    with nothing else of the app: no middleware, no Piccolo, no token."""
    import os

    from litestar import get

    url = os.environ["DATABASE_URL"]
    state: dict[str, object] = {}

    async def start() -> None:
        if url.startswith("sqlite"):
            import aiosqlite

            state["sqlite"] = await aiosqlite.connect(url.removeprefix("sqlite:///"))
        else:
            import asyncpg

            state["pg"] = await asyncpg.create_pool(url, min_size=4, max_size=20)

    @get("/member/{member_id:int}")
    async def member(member_id: int) -> dict[str, object]:
        if "pg" in state:
            row = await state["pg"].fetchrow("SELECT id, name FROM member WHERE id = $1", member_id)  # type: ignore[attr-defined]
            return {"id": row["id"], "name": row["name"]}
        async with state["sqlite"].execute("SELECT id, name FROM member WHERE id = ?", (member_id,)) as cursor:  # type: ignore[attr-defined]
            found = await cursor.fetchone()
        return {"id": found[0], "name": found[1]}

    return Litestar(route_handlers=[member], on_startup=[start], logging_config=None)
