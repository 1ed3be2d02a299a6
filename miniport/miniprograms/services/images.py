"""Image checks and re-encoding, judged by content, never by file name.

Uploads are read with a byte cap, opened lazily (Pillow parses only the header),
checked for format and dimensions BEFORE any pixel is decoded, so a small file that
declares an enormous canvas (a decompression bomb) is refused without being loaded.
Accepted images are re-encoded from their pixels alone: EXIF, text chunks, ICC
profiles and comments never reach storage.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext_noop
from PIL import Image, ImageOps, UnidentifiedImageError

from miniport.core.errors import CoreError, PlatformError, Translatable
from miniport.miniprograms.errors import MiniProgramError

# Pillow's own guard, kept well above anything the size checks below let through.
Image.MAX_IMAGE_PIXELS = 64_000_000

PNG = "PNG"
JPEG = "JPEG"
GIF = "GIF"
BMP = "BMP"


@dataclass(frozen=True)
class Inspected:
    data: bytes
    format: str
    width: int
    height: int


def read_capped(upload, max_bytes: int, *, field: str) -> bytes:
    """Read an upload (bytes or a file object) refusing anything over `max_bytes`."""
    if upload is None:
        raise PlatformError(CoreError.FIELD_REQUIRED, field=field)
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > max_bytes:
            raise PlatformError(
                MiniProgramError.IMAGE_INVALID, field=field, reason=_too_large(max_bytes)
            )
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PlatformError(
            MiniProgramError.IMAGE_INVALID, field=field, reason=_too_large(max_bytes)
        )
    if not data:
        raise PlatformError(
            MiniProgramError.IMAGE_INVALID,
            field=field,
            reason=Translatable(gettext_noop("the file is empty")),
        )
    return data


def _too_large(max_bytes: int) -> Translatable:
    return Translatable(gettext_noop("the file is larger than %(kb)s KB"), kb=max_bytes // 1024)


def inspect(
    data: bytes,
    *,
    formats: frozenset[str] | set[str],
    field: str,
    min_side: int = 1,
    max_side: int,
) -> Inspected:
    """Check format and dimensions from the header, then verify the file's structure."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                fmt, (width, height) = image.format, image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # A real image of too many pixels (a decompression bomb's mark): say its size is
        # the problem, not its format.
        raise PlatformError(
            MiniProgramError.IMAGE_INVALID,
            field=field,
            reason=Translatable(
                gettext_noop("the image may be at most %(max)s pixels on each side"), max=max_side
            ),
        )
    except UnidentifiedImageError:
        raise PlatformError(
            MiniProgramError.IMAGE_INVALID,
            field=field,
            reason=Translatable(gettext_noop("not a supported image")),
        )
    except (OSError, ValueError, SyntaxError):
        raise PlatformError(
            MiniProgramError.IMAGE_INVALID,
            field=field,
            reason=Translatable(gettext_noop("the image is damaged")),
        )
    if fmt is None or fmt not in formats:
        raise PlatformError(
            MiniProgramError.IMAGE_INVALID,
            field=field,
            reason=Translatable(
                gettext_noop("only %(formats)s images are accepted"),
                formats="/".join(sorted(formats)),
            ),
        )
    if max(width, height) > max_side:
        raise PlatformError(
            MiniProgramError.IMAGE_INVALID,
            field=field,
            reason=Translatable(
                gettext_noop("the image may be at most %(max)s pixels on each side"), max=max_side
            ),
        )
    if min(width, height) < min_side:
        raise PlatformError(
            MiniProgramError.IMAGE_INVALID,
            field=field,
            reason=Translatable(
                gettext_noop("the image must be at least %(min)s pixels on each side"), min=min_side
            ),
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except Exception:  # verify() raises a variety of errors for broken files
        raise PlatformError(
            MiniProgramError.IMAGE_INVALID,
            field=field,
            reason=Translatable(gettext_noop("the image is damaged")),
        )
    return Inspected(data=data, format=fmt, width=width, height=height)


def crop_box(
    width: int, height: int, box: tuple[float, float, float, float] | None
) -> tuple[int, int, int, int]:
    """The square to keep: the given fractional box (x1, y1, x2, y2), else the centre."""
    if box is not None:
        x1, y1, x2, y2 = box
        left, top = round(x1 * width), round(y1 * height)
        right, bottom = round(x2 * width), round(y2 * height)
    else:
        left, top, right, bottom = 0, 0, width, height
    side = min(right - left, bottom - top)
    cx, cy = (left + right) // 2, (top + bottom) // 2
    return cx - side // 2, cy - side // 2, cx - side // 2 + side, cy - side // 2 + side


def square_reencode(
    inspected: Inspected,
    *,
    side: int,
    field: str,
    box: tuple[float, float, float, float] | None = None,
) -> bytes:
    """A square of `side` pixels in the input's format, carrying pixels and nothing else."""
    upright = _upright(inspected, field)
    square = upright.crop(crop_box(upright.width, upright.height, box))
    fmt = JPEG if inspected.format == JPEG else PNG
    result = _pixels_only(square, fmt).resize((side, side), Image.Resampling.LANCZOS)
    result.info = {}  # metadata copied along by resize is dropped here
    return _save(result, fmt)


def _upright(inspected: Inspected, field: str) -> Image.Image:
    """The decoded first frame, turned the way its EXIF orientation says."""
    try:
        with Image.open(io.BytesIO(inspected.data)) as image:
            image.load()
            return ImageOps.exif_transpose(image)
    except Exception:
        raise PlatformError(
            MiniProgramError.IMAGE_INVALID,
            field=field,
            reason=Translatable(gettext_noop("the image is damaged")),
        )


def _pixels_only(image: Image.Image, fmt: str) -> Image.Image:
    """The pixels in a mode `fmt` stores, with no metadata attached."""
    if fmt in (JPEG, BMP):
        result = image.convert("RGB")
    else:
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        result = image.convert("RGBA" if has_alpha else "RGB")
    result.info = {}
    return result


def _save(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == JPEG:
        image.save(out, format=JPEG, quality=90, optimize=True)
    elif fmt == PNG:
        image.save(out, format=PNG, optimize=True)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def reencode(inspected: Inspected, *, field: str) -> bytes:
    """The same picture in the same format and size, carrying pixels and nothing else
    (no EXIF, text chunks, ICC profile or comment; a GIF keeps its first frame)."""
    return _save(_pixels_only(_upright(inspected, field), inspected.format), inspected.format)


def sniff(data: bytes) -> str | None:
    """The format of bytes this module already checked and wrote, or None."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.format
    except Exception:
        return None


def extension(fmt: str) -> str:
    return {PNG: "png", JPEG: "jpg", GIF: "gif", BMP: "bmp"}.get(fmt, "bin")
