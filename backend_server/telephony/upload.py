"""The generic recording upload (``POST /telephony/upload``) read as it streams in.

Like attachment uploads (``attachments.upload_form``), the file goes straight into an
encrypted blob: its type is judged from its first bytes (audio only, else 415), and the
upload is cut off the moment it passes the size limit (413). The small text fields
(``caller``, ``started_at``, ``external_id``) are held in memory, bounded.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from backend_server.attachments import upload_form
from backend_server.attachments.storage import BlobWriter
from backend_server.attachments.upload_form import form_invalid as invalid
from backend_server.errors import ProblemError

SNIFF_BYTES = 12
FIELDS = ("caller", "started_at", "external_id")
MAX_FIELD_BYTES = 200
_OVERHEAD = 16 * 1024
_MAX_PARTS = 8


def sniff_audio(head: bytes) -> str | None:
    """The audio type by magic bytes (what a decoder will really see), or None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    if head[:4] == b"OggS":
        return "audio/ogg"
    if head[:4] == b"fLaC":
        return "audio/flac"
    if head[:5] == b"#!AMR":
        return "audio/amr"
    if head[4:8] == b"ftyp" and head[8:11] in (b"M4A", b"mp4", b"iso", b"3gp"):
        return "audio/mp4"
    return None


def too_large(limit: int) -> ProblemError:
    return ProblemError(413, "recording_too_large",
                        f"The recording is larger than the limit of {limit} bytes.",
                        max_bytes=limit)


def not_audio() -> ProblemError:
    return ProblemError(415, "unsupported_media_type",
                        "Only audio recordings (WAV, MP3, OGG, FLAC, AMR, M4A) are accepted.")


def check_declared_length(content_length: str | None, limit: int) -> None:
    upload_form.check_declared_length(content_length, limit, overhead=_OVERHEAD,
                                      error=too_large)


@dataclass
class AudioUpload:
    writer: BlobWriter
    content_type: str
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class _Part:
    name: str = ""
    disposition: bytes = b""
    content_type: bytes = b""
    header_name: bytes = b""
    header_value: bytes = b""


async def read_audio_upload(body: AsyncIterator[bytes], content_type: str | None, *,
                            limit: int, open_writer: Callable[[], BlobWriter]) -> AudioUpload:
    """Parses the form; on any refusal nothing stays on disk (the caller owns the writer
    of a successful result and must publish or abort it)."""
    media_type, params = parse_options_header(content_type or "")
    boundary = params.get(b"boundary")
    if media_type != b"multipart/form-data" or not boundary:
        raise invalid("file", "send the recording as multipart/form-data")
    events: list[tuple[str, str, bytes]] = []  # (kind, part name, data)
    part = _Part()
    parts = 0

    def on_part_begin() -> None:
        nonlocal part, parts
        parts += 1
        part = _Part()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        part.header_name += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        part.header_value += data[start:end]

    def on_header_end() -> None:
        name = part.header_name.lower()
        if name == b"content-disposition":
            part.disposition = part.header_value
        elif name == b"content-type":
            part.content_type = part.header_value
        part.header_name, part.header_value = b"", b""

    def on_headers_finished() -> None:
        _, options = parse_options_header(part.disposition)
        part.name = options.get(b"name", b"").decode("latin-1")
        events.append(("headers", part.name, part.content_type))

    def on_part_data(data: bytes, start: int, end: int) -> None:
        events.append(("data", part.name, data[start:end]))

    def on_part_end() -> None:
        events.append(("end", part.name, b""))

    parser = MultipartParser(boundary, {
        "on_part_begin": on_part_begin, "on_part_data": on_part_data,
        "on_part_end": on_part_end, "on_header_field": on_header_field,
        "on_header_value": on_header_value, "on_header_end": on_header_end,
        "on_headers_finished": on_headers_finished,
    })
    values: dict[str, bytearray] = {}
    head = bytearray()
    writer: BlobWriter | None = None
    audio_type: str | None = None
    file_seen = file_done = False
    received = 0

    def open_file() -> None:
        nonlocal writer, audio_type
        audio_type = sniff_audio(bytes(head))
        if audio_type is None:
            raise not_audio()
        writer = open_writer()
        write(bytes(head))

    def write(chunk: bytes) -> None:
        assert writer is not None
        if writer.size + len(chunk) > limit:
            raise too_large(limit)
        writer.write(chunk)

    try:
        async for chunk in body:
            received += len(chunk)
            if received > limit + _OVERHEAD:
                raise too_large(limit)
            try:
                parser.write(chunk)
            except MultipartParseError:
                raise invalid("file", "the multipart body is malformed") from None
            if parts > _MAX_PARTS:
                raise invalid("file", "too many form parts")
            for kind, name, data in events:
                if name == "file":
                    if kind == "headers":
                        if file_seen:
                            raise invalid("file", "send exactly one file")
                        file_seen = True
                        declared = data.split(b";")[0].strip().lower()
                        if declared and not (declared.startswith(b"audio/")
                                             or declared == b"application/octet-stream"):
                            raise not_audio()
                    elif kind == "data":
                        if writer is None:
                            head.extend(data)
                            if len(head) >= SNIFF_BYTES:
                                open_file()
                        else:
                            write(data)
                    else:
                        if writer is None:
                            open_file()
                        file_done = True
                elif name in FIELDS and kind == "data":
                    buf = values.setdefault(name, bytearray())
                    buf += data
                    if len(buf) > MAX_FIELD_BYTES:
                        raise invalid(name, f"at most {MAX_FIELD_BYTES} bytes")
            events.clear()
        try:
            parser.finalize()
        except MultipartParseError:
            raise invalid("file", "the multipart body is malformed") from None
        if not file_done or writer is None or audio_type is None:
            raise invalid("file", "field required")
        try:
            fields = {k: v.decode("utf-8").strip() for k, v in values.items()}
        except UnicodeDecodeError:
            raise invalid("caller", "not valid UTF-8") from None
        await writer.finish()
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    return AudioUpload(writer, audio_type, fields)
