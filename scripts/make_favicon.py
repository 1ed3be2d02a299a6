"""Draw miniport/static/favicon.ico (16, 32 and 48 px) from the same shape as favicon.svg:
a green rounded square with a white "M". Run once after changing the shape; the files are
committed."""

from pathlib import Path

from PIL import Image, ImageDraw

GREEN = (7, 193, 96, 255)
WHITE = (255, 255, 255, 255)
# The "M" of favicon.svg on its 32-unit grid.
M = [
    (7, 24),
    (7, 9),
    (10.2, 9),
    (16, 17),
    (21.8, 9),
    (25, 9),
    (25, 24),
    (21.6, 24),
    (21.6, 14.4),
    (16, 22),
    (10.4, 14.4),
    (10.4, 24),
]

SCALE = 8  # draw large, then shrink: smooth edges without an SVG renderer
size = 32 * SCALE
image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
draw = ImageDraw.Draw(image)
draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=7 * SCALE, fill=GREEN)
draw.polygon([(x * SCALE, y * SCALE) for x, y in M], fill=WHITE)
target = Path(__file__).resolve().parents[1] / "miniport" / "static" / "favicon.ico"
image.resize((48, 48), Image.LANCZOS).save(target, sizes=[(16, 16), (32, 32), (48, 48)])
print(target)
