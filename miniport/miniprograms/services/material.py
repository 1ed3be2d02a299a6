"""Mini program code and offline promotion material (INF-7).

The code is a real QR code of the launch URL that the super-app resolves; the
offline material is a zip with the code in print sizes, a printable poster and a
search-box strip carrying the mini program's name.
"""

from __future__ import annotations

import io
import zipfile
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from miniport.core import qr
from miniport.miniprograms.models import MiniProgram

# Pixel sides of the code in the material pack (roughly 8, 12, 15, 30 and 50 cm prints).
CODE_SIDES = (258, 344, 430, 860, 1280)
DEFAULT_CODE_SIDE = 430
POSTER_SIZE = (1240, 1754)  # A4 at 150 dpi
SEARCH_BOX_SIZE = (1200, 200)
# Fonts able to draw Chinese names, looked for in the usual system places; without one
# the poster still carries the code and the AppID.
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
INK = (26, 26, 26)
MUTED = (120, 120, 120)
BRAND = (7, 193, 96)


def launch_url(miniprogram: MiniProgram) -> str:
    return f"{settings.SITE_URL}/m/launch/{miniprogram.appid}/"


def _code_image(miniprogram: MiniProgram, side: int) -> Image.Image:
    """The QR code scaled by whole modules and centred on a white square of `side`."""
    with Image.open(io.BytesIO(qr.png_bytes(launch_url(miniprogram), scale=1, border=2))) as raw:
        symbol = raw.convert("L")
    factor = max(1, side // symbol.width)
    scaled = symbol.resize(
        (symbol.width * factor, symbol.height * factor), Image.Resampling.NEAREST
    )
    canvas = Image.new("L", (max(side, scaled.width), max(side, scaled.height)), 255)
    canvas.paste(scaled, ((canvas.width - scaled.width) // 2, (canvas.height - scaled.height) // 2))
    return canvas


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def code_png(miniprogram: MiniProgram, side: int = DEFAULT_CODE_SIDE) -> bytes:
    return _png(_code_image(miniprogram, side))


@cache
def _font_path() -> str | None:
    return next((path for path in FONT_CANDIDATES if Path(path).is_file()), None)


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    path = _font_path()
    if path:
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def _centred(draw: ImageDraw.ImageDraw, y: int, text: str, font, fill, width: int) -> None:
    left, _top, right, _bottom = draw.textbbox((0, 0), text, font=font)
    draw.text(((width - (right - left)) // 2, y), text, font=font, fill=fill)


def _display_name(miniprogram: MiniProgram) -> str:
    return miniprogram.name or miniprogram.appid


def poster_png(miniprogram: MiniProgram) -> bytes:
    width, height = POSTER_SIZE
    poster = Image.new("RGB", POSTER_SIZE, "white")
    draw = ImageDraw.Draw(poster)
    draw.rectangle((0, 0, width, 24), fill=BRAND)
    _centred(draw, 150, _display_name(miniprogram), _font(88), INK, width)
    _centred(draw, 280, miniprogram.introduction or "", _font(40), MUTED, width)
    code = _code_image(miniprogram, 860).convert("RGB")
    poster.paste(code, ((width - code.width) // 2, 400))
    _centred(draw, 1320, _("Scan the code to open the mini program"), _font(44), INK, width)
    _centred(draw, 1400, f"AppID: {miniprogram.appid}", _font(32), MUTED, width)
    draw.rectangle((0, height - 24, width, height), fill=BRAND)
    return _png(poster)


def search_box_png(miniprogram: MiniProgram) -> bytes:
    width, height = SEARCH_BOX_SIZE
    strip = Image.new("RGB", SEARCH_BOX_SIZE, "white")
    draw = ImageDraw.Draw(strip)
    draw.rounded_rectangle(
        (10, 30, width - 10, height - 30), radius=70, outline=(200, 200, 200), width=4
    )
    # A magnifying glass: a ring and a handle.
    draw.ellipse((60, 65, 120, 125), outline=MUTED, width=8)
    draw.line((112, 118, 140, 146), fill=MUTED, width=10)
    draw.text((180, 62), _display_name(miniprogram), font=_font(64), fill=INK)
    return _png(strip)


def material_zip(miniprogram: MiniProgram) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for side in CODE_SIDES:
            archive.writestr(
                f"code/{miniprogram.appid}-code-{side}px.png", code_png(miniprogram, side)
            )
        archive.writestr("poster.png", poster_png(miniprogram))
        archive.writestr("search-box.png", search_box_png(miniprogram))
    return out.getvalue()


def material_filename(miniprogram: MiniProgram) -> str:
    return f"{miniprogram.appid}-offline-material.zip"
