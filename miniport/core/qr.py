"""Real QR images (segno)."""

import io

import segno


def png_bytes(text: str, *, scale: int = 6, border: int = 2) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()


def jpeg_bytes(text: str, *, scale: int = 6, border: int = 2) -> bytes:
    """The QR code as a JPEG (what WeChat's get_qrcode answers): segno draws it, Pillow
    encodes it. Black and white modules at scale 6 read back after JPEG's losses."""
    from PIL import Image

    buffer = io.BytesIO()
    with Image.open(io.BytesIO(png_bytes(text, scale=scale, border=border))) as drawn:
        drawn.convert("L").save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


# Raised when the text is more than the largest QR code holds.
TooLong = segno.DataOverflowError


def sized_bytes(
    text: str,
    *,
    width: int,
    dark: tuple[int, int, int] = (0, 0, 0),
    transparent: bool = False,
    border: int = 2,
) -> bytes:
    """The QR code about `width` pixels wide: scaled by whole modules to the nearest
    width, drawn in `dark` on white as a JPEG, or on a transparent background as a PNG
    (`transparent`), the two forms WeChat's mini program code APIs answer."""
    from PIL import Image

    symbol = segno.make(text, error="m")
    side = symbol.symbol_size(scale=1, border=border)[0]
    scale = max(1, round(width / side))
    drawn = io.BytesIO()
    symbol.save(
        drawn,
        kind="png",
        scale=scale,
        border=border,
        dark=dark,
        light=None if transparent else (255, 255, 255),
    )
    if transparent:
        return drawn.getvalue()
    buffer = io.BytesIO()
    with Image.open(io.BytesIO(drawn.getvalue())) as image:
        image.convert("RGB").save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def svg_text(text: str, *, scale: int = 4) -> str:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=scale, xmldecl=False, svgns=True)
    return buffer.getvalue().decode()
