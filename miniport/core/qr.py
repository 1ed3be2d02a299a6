"""Real QR images (segno)."""

import io

import segno


def png_bytes(text: str, *, scale: int = 6, border: int = 2) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()


def svg_text(text: str, *, scale: int = 4) -> str:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=scale, xmldecl=False, svgns=True)
    return buffer.getvalue().decode()
