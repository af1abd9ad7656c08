"""Examples of request bodies for the OpenAPI document: what a client generator or a reader of
/schema shows as "try this", beside the schema that says what is allowed."""

from __future__ import annotations

from typing import Any

from litestar.openapi.spec import Example
from litestar.params import Body, BodyKwarg

__all__ = ["example_body"]


def example_body(summary: str, value: dict[str, Any], description: str | None = None) -> BodyKwarg:
    """A request body's marker (`data: Annotated[EventCreate, example_body(...)]`) with one example."""
    return Body(description=description, examples=[Example(summary=summary, value=value)])
