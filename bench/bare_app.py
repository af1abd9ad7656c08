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
