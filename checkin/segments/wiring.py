"""What the wiring (club.server) takes from the saved segments: the API (its jobs stand in
checkin.wiring's, with the domain's others)."""

from __future__ import annotations

from typing import Any

from checkin.segments.routes import SEGMENT_ROUTES

__all__ = ["ROUTES"]

ROUTES: list[Any] = list(SEGMENT_ROUTES)
