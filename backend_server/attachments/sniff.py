"""What a file is, judged by its first bytes only.

The client's declared type and the file name's extension are ignored: both are chosen by
whoever uploads, while the magic bytes decide how a viewer will actually parse the file.
"""

from __future__ import annotations

# Enough bytes to decide every supported type (HEIC's brand sits at offset 8..12).
SNIFF_BYTES = 12

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# ISO base media "ftyp" major brands of HEIF/HEIC files, with their registered media types.
_HEIF_BRANDS = {
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"hevc": "image/heic-sequence",
    b"mif1": "image/heif",
    b"msf1": "image/heif-sequence",
}

SUPPORTED_TYPES = (PDF, JPEG, PNG, *sorted(set(_HEIF_BRANDS.values())))


def sniff(head: bytes) -> str | None:
    """The media type of a file starting with ``head``, or None if it is not supported."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(_PNG_SIGNATURE):
        return PNG
    if len(head) >= SNIFF_BYTES and head[4:8] == b"ftyp":
        return _HEIF_BRANDS.get(head[8:12])
    return None
