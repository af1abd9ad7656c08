"""QR images of tickets, SVG and PNG, cached: rendering costs ~100x a signature check."""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Literal

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M

__all__ = ["ImageFormat", "render_ticket"]

ImageFormat = Literal["svg", "png"]
MEDIA_TYPES: dict[str, str] = {"svg": "image/svg+xml", "png": "image/png"}


@lru_cache(maxsize=4096)
def render_ticket(token: str, image_format: ImageFormat) -> bytes:
    """The QR image of a token. The token alone decides the image, so caching by it is safe:
    a reissued ticket has a new token, and a revoked one is refused at the door, not here."""
    # M-level correction survives a scuffed phone screen; a 4-module quiet zone is the standard.
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(token)
    code.make(fit=True)
    out = io.BytesIO()
    if image_format == "svg":
        # A white rect under the modules, quiet zone included: on a phone in dark mode a
        # transparent SVG shows black modules on black, which no scanner reads.
        code.make_image(image_factory=qrcode.image.svg.SvgPathFillImage).save(out)
    else:
        code.make_image().save(out)
    return out.getvalue()
