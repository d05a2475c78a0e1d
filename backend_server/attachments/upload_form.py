"""Reads a ``multipart/form-data`` upload as it streams in.

Starlette's form parser would first spool the whole file (to memory, then a temporary
file), so a size limit could only be checked afterwards. Here the file part goes straight
through the checks into the encrypted blob: the name is judged from the part's headers, the
type from its first bytes, and the upload is cut off the moment it passes the size limit.
Nothing but the bounded ``text`` field is held in memory.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from backend_server.attachments.filenames import decode_form_filename, sanitize_filename
from backend_server.attachments.sniff import SNIFF_BYTES, sniff
from backend_server.attachments.storage import BlobWriter
from backend_server.errors import ProblemError

MAX_TEXT = 10_000
# Room for the text field (UTF-8, up to 4 bytes a character), part headers and boundaries.
FORM_OVERHEAD = 4 * MAX_TEXT + 64 * 1024
_MAX_PARTS = 8
_MAX_HEADER_BYTES = 8 * 1024
# python-multipart's own option parser cuts "C:\\dir\\name" down to "name" (an old IE
# workaround) and unescapes backslashes; the name is taken here as sent, so a path in it is
# noticed and refused.
_FILENAME_PARAM = re.compile(rb'(?:^|;)\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))',
                             re.IGNORECASE)


def _filename_param(disposition: bytes) -> bytes | None:
    match = _FILENAME_PARAM.search(disposition)
    if match is None:
        return None
    # Quoted names are kept as sent, backslash escapes included: any backslash is refused
    # later as a path separator rather than silently unescaped into a different name.
    quoted, bare = match.group(1), match.group(2)
    return quoted if quoted is not None else bare.strip()


def too_large(limit: int) -> ProblemError:
    return ProblemError(413, "attachment_too_large",
                        f"The file is larger than the limit of {limit} bytes.",
                        max_bytes=limit)


def unsupported_type() -> ProblemError:
    return ProblemError(415, "unsupported_media_type",
                        "Only PDF, JPEG, PNG and HEIC files can be sent.")


def form_invalid(loc: str, msg: str) -> ProblemError:
    return ProblemError(422, "validation_error", "The request is not valid.",
                        errors=[{"loc": ["body", loc], "msg": msg}])


def check_declared_length(content_length: str | None, limit: int, *,
                          overhead: int = FORM_OVERHEAD,
                          error: Callable[[int], ProblemError] = too_large) -> None:
    """Refuses at once a body that announces it is too big, before reading any of it
    (``overhead``: what the form around the file may add; ``error``: the 413 to answer)."""
    if content_length is None:
        return
    try:
        declared = int(content_length)
    except ValueError:
        return  # the server in front answers malformed lengths itself
    if declared > limit + overhead:
        raise error(limit)


@dataclass
class StagedFile:
    """A file that passed every check and sits encrypted under a temporary name."""

    filename: str
    content_type: str
    writer: BlobWriter

    @property
    def size(self) -> int:
        return self.writer.size

    @property
    def sha256(self) -> str:
        return self.writer.sha256


@dataclass
class UploadForm:
    file: StagedFile
    text: str


@dataclass
class _Part:
    name: str = ""
    filename: bytes | None = None
    header_name: bytes = b""
    header_value: bytes = b""
    disposition: bytes = b""
    header_bytes: int = 0


@dataclass
class _Event:
    """What a synchronous parser callback saw, for the async loop to act on. One network
    read may hold several parts, so each event carries its own part's name."""

    kind: str  # "headers" | "data" | "end"
    name: str = ""
    filename: bytes | None = None
    data: bytes = b""


