"""(stub: the member pages of this package; filled in by its helper)"""

from __future__ import annotations

from typing import Any

__all__ = ["HOME_SECTIONS", "PAGES"]

PAGES: list[Any] = []
HOME_SECTIONS: list[Any] = []
