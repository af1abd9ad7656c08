"""The paging parameters every list route takes, with the bounds every list holds to."""

from __future__ import annotations

from typing import Annotated

from litestar.params import Parameter

__all__ = ["Limit", "Offset"]

Limit = Annotated[int, Parameter(ge=1, le=500)]
Offset = Annotated[int, Parameter(ge=0, le=10_000_000)]
