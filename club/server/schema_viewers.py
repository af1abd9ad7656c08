"""The API documentation's viewers, served from this package: no page fetches from another host.

Litestar's viewers load their scripts, styles, favicon and fonts from CDNs by default, which are
unreachable on the club's own network and unreliable in mainland China. Swagger UI (at `/schema`
and `/schema/swagger`, to read and to try calls with a token) is vendored from its npm package
with its licence in `static/schema/`; `scripts/vendor-schema-assets` refreshes it. (Redoc was
left out: its menu fetches the Redocly logo from their CDN whatever the options.)
"""

from __future__ import annotations

from pathlib import Path

from litestar.openapi.plugins import OpenAPIRenderPlugin, SwaggerRenderPlugin
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

__all__ = ["ASSETS_PATH", "render_plugins", "schema_assets"]

ASSETS_PATH = "/schema-assets"
_ASSETS = Path(__file__).resolve().parent / "static" / "schema"
_FAVICON = f"<link rel='icon' type='image/png' href='{ASSETS_PATH}/swagger-ui/favicon-32x32.png'>"


def render_plugins() -> list[OpenAPIRenderPlugin]:
    return [
        SwaggerRenderPlugin(
            path=["/", "/swagger"],
            js_url=f"{ASSETS_PATH}/swagger-ui/swagger-ui-bundle.js",
            css_url=f"{ASSETS_PATH}/swagger-ui/swagger-ui.css",
            standalone_preset_js_url=f"{ASSETS_PATH}/swagger-ui/swagger-ui-standalone-preset.js",
            favicon=_FAVICON,
        ),
    ]


def schema_assets() -> ControllerRouterHandler:
    return create_static_files_router(path=ASSETS_PATH, directories=[_ASSETS], include_in_schema=False)
