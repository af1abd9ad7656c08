"""What the pages' form handlers share: the body of an HTML form, read into a typed Struct.

    async def rsvp_page(..., data: Annotated[RsvpForm, FORM]) -> Redirect: ...
"""

from __future__ import annotations

from litestar.enums import RequestEncodingType
from litestar.params import Body

__all__ = ["FORM"]

# application/x-www-form-urlencoded, as a browser posts a form without files.
FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
