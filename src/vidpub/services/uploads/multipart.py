"""A streaming `multipart/form-data` reader: file parts go straight to files on disk, once.

Starlette's own form parser spools every file to a temporary file (in memory up to 1 MB) that the
application must then copy again; for multi-gigabyte videos that is a second full read and write.
Here each expected file part is written where it will be used, through `StreamWriter`, and text
fields are kept in memory within tight limits.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePath

try:
    from python_multipart.multipart import MultipartParser, parse_options_header
except ImportError:  # python-multipart before 0.0.13 named its module `multipart`
    from multipart.multipart import MultipartParser, parse_options_header

from vidpub.errors import ProblemError, bad_request, invalid_param
from vidpub.services.uploads.writer import StreamWriter

MAX_FIELDS = 100
MAX_FIELD_BYTES = 64 * 1024
MAX_HEADER_BYTES = 8 * 1024


@dataclass
class ReceivedFile:
    field: str
    filename: str | None
    content_type: str | None
    path: Path
    size: int = 0


@dataclass
class ReceivedForm:
    fields: list[tuple[str, str]] = field(default_factory=list)
    files: dict[str, ReceivedFile] = field(default_factory=dict)

    def cleanup(self) -> None:
        for received in self.files.values():
            with contextlib.suppress(OSError):
                received.path.unlink()


@dataclass(frozen=True)
class FilePartRule:
    max_bytes: int
    too_large: Callable[[], ProblemError]


def boundary_of(content_type: str | None) -> bytes:
    kind, options = parse_options_header(content_type or "")
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary or len(boundary) > 200:
        raise bad_request("The request body should be multipart/form-data with a boundary")
    return boundary


def _safe_suffix(filename: str | None) -> str:
    suffix = PurePath((filename or "").replace("\\", "/")).suffix.lower()
    return suffix if suffix[1:].isalnum() and len(suffix) <= 10 else ""


class _Part:
    def __init__(self) -> None:
        self.headers: dict[bytes, bytes] = {}
        self.name: str = ""
        self.filename: str | None = None
        self.content_type: str | None = None
        self.value = bytearray()
        self.file: ReceivedFile | None = None
        self.writer: StreamWriter | None = None
        self.rule: FilePartRule | None = None
        self.discard = False


async def receive_form(stream: AsyncIterator[bytes], content_type: str | None, workdir: Path,
                       file_rules: dict[str, FilePartRule]) -> ReceivedForm:
    """Read the whole body. Files named in `file_rules` are written under `workdir` (keeping the
    client's extension, which helps probing); other file parts are dropped. On any error every file
    written is removed before the error propagates."""
    boundary = boundary_of(content_type)
    form = ReceivedForm()
    events: list[tuple] = []
    ended: list[bool] = []
    header_field = bytearray()
    header_value = bytearray()
    header_bytes = 0
    current: _Part | None = None

    def on_part_begin() -> None:
        nonlocal current, header_bytes
        current = _Part()
        header_bytes = 0

    def on_header_field(data: bytes, start: int, end: int) -> None:
        nonlocal header_bytes
        header_field.extend(data[start:end])
        header_bytes += end - start

    def on_header_value(data: bytes, start: int, end: int) -> None:
        nonlocal header_bytes
        header_value.extend(data[start:end])
        header_bytes += end - start

    def on_header_end() -> None:
        if header_bytes > MAX_HEADER_BYTES:
            raise bad_request("Multipart part headers are too large")
        current.headers[bytes(header_field).lower()] = bytes(header_value)
        header_field.clear()
        header_value.clear()

    def on_headers_finished() -> None:
        events.append(("begin", current))

    def on_part_data(data: bytes, start: int, end: int) -> None:
        events.append(("data", current, data[start:end]))

    def on_part_end() -> None:
        events.append(("end", current))

    def on_end() -> None:
        ended.append(True)

    parser = MultipartParser(boundary, {
        "on_part_begin": on_part_begin, "on_header_field": on_header_field, "on_header_value": on_header_value,
        "on_header_end": on_header_end, "on_headers_finished": on_headers_finished,
        "on_part_data": on_part_data, "on_part_end": on_part_end, "on_end": on_end,
    })

    async def handle(event: tuple) -> None:
        kind, part = event[0], event[1]
        if kind == "begin":
            await _begin(part, form, workdir, file_rules)
        elif kind == "data":
            await _data(part, event[2])
        else:
            await _end(part, form)

    open_parts: list[_Part] = []
    try:
        async for chunk in stream:
            if not chunk:
                continue
            try:
                parser.write(chunk)
            except ProblemError:
                raise
            except Exception as exc:  # python-multipart's parse errors
                raise bad_request(f"Malformed multipart body: {exc}") from None
            for event in events:
                if event[0] == "begin":
                    open_parts.append(event[1])
                await handle(event)
                if event[0] == "end" and event[1] in open_parts:
                    open_parts.remove(event[1])
            events.clear()
        try:
            parser.finalize()
        except Exception as exc:
            raise bad_request(f"Malformed multipart body: {exc}") from None
        if open_parts or not ended:
            raise bad_request("Incomplete multipart body")
    except BaseException:
        for part in open_parts:
            if part.writer is not None:
                with contextlib.suppress(Exception):
                    await part.writer.close()
                part.writer = None
            if part.file is not None:
                part.file.path.unlink(missing_ok=True)
        form.cleanup()
        raise
    return form


async def _begin(part: _Part, form: ReceivedForm, workdir: Path, rules: dict[str, FilePartRule]) -> None:
    _, options = parse_options_header(part.headers.get(b"content-disposition", b""))
    part.name = options.get(b"name", b"").decode("utf-8", "replace")
    raw_filename = options.get(b"filename")
    part.filename = raw_filename.decode("utf-8", "replace") if raw_filename is not None else None
    content_type = part.headers.get(b"content-type")
    part.content_type = content_type.decode("latin-1").strip() if content_type else None
    if part.filename is None:
        if len(form.fields) >= MAX_FIELDS:
            raise bad_request(f"Too many form fields (at most {MAX_FIELDS})")
        return
    rule = rules.get(part.name)
    if rule is None:
        part.discard = True
        return
    if part.name in form.files:
        raise invalid_param(part.name, part.filename, "Should have only one file")
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"{uuid.uuid4()}{_safe_suffix(part.filename)}"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    part.rule = rule
    part.file = ReceivedFile(part.name, part.filename, part.content_type, path)
    part.writer = StreamWriter(fd)


async def _data(part: _Part, data: bytes) -> None:
    if part.discard:
        return
    if part.writer is not None:
        if part.writer.written + len(data) > part.rule.max_bytes:
            raise part.rule.too_large()
        await part.writer.write(data)
        return
    if len(part.value) + len(data) > MAX_FIELD_BYTES:
        raise invalid_param(part.name, None, f"Should be at most {MAX_FIELD_BYTES} bytes")
    part.value.extend(data)


async def _end(part: _Part, form: ReceivedForm) -> None:
    if part.discard:
        return
    if part.writer is not None:
        writer, part.writer = part.writer, None
        try:
            await writer.flush()
        finally:
            await writer.close()
        part.file.size = writer.written
        form.files[part.name] = part.file
        return
    form.fields.append((part.name, part.value.decode("utf-8", "replace")))
