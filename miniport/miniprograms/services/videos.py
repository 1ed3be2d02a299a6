"""Video checks for review material (wechat-api 4.13: `/wxa/uploadmedia` takes mp4
videos), judged by content, never by file name or declared type.

An mp4 is an ISO base media file: a run of boxes (a 4-byte big-endian size and a
4-byte type; size 1 means a 64-bit size follows the type, size 0 runs to the end of
the file) that tiles the file exactly. A file is taken as an mp4 video when its boxes
tile it, the first is an `ftyp` whose major brand is one of the mp4 family, a `moov`
box holds at least one track whose handler is `vide`, and an `mdat` box carries the
media data. Nothing is decoded: the file is stored as sent.
"""

from __future__ import annotations

from miniport.core.errors import PlatformError
from miniport.miniprograms.errors import MiniProgramError

MP4 = "MP4"
EXTENSION = "mp4"

# Major brands of the mp4 family (ISO/IEC 14496-12 and -14, and the brands phones and
# encoders write into .mp4 files). QuickTime (`qt  `), 3GPP (`3gp*`) and audio-only
# (`M4A `) files are not mp4 videos.
MP4_BRANDS = frozenset(
    {
        b"isom",
        b"iso2",
        b"iso3",
        b"iso4",
        b"iso5",
        b"iso6",
        b"iso7",
        b"iso8",
        b"iso9",
        b"mp41",
        b"mp42",
        b"mp71",
        b"avc1",
        b"dash",
        b"mmp4",
        b"MSNV",
        b"M4V ",
        b"M4VH",
        b"M4VP",
    }
)

_BoxList = list[tuple[bytes, int, int]]


def claims_iso_bmff(head: bytes) -> bool:
    """Whether bytes open the way an ISO base media file does (an `ftyp` box first):
    what the uploader meant to be a video, whether or not it is a valid one."""
    return len(head) >= 8 and head[4:8] == b"ftyp"


def _boxes(data: bytes, start: int, end: int) -> _BoxList | None:
    """(type, payload start, box end) of the boxes tiling data[start:end], or None
    when they do not tile it exactly."""
    found: _BoxList = []
    pos = start
    while pos < end:
        if end - pos < 8:
            return None
        size = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        header = 8
        if size == 1:
            if end - pos < 16:
                return None
            size = int.from_bytes(data[pos + 8 : pos + 16], "big")
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            return None
        found.append((kind, pos + header, pos + size))
        pos += size
    return found


def _children(data: bytes, boxes: _BoxList, kind: bytes) -> list[_BoxList]:
    """The child boxes of every box of `kind` among `boxes` (those that tile)."""
    out = []
    for found, start, end in boxes:
        if found == kind:
            inner = _boxes(data, start, end)
            if inner is not None:
                out.append(inner)
    return out


def _has_video_track(data: bytes, moov: _BoxList) -> bool:
    for trak in _children(data, moov, b"trak"):
        for mdia in _children(data, trak, b"mdia"):
            for kind, start, end in mdia:
                # hdlr: version and flags (4), pre_defined (4), handler_type (4).
                if (
                    kind == b"hdlr"
                    and end - start >= 12
                    and data[start + 8 : start + 12] == b"vide"
                ):
                    return True
    return False


def sniff(data: bytes) -> str | None:
    """MP4 when `data` is an mp4 video as described above, else None."""
    if not claims_iso_bmff(data):
        return None
    top = _boxes(data, 0, len(data))
    if not top or top[0][0] != b"ftyp":
        return None
    _kind, start, end = top[0]
    if end - start < 8 or data[start : start + 4] not in MP4_BRANDS:
        return None
    kinds = {kind for kind, _start, _end in top}
    if b"mdat" not in kinds:
        return None
    moovs = _children(data, top, b"moov")
    if len(moovs) != 1 or not _has_video_track(data, moovs[0]):
        return None
    return MP4


def inspect(data: bytes, *, field: str) -> str:
    """The format of an mp4 video, or MEDIA_TYPE_INVALID naming `field`."""
    fmt = sniff(data)
    if fmt is None:
        raise PlatformError(MiniProgramError.MEDIA_TYPE_INVALID, field=field)
    return fmt
