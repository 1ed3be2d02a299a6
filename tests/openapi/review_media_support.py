"""Review material over the wire (wechat-api 4.13, `/wxa/uploadmedia`): mp4 files built
box by box, uploads through the API, and what the media storage holds."""

from __future__ import annotations

import io
import os
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def box(kind: bytes, payload: bytes = b"") -> bytes:
    return (8 + len(payload)).to_bytes(4, "big") + kind + payload


def mp4_bytes(
    *, brand: bytes = b"isom", handler: bytes = b"vide", pad: int = 0, mdat: bool = True
) -> bytes:
    """An mp4 of one track (ftyp, moov with mvhd and a trak whose mdia names its
    handler, mdat): what an encoder writes, without the samples' codec data."""
    ftyp = box(b"ftyp", brand + b"\0\0\2\0" + b"isomiso2avc1mp41")
    hdlr = box(b"hdlr", b"\0\0\0\0" + b"\0\0\0\0" + handler + bytes(12) + b"Handler\0")
    dinf = box(b"dinf", box(b"dref", b"\0\0\0\0\0\0\0\1" + box(b"url ", b"\0\0\0\1")))
    minf = box(b"minf", box(b"vmhd", b"\0\0\0\1" + bytes(8)) + dinf + box(b"stbl"))
    mdia = box(b"mdia", box(b"mdhd", bytes(24)) + hdlr + minf)
    moov = box(b"moov", box(b"mvhd", bytes(100)) + box(b"trak", box(b"tkhd", bytes(84)) + mdia))
    return ftyp + moov + (box(b"mdat", bytes(64 + pad)) if mdat else b"")


def image(fmt: str = "PNG", size: tuple[int, int] = (60, 120)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(out, format=fmt)
    return out.getvalue()


def uploadmedia(client, token: str, data: bytes, name: str = "clip.mp4", content_type="video/mp4"):
    return client.post(
        f"/wxa/uploadmedia?access_token={token}",
        {"media": SimpleUploadedFile(name, data, content_type=content_type)},
    ).json()


def temporary_upload(client, token: str, data: bytes) -> dict:
    return client.post(
        f"/cgi-bin/media/upload?access_token={token}&type=image",
        {"media": SimpleUploadedFile("shot.png", data, content_type="image/png")},
    ).json()


def stored_files() -> list[str]:
    """Every file under the media storage, relative to it."""
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return sorted(
        str((Path(folder) / name).relative_to(root))
        for folder, _dirs, names in os.walk(root)
        for name in names
    )