class FileSink:
    """Where the file part's bytes go once its name and type are known."""

    def __init__(self, limit: int, open_writer: Callable[[], BlobWriter]) -> None:
        self.limit = limit
        self._open_writer = open_writer
        self.filename: str | None = None
        self.content_type: str | None = None
        self.writer: BlobWriter | None = None
        self._head = bytearray()
        self.done = False

    def start(self, raw_filename: bytes) -> None:
        if self.filename is not None:
            raise form_invalid("file", "send exactly one file")
        self.filename = sanitize_filename(decode_form_filename(raw_filename))

    def data(self, chunk: bytes) -> None:
        if self.writer is None:
            self._head += chunk
            if len(self._head) < SNIFF_BYTES:
                return
            self._open()
        else:
            self._write(chunk)

    def end(self) -> None:
        if self.writer is None:
            self._open()  # a file shorter than the sniff window
        self.done = True

    def _open(self) -> None:
        content_type = sniff(bytes(self._head))
        if content_type is None:
            raise unsupported_type()
        self.content_type = content_type
        self.writer = self._open_writer()
        head, self._head = bytes(self._head), bytearray()
        self._write(head)

    def _write(self, chunk: bytes) -> None:
        assert self.writer is not None
        if self.writer.size + len(chunk) > self.limit:
            raise too_large(self.limit)
        self.writer.write(chunk)


async def read_upload_form(
    body: AsyncIterator[bytes], content_type: str | None, *, limit: int,
    open_writer: Callable[[], BlobWriter],
) -> UploadForm:
    """Parses the form; on any refusal nothing stays on disk (the caller owns the writer
    of a successful result and must publish or abort it)."""
    media_type, params = parse_options_header(content_type or "")
    boundary = params.get(b"boundary")
    if media_type != b"multipart/form-data" or not boundary:
        raise form_invalid("file", "send the file as multipart/form-data")

    sink = FileSink(limit, open_writer)
    events: list[_Event] = []
    part = _Part()
    parts = 0

    def on_part_begin() -> None:
        nonlocal part, parts
        parts += 1
        part = _Part()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        part.header_name += data[start:end]
        part.header_bytes += end - start

    def on_header_value(data: bytes, start: int, end: int) -> None:
        part.header_value += data[start:end]
        part.header_bytes += end - start

    def on_header_end() -> None:
        if part.header_name.lower() == b"content-disposition":
            part.disposition = part.header_value
        part.header_name, part.header_value = b"", b""

    def on_headers_finished() -> None:
        _, options = parse_options_header(part.disposition)
        part.name = options.get(b"name", b"").decode("latin-1")
        part.filename = _filename_param(part.disposition)
        events.append(_Event("headers", part.name, part.filename))

    def on_part_data(data: bytes, start: int, end: int) -> None:
        events.append(_Event("data", part.name, data=data[start:end]))

    def on_part_end() -> None:
        events.append(_Event("end", part.name))

    parser = MultipartParser(boundary, {
        "on_part_begin": on_part_begin, "on_part_data": on_part_data,
        "on_part_end": on_part_end, "on_header_field": on_header_field,
        "on_header_value": on_header_value, "on_header_end": on_header_end,
        "on_headers_finished": on_headers_finished,
    })
    text = bytearray()
    received = 0
    try:
        async for chunk in body:
            received += len(chunk)
            if received > limit + FORM_OVERHEAD:
                raise too_large(limit)
            try:
                parser.write(chunk)
            except MultipartParseError:
                raise form_invalid("file", "the multipart body is malformed") from None
            if parts > _MAX_PARTS or part.header_bytes > _MAX_HEADER_BYTES:
                raise form_invalid("file", "too many or too large form parts")
            for event in events:
                if event.name == "file":
                    if event.kind == "headers":
                        if event.filename is None:
                            raise form_invalid("file", "the file part has no file name")
                        sink.start(event.filename)
                    elif event.kind == "data":
                        sink.data(event.data)
                    else:
                        sink.end()
                elif event.name == "text" and event.kind == "data":
                    text += event.data
                    if len(text) > 4 * MAX_TEXT:
                        raise form_invalid("text", f"at most {MAX_TEXT} characters")
            events.clear()
        try:
            parser.finalize()
        except MultipartParseError:
            raise form_invalid("file", "the multipart body is malformed") from None
        if not sink.done or sink.writer is None or sink.filename is None \
                or sink.content_type is None:
            raise form_invalid("file", "field required")
        try:
            message_text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise form_invalid("text", "the text is not valid UTF-8") from None
        if len(message_text) > MAX_TEXT:
            raise form_invalid("text", f"at most {MAX_TEXT} characters")
        await sink.writer.finish()
    except BaseException:
        if sink.writer is not None:
            sink.writer.abort()
        raise
    return UploadForm(StagedFile(sink.filename, sink.content_type, sink.writer), message_text)
