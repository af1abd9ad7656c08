"""Tables of health_programs."""

from __future__ import annotations

__all__: list[str] = []
