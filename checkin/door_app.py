"""The door page as an app a phone keeps: its service worker and its web app manifest.

The worker is served at /door/sw.js, so its scope is the door pages (/door/…) and it stays apart
from the member pages' worker at /sw.js. The door's scripts and icons are named by DOOR_VERSION,
a digest of checkin/static: the worker keeps them for good, and any change to them is a new
worker, which a phone picks up on its next visit with the network.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.params import Parameter

from club.bounds import INT32_MAX
from club.i18n.catalogs import gettext
from club.i18n.http import request_language

__all__ = ["DOOR_APP_ROUTES", "DOOR_MANIFEST", "DOOR_VERSION", "DOOR_WORKER"]

DOOR_WORKER = "/door/sw.js"
DOOR_MANIFEST = "/door/manifest.webmanifest"
_STATIC = Path(__file__).parent / "static"


def _digest() -> str:
    files = sorted(p for p in _STATIC.rglob("*") if p.is_file())
    hashed = hashlib.sha256()
    for path in files:
        hashed.update(path.relative_to(_STATIC).as_posix().encode() + b"\0" + path.read_bytes())
    return hashed.hexdigest()[:12]


DOOR_VERSION = _digest()
_WORKER = (_STATIC / "door-sw.js").read_bytes().replace(b"{DOOR_VERSION}", DOOR_VERSION.encode())


@get(DOOR_WORKER, include_in_schema=False, sync_to_thread=False, name="door-service-worker")
def door_worker() -> Response[bytes]:
    # Never cached by the browser: a new version is picked up on the next visit with the network.
    return Response(_WORKER, media_type="text/javascript", headers={"Cache-Control": "no-cache"})


@get(DOOR_MANIFEST, include_in_schema=False, sync_to_thread=False, name="door-manifest")
def door_manifest(
    request: Request,
    event: Annotated[int | None, Parameter(ge=1, le=INT32_MAX)] = None,
    item: Annotated[int | None, Parameter(ge=1, le=INT32_MAX)] = None,
) -> Response[dict[str, Any]]:
    """The page names its own event (and meeting point), so the installed app opens that door,
    with or without the network. The staff token is not in it: it stays on the device."""
    language = request_language(request)
    start = f"/door/{event}" + (f"?item={item}" if item else "") if event else "/door"
    icons = [
        {"src": f"/door-static/door-icon-{size}.png?v={DOOR_VERSION}", "sizes": f"{size}x{size}",
         "type": "image/png", "purpose": "any maskable"}
        for size in (192, 512)
    ]
    name = gettext(language, "Door check-in")
    return Response(
        {"name": name, "short_name": name, "lang": language.tag, "start_url": start, "scope": "/door",
         "display": "standalone", "orientation": "portrait", "background_color": "#111111",
         "theme_color": "#111111", "icons": icons},
        media_type="application/manifest+json",
        headers={"Content-Language": language.tag, "Cache-Control": "no-cache"},
    )


DOOR_APP_ROUTES = [door_worker, door_manifest]
