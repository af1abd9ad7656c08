"""Real image files for the rewards' image tests, written here (no image library): a PNG of a
colour gradient, and the first bytes of a JPEG, a WebP and a GIF."""

from __future__ import annotations

import struct
import zlib

__all__ = ["GIF", "JPEG", "WEBP", "png"]

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
WEBP = b"RIFF" + struct.pack("<I", 30) + b"WEBPVP8 " + b"\x00" * 22
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x00\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width: int = 320, height: int = 200, tint: tuple[int, int, int] = (150, 30, 60)) -> bytes:
    """An RGB PNG: `tint` fading to a pale gold from left to right, darker towards the bottom."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # no filter
        shade = 1 - 0.4 * y / max(1, height - 1)
        for x in range(width):
            t = x / max(1, width - 1)
            rows += bytes(int(((1 - t) * c + t * g) * shade) for c, g in zip(tint, (235, 205, 140), strict=True))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + _chunk(b"IEND", b"")
