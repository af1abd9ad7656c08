"""The API documentation renders with the network cut: every script, style and icon comes from us."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, WHY_NO_CHROMIUM, skip_without_chromium
from tests.conftest import LiveServer

skip_without_chromium()


# Swagger UI draws a long document's operations as they scroll into view, so the page is read the
# way a reader does: a screen further down at each look, noting every operation drawn, until each
# operation of the document has been seen (or the end is reached).
_EVERY_OPERATION_DRAWN = """(wanted) => {
  const seen = (window.__seen = window.__seen || new Set());
  document.querySelectorAll('.opblock[id]').forEach((e) => seen.add(e.id));
  window.scrollBy(0, window.innerHeight);
  return seen.size >= wanted;
}"""


@pytest.mark.parametrize("path", ["/schema", "/schema/swagger"])
async def test_the_viewers_render_from_the_service_alone(server: LiveServer, path: str) -> None:
    from playwright.async_api import Route, async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    ours = urlsplit(server.base_url).netloc
    elsewhere: list[str] = []

    async def cut_the_network(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).netloc == ours:
            await route.continue_()
        else:
            elsewhere.append(url)
            await route.abort("internetdisconnected")

    async with server.client() as http:
        document = (await http.get("/schema/openapi.json")).json()
    operations = sum(len(methods) for methods in document["paths"].values())
    assert operations > 100

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page()
            await page.route("**/*", cut_the_network)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            await page.goto(f"{server.base_url}{path}")
            await page.wait_for_function(_EVERY_OPERATION_DRAWN, arg=operations, timeout=60_000, polling=100)
            assert elsewhere == [], f"{path} asked another host for {elsewhere}"
            assert errors == []
        finally:
            await browser.close()


async def test_the_vendored_assets_are_served_with_their_licences(server: LiveServer) -> None:
    async with server.client() as http:
        licence = await http.get("/schema-assets/swagger-ui/LICENSE")
        assert licence.status_code == 200
        assert "Apache License" in licence.text
        bundle = await http.get("/schema-assets/swagger-ui/swagger-ui-bundle.js")
        assert bundle.status_code == 200
        assert "javascript" in bundle.headers["content-type"]
