"""The text of a PDF reportlab wrote, read without a PDF library: its content streams inflated
(ASCII85 and zlib, as reportlab's filters wrote them), and each string shown (`(...) Tj`) read in the font's encoding: UTF-16
for the CID fonts the report's Chinese is set in, Latin-1 for Helvetica."""

from __future__ import annotations

import base64
import binascii
import re
import zlib

__all__ = ["page_count", "pdf_text"]

_STREAM = re.compile(rb"stream\r?\n(.*?)(?:\r?\n)?endstream", re.DOTALL)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}


def _unescaped(literal: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(literal):
        c = literal[i:i + 1]
        if c != b"\\":
            out += c
            i += 1
            continue
        octal = re.match(rb"[0-7]{1,3}", literal[i + 1:i + 4])
        if octal:
            out.append(int(octal.group(), 8))
            i += 1 + len(octal.group())
        else:
            out += _ESCAPES.get(literal[i + 1:i + 2], b"")
            i += 2
    return bytes(out)


def _cid_fonts(pdf: bytes) -> set[bytes]:
    """The resource names (F2, ...) of the Type0 (CID) fonts: their strings are UTF-16."""
    names = set()
    for obj in pdf.split(b"endobj"):
        if b"/Type0" in obj or b"/DescendantFonts" in obj:
            name = re.search(rb"/Name\s*/(F\d+)", obj)
            if name:
                names.add(name.group(1))
    return names


_OPS = re.compile(rb"/(F\d+)\s+[\d.]+\s+Tf|\(((?:\\.|[^\\)])*)\)\s*Tj", re.DOTALL)


def pdf_text(pdf: bytes) -> str:
    """Every string the pages show, one a line, each read in the encoding of the font it is set in."""
    streams = []
    for body in _STREAM.findall(pdf):
        try:
            streams.append(zlib.decompress(base64.a85decode(body.strip(), adobe=True)))
        except (ValueError, binascii.Error, zlib.error):
            try:
                streams.append(zlib.decompress(body))
            except zlib.error:
                streams.append(body)  # not compressed: read as it stands
    cid, font, shown = _cid_fonts(pdf), b"", []
    for op in _OPS.finditer(b"\n".join(streams)):
        if op.group(1):
            font = op.group(1)
            continue
        raw = _unescaped(op.group(2))
        shown.append(raw.decode("utf-16-be", "replace") if font in cid else raw.decode("latin-1"))
    return "\n".join(shown)


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
