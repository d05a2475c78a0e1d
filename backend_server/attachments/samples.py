"""Small, valid sample files made in code for the demo practice (no binary files in git)."""

from __future__ import annotations

import struct
import zlib


def _pdf_text(line: str) -> bytes:
    raw = line.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") \
        + b")"


def lab_report_pdf(patient_name: str, lines: list[str]) -> bytes:
    """A one-page A4 PDF (PDF 1.4, Helvetica) with a title and lines of text."""
    body = [b"BT /F1 18 Tf 56 780 Td " + _pdf_text("Laborbefund") + b" Tj ET",
            b"BT /F1 11 Tf 56 756 Td " + _pdf_text(f"Patientin/Patient: {patient_name}")
            + b" Tj ET",
            b"BT /F1 11 Tf 15 TL 56 720 Td"]
    body += [_pdf_text(line) + b" Tj T*" for line in lines]
    body.append(b"ET")
    content = b"\n".join(body)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content
        + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def rash_photo_png(width: int = 160, height: int = 120) -> bytes:
    """An RGB PNG: skin tone with a patch of reddish spots (stands in for a phone photo)."""
    spots = [(48, 40, 9), (70, 52, 7), (58, 70, 11), (90, 45, 6), (84, 74, 8),
             (104, 62, 10), (40, 66, 6), (118, 84, 7), (66, 90, 6)]
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            shade = (x + y) // 16
            r, g, b = 233 - shade, 190 - shade, 160 - shade
            for cx, cy, radius in spots:
                d2 = (x - cx) ** 2 + (y - cy) ** 2
                if d2 <= radius * radius:
                    fade = d2 / (radius * radius)
                    r, g, b = (int(200 + 25 * fade), int(70 + 100 * fade),
                               int(70 + 80 * fade))
                    break
            rows += bytes((r, g, b))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + _png_chunk(b"IEND", b""))
