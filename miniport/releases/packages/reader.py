"""Reading one archive entry as it inflates, never trusting its headers.

`zipfile` reads the central directory; the data itself is read here, from the entry's local
header on: the raw bytes are fed to zlib in chunks with a bound on each call's output, so an
entry never holds more than one chunk in memory, and every inflated byte is counted against
the limits before the next chunk is asked for. A bomb with lying headers stops at the first
chunk that passes its declared size or a limit. The CRC, the compressed size and the
uncompressed size are all checked against what really came out."""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Callable
from typing import BinaryIO

from miniport.core.errors import PlatformError

from ..errors import ReleaseError
from .manifest import ALL_PACKAGES

# Raw bytes read at a time, and the most one zlib call may produce.
READ_CHUNK = 64 * 1024
INFLATE_CHUNK = 256 * 1024

_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_LOCAL_SIGNATURE = b"PK\x03\x04"


class Budget:
    """Uncompressed bytes of the whole archive so far, against its limit."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def spend(self, count: int) -> None:
        self.used += count
        if self.used > self.limit:
            raise PlatformError(
                ReleaseError.TOTAL_TOO_LARGE,
                entry=ALL_PACKAGES,
                size=f"> {self.limit}",
                limit=self.limit,
            )


def corrupt(entry: str, reason: str) -> PlatformError:
    return PlatformError(ReleaseError.PACKAGE_CORRUPT, entry=entry, reason=reason)


def data_start(fp: BinaryIO, info: zipfile.ZipInfo, name: str) -> tuple[int, int]:
    """Check the entry's local header against the central directory; answer where its data
    starts and where it ends."""
    fp.seek(info.header_offset)
    header = fp.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size:
        raise corrupt(name, "truncated local header")
    (
        signature,
        _version,
        flags,
        method,
        _time,
        _date,
        _crc,
        _csize,
        _usize,
        name_len,
        extra_len,
    ) = _LOCAL_HEADER.unpack(header)
    if signature != _LOCAL_SIGNATURE:
        raise corrupt(name, "bad local header signature")
    if flags & 0x1:
        raise PlatformError(ReleaseError.ENTRY_ENCRYPTED, entry=name)
    if method != info.compress_type:
        raise corrupt(name, "local and central headers disagree on the compression method")
    raw_name = fp.read(name_len)
    encoding = "utf-8" if flags & 0x800 else "cp437"
    try:
        local_name = raw_name.decode(encoding)
    except UnicodeDecodeError:
        raise corrupt(name, "local header name is not valid text") from None
    if local_name != info.orig_filename:
        raise corrupt(name, "local and central headers disagree on the name")
    start = info.header_offset + _LOCAL_HEADER.size + name_len + extra_len
    return start, start + info.compress_size


Sink = Callable[[bytes], None]


def inflate(
    fp: BinaryIO,
    info: zipfile.ZipInfo,
    name: str,
    start: int,
    *,
    max_entry: int,
    max_ratio: int,
    ratio_grace: int,
    budget: Budget,
    sink: Sink,
) -> int:
    """Inflate one entry, passing each chunk to `sink`; answer its real size.

    Refuses as soon as the bytes out pass the entry limit, the archive's budget, the entry's
    declared size or the compression ratio; then checks the CRC and both sizes."""
    fp.seek(start)
    remaining = info.compress_size
    declared = info.file_size
    deflated = info.compress_type == zipfile.ZIP_DEFLATED
    # Some writers mark an empty file deflated without any compressed bytes.
    empty = remaining == 0 and declared == 0
    decompressor = zlib.decompressobj(-zlib.MAX_WBITS) if deflated and not empty else None
    crc = 0
    size = 0
    pending = b""
    while True:
        if decompressor is not None and decompressor.unconsumed_tail:
            pending = decompressor.unconsumed_tail
        elif remaining > 0:
            pending = fp.read(min(READ_CHUNK, remaining))
            if not pending:
                raise corrupt(name, "the archive ends inside this entry")
            remaining -= len(pending)
        elif decompressor is not None and not decompressor.eof:
            raise corrupt(name, "the compressed data ends early")
        else:
            break
        if decompressor is None:
            out = pending
        else:
            try:
                out = decompressor.decompress(pending, INFLATE_CHUNK)
            except zlib.error:
                raise corrupt(name, "invalid deflate data") from None
        if out:
            size += len(out)
            if size > max_entry:
                raise PlatformError(ReleaseError.ENTRY_TOO_LARGE, entry=name, limit=max_entry)
            if size > declared:
                raise PlatformError(ReleaseError.ENTRY_SIZE_MISMATCH, entry=name, declared=declared)
            if size > ratio_grace and size > max_ratio * max(info.compress_size, 1):
                raise PlatformError(ReleaseError.ENTRY_RATIO_TOO_HIGH, entry=name, limit=max_ratio)
            budget.spend(len(out))
            crc = zlib.crc32(out, crc)
            sink(out)
        if decompressor is not None and decompressor.eof:
            if remaining or decompressor.unused_data or decompressor.unconsumed_tail:
                raise corrupt(name, "data after the end of the compressed stream")
            break
    if size != declared:
        raise PlatformError(ReleaseError.ENTRY_SIZE_MISMATCH, entry=name, declared=declared)
    if crc != info.CRC:
        raise corrupt(name, "bad CRC-32")
    return size
