"""Zips for the package tests, honest and hostile, built in memory.

`package()` writes a valid mini program with `zipfile`; `raw_zip()` writes every header
byte by hand, so a test can lie in any field the way a hostile client would."""

from __future__ import annotations

import io
import json
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from miniport.core.policy import RULES_BY_KEY
from miniport.releases.packages import PackageLimits

MIB = 1024 * 1024
APPID = "wx0123456789abcdef"


def default_limits(**changes: int) -> PackageLimits:
    """The policy table's defaults, without a database; `changes` as for a PolicyOverride."""
    values = {
        field: RULES_BY_KEY[f"package.{field}"].default
        for field in PackageLimits.__dataclass_fields__
    }
    values.update(changes)
    return PackageLimits(**values)


def noise(size: int, seed: int = 0) -> bytes:
    """Incompressible, deterministic bytes."""
    return random.Random(seed).randbytes(size)


def page_files(page: str, script: str = "Page({})\n") -> dict[str, bytes]:
    return {
        f"{page}.js": script.encode(),
        f"{page}.wxml": b"<view>hello</view>\n",
        f"{page}.wxss": b"view { color: red; }\n",
        f"{page}.json": b"{}\n",
    }


def app_files(
    pages: tuple[str, ...] = ("pages/index/index", "pages/logs/logs"),
    subpackages: tuple[tuple[str, tuple[str, ...]], ...] = (),
    **config: Any,
) -> dict[str, bytes]:
    """A valid mini program: app.json, app.js, every page's four files."""
    app: dict[str, Any] = {"pages": list(pages)}
    if subpackages:
        app["subPackages"] = [{"root": root, "pages": list(subs)} for root, subs in subpackages]
    app.update(config)
    files = {
        "app.json": json.dumps(app).encode(),
        "app.js": b"App({})\n",
        "app.wxss": b"page { margin: 0; }\n",
    }
    for page in pages:
        files.update(page_files(page))
    for root, subs in subpackages:
        for page in subs:
            files.update(page_files(f"{root}/{page}"))
    return files


def make_zip(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = method
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def package(**kwargs: Any) -> bytes:
    return make_zip(app_files(**kwargs))


def with_files(extra: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED, **kwargs: Any) -> bytes:
    files = app_files(**kwargs)
    files.update(extra)
    return make_zip(files, method)


def deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


@lru_cache(maxsize=4)
def deflated_zeros(size: int) -> tuple[bytes, int]:
    """`size` zero bytes deflated, streamed so the zeros are never held at once; and CRC."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    chunk = bytes(MIB)
    parts, crc, left = [], 0, size
    while left:
        piece = chunk[: min(MIB, left)]
        parts.append(compressor.compress(piece))
        crc = zlib.crc32(piece, crc)
        left -= len(piece)
    parts.append(compressor.flush())
    return b"".join(parts), crc


@dataclass
class Raw:
    """One entry of a hand-written zip. Unset fields are computed honestly from `data`."""

    name: str | bytes
    data: bytes = b""
    method: int = zipfile.ZIP_DEFLATED
    payload: bytes | None = None  # the bytes after the local header, when not `data` compressed
    crc: int | None = None
    file_size: int | None = None  # declared in both headers
    compress_size: int | None = None
    local_file_size: int | None = None  # declared in the local header only
    flags: int = 0x800  # names in UTF-8
    external_attr: int = 0o100644 << 16
    create_system: int = 3  # unix
    local_name: bytes | None = None
    local_method: int | None = None
    header_offset: int | None = None  # where the central directory says the entry starts


_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")


def raw_zip(
    entries: list[Raw], *, prefix: bytes = b"", central_entries: int | None = None
) -> bytes:
    out = bytearray(prefix)
    central = bytearray()
    for entry in entries:
        name = entry.name.encode() if isinstance(entry.name, str) else entry.name
        if entry.payload is not None:
            payload = entry.payload
        elif entry.method == zipfile.ZIP_DEFLATED:
            payload = deflate(entry.data)
        else:
            payload = entry.data
        crc = entry.crc if entry.crc is not None else zlib.crc32(entry.data)
        usize = entry.file_size if entry.file_size is not None else len(entry.data)
        csize = entry.compress_size if entry.compress_size is not None else len(payload)
        local_usize = entry.local_file_size if entry.local_file_size is not None else usize
        local_name = entry.local_name if entry.local_name is not None else name
        local_method = entry.local_method if entry.local_method is not None else entry.method
        offset = len(out)
        out += _LOCAL.pack(
            b"PK\x03\x04",
            20,
            0,
            entry.flags,
            local_method,
            0,
            0x21,
            crc,
            csize,
            local_usize,
            len(local_name),
            0,
        )
        out += local_name + payload
        central += _CENTRAL.pack(
            b"PK\x01\x02",
            20,
            entry.create_system,
            20,
            0,
            entry.flags,
            entry.method,
            0,
            0x21,
            crc,
            csize,
            usize,
            len(name),
            0,
            0,
            0,
            0,
            entry.external_attr,
            entry.header_offset if entry.header_offset is not None else offset,
        )
        central += name
    count = len(entries) if central_entries is None else central_entries
    end = _END.pack(b"PK\x05\x06", 0, 0, count, count, len(central), len(out), 0)
    return bytes(out + central + end)


def raw_package(*hostile: Raw, **kwargs: Any) -> bytes:
    """A valid package written by hand, followed by hostile entries."""
    honest = [Raw(name, data) for name, data in app_files(**kwargs).items()]
    return raw_zip(honest + list(hostile))
