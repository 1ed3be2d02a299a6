"""Mini program code and offline promotion material (INF-7), and the public face they
lead to.

The code is a real QR code of the launch URL that the super-app resolves (a phone
browser gets the mobile launch page); the offline material is a zip with the code in
print sizes, a printable poster and a search-box strip carrying the mini program's
name. Names and introductions are wrapped and, if need be, shrunk to stay on the
canvas. Avatars are public: the launch page and getaccountbasicinfo link to them.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
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


# Stored avatar names (avatar.avatar_change): avatars/<appid>-<token>.<ext>.
_AVATAR_FILE = re.compile(r"[A-Za-z0-9_-]{1,100}\.(png|jpg)")


def launch_url(miniprogram: MiniProgram) -> str:
    return f"{settings.SITE_URL}/m/launch/{miniprogram.appid}/"


def trial_url(miniprogram: MiniProgram) -> str:
    """The experience version's shareable phone page (VER-2: members and experience
    members only), which its QR code carries, in the console and from /wxa/get_qrcode."""
    return f"{settings.SITE_URL}/m/trial/{miniprogram.appid}/"


def launch_target(appid: str) -> MiniProgram | None:
    """The mini program a scanned code opens: an active one, else None."""
    if "\x00" in appid:  # PostgreSQL refuses NUL in text: no AppID holds one
        return None
    mp = MiniProgram.objects.select_related("subject__registration").filter(appid=appid).first()
    return mp if mp is not None and mp.is_active else None


def avatar_url(miniprogram: MiniProgram) -> str:
    """The public URL of the avatar, or "" without one."""
    name = miniprogram.avatar.name
    return default_storage.url(name) if name else ""


def public_avatar(filename: str) -> str | None:
    """The storage name behind a public avatar URL: only a file in the avatars folder
    that a mini program holds as its current avatar, else None."""
    if not _AVATAR_FILE.fullmatch(filename or ""):
        return None
    name = f"avatars/{filename}"
    if not MiniProgram.objects.filter(avatar=name).exists():
        return None
    return name if default_storage.exists(name) else None


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


@cache
def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    path = _font_path()
    if path:
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


@dataclass(frozen=True)
class TextLine:
    """One line of text as drawn: where, in which font size, in which colour."""

    text: str
    x: int
    y: int
    size: int
    fill: tuple[int, int, int]

    @property
    def font(self):
        return _font(self.size)


def _width(draw: ImageDraw.ImageDraw, text: str, font) -> int:
    left, _top, right, _bottom = draw.textbbox((0, 0), text, font=font)
    return int(right - left)


def _break(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    """Lines no wider than `width`: broken between words where there are spaces, and
    between characters elsewhere (Chinese has no spaces)."""
    lines: list[str] = []
    line = ""
    for word in re.findall(r"\S+\s*|\s+", text):
        if _width(draw, (line + word).rstrip(), font) <= width:
            line += word
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = ""
        for char in word:
            if line and _width(draw, (line + char).rstrip(), font) > width:
                lines.append(line.rstrip())
                line = char.lstrip()
            else:
                line += char
    if line.strip():
        lines.append(line.rstrip())
    return lines


def fit_text(
    draw: ImageDraw.ImageDraw,
    text: str,
    *,
    size: int,
    min_size: int,
    width: int,
    max_lines: int,
) -> tuple[int, list[str]]:
    """The largest font size from `size` down at which `text` takes at most
    `max_lines` lines of `width`; at `min_size` it takes as many lines as it needs."""
    for candidate in range(size, min_size - 1, -2):
        lines = _break(draw, text, _font(candidate), width)
        if len(lines) <= max_lines:
            return candidate, lines
    return min_size, _break(draw, text, _font(min_size), width)


def _text_block(
    draw: ImageDraw.ImageDraw,
    text: str,
    *,
    top: int,
    canvas_width: int,
    margin: int,
    size: int,
    min_size: int,
    max_lines: int,
    fill: tuple[int, int, int],
    centred: bool = True,
) -> tuple[list[TextLine], int]:
    """Lines of `text` fitted between the margins, and the y below the block."""
    if not text:
        return [], top
    width = canvas_width - 2 * margin
    size, lines = fit_text(
        draw, text, size=size, min_size=min_size, width=width, max_lines=max_lines
    )
    font, step = _font(size), round(size * 1.3)
    placed = []
    for n, line in enumerate(lines):
        x = (canvas_width - _width(draw, line, font)) // 2 if centred else margin
        placed.append(TextLine(line, x, top + n * step, size, fill))
    return placed, top + len(lines) * step


def _display_name(miniprogram: MiniProgram) -> str:
    return miniprogram.name or miniprogram.appid


POSTER_MARGIN = 80
CODE_ON_POSTER = 860


def poster_layout(
    miniprogram: MiniProgram, draw: ImageDraw.ImageDraw
) -> tuple[list[TextLine], int]:
    """The poster's text lines and the y of the code: the name (at most two lines)
    and the introduction (at most four), wrapped and shrunk to the poster's width,
    then the code, the scan hint and the AppID."""
    width, _height = POSTER_SIZE
    lines, y = _text_block(
        draw,
        _display_name(miniprogram),
        top=110,
        canvas_width=width,
        margin=POSTER_MARGIN,
        size=88,
        min_size=40,
        max_lines=2,
        fill=INK,
    )
    intro, y = _text_block(
        draw,
        miniprogram.introduction or "",
        top=y + 30,
        canvas_width=width,
        margin=POSTER_MARGIN,
        size=40,
        min_size=24,
        max_lines=4,
        fill=MUTED,
    )
    code_top = max(y + 40, 400)
    hint, y = _text_block(
        draw,
        _("Scan the code to open the mini program"),
        top=code_top + CODE_ON_POSTER + 40,
        canvas_width=width,
        margin=POSTER_MARGIN,
        size=44,
        min_size=24,
        max_lines=2,
        fill=INK,
    )
    appid, _y = _text_block(
        draw,
        f"AppID: {miniprogram.appid}",
        top=y + 20,
        canvas_width=width,
        margin=POSTER_MARGIN,
        size=32,
        min_size=20,
        max_lines=1,
        fill=MUTED,
    )
    return lines + intro + hint + appid, code_top


def _draw(draw: ImageDraw.ImageDraw, lines: list[TextLine]) -> None:
    for line in lines:
        draw.text((line.x, line.y), line.text, font=line.font, fill=line.fill)


def poster_png(miniprogram: MiniProgram) -> bytes:
    width, height = POSTER_SIZE
    poster = Image.new("RGB", POSTER_SIZE, "white")
    draw = ImageDraw.Draw(poster)
    draw.rectangle((0, 0, width, 24), fill=BRAND)
    lines, code_top = poster_layout(miniprogram, draw)
    code = _code_image(miniprogram, CODE_ON_POSTER).convert("RGB")
    poster.paste(code, ((width - code.width) // 2, code_top))
    _draw(draw, lines)
    draw.rectangle((0, height - 24, width, height), fill=BRAND)
    return _png(poster)


SEARCH_TEXT_LEFT = 180


def search_box_layout(miniprogram: MiniProgram, draw: ImageDraw.ImageDraw) -> list[TextLine]:
    """The name in the search box: one line, shrunk to fit inside the box."""
    width, height = SEARCH_BOX_SIZE
    right_margin = 60
    size, lines = fit_text(
        draw,
        _display_name(miniprogram),
        size=64,
        min_size=20,
        width=width - SEARCH_TEXT_LEFT - right_margin,
        max_lines=1,
    )
    step = round(size * 1.15)
    top = (height - step * len(lines)) // 2
    return [
        TextLine(line, SEARCH_TEXT_LEFT, top + n * step, size, INK) for n, line in enumerate(lines)
    ]


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
    _draw(draw, search_box_layout(miniprogram, draw))
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
