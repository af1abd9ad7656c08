"""Debian's Chromium for the browser tests, and the flags for a closed network.

scripts/test installs the package. Outside CI a machine without it skips the browser tests
with a reason; in CI (CI=true) a missing browser is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "DESKTOP", "PHONE", "WHY_NO_CHROMIUM", "signed_in_context", "skip_without_chromium"]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# scripts/test says why when it could not install it (apt busy past its wait, no package).
WHY_NO_CHROMIUM = os.environ.get("CHROMIUM_UNAVAILABLE") or "Debian's chromium is not installed (scripts/test installs it as root)"

# No background calls that would be refused, no sandbox as root.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

# A member's phone, in Chinese: `browser.new_context(**PHONE)` (the pages are tested at this size).
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
    "locale": "zh-CN",
}

# A coordinator's desk: a desktop window, in Chinese (the console is tested at this size).
DESKTOP: dict[str, Any] = {"viewport": {"width": 1440, "height": 900}, "locale": "zh-CN"}


async def signed_in_context(browser: Any, base_url: str, session: str, **options: Any) -> Any:
    """A browser context (`options`: PHONE or DESKTOP) holding a session cookie for `base_url`."""
    context = await browser.new_context(**options)
    await context.add_cookies([{"name": "club_session", "value": session, "url": base_url}])
    return context


def skip_without_chromium() -> None:
    """Call at module level of a browser test."""
    if CHROMIUM is None and os.environ.get("CI") != "true":
        pytest.skip(WHY_NO_CHROMIUM, allow_module_level=True)
