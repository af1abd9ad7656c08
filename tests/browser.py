"""Debian's Chromium for the browser tests, and the flags for a closed network.

scripts/test installs the package. Outside CI a machine without it skips the browser tests
with a reason; in CI (CI=true) a missing browser is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil

import pytest

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "PHONE", "WHY_NO_CHROMIUM", "skip_without_chromium"]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# scripts/test says why when it could not install it (apt busy past its wait, no package).
WHY_NO_CHROMIUM = os.environ.get("CHROMIUM_UNAVAILABLE") or "Debian's chromium is not installed (scripts/test installs it as root)"

# No background calls that would be refused, no sandbox as root.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

# A member's phone, in Chinese: `browser.new_context(**PHONE)` (the pages are tested at this size).
PHONE: dict[str, object] = {
    "viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
    "locale": "zh-CN",
}


def skip_without_chromium() -> None:
    """Call at module level of a browser test."""
    if CHROMIUM is None and os.environ.get("CI") != "true":
        pytest.skip(WHY_NO_CHROMIUM, allow_module_level=True)
