"""INF-4 / INF-6 / INF-2: temporary media from /cgi-bin/media/upload is re-encoded from
its pixels, so camera and author metadata never reach storage (nor the reviewers who
see qualification documents); its largest side is its own policy row."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from miniport.miniprograms.services import media
from tests.miniprograms.profile_support import image_bytes, jpeg_with_exif, png_with_text
from tests.openapi.profile_support import personal_api_fixture  # noqa: F401


def stored(api, media_id) -> Image.Image:
    return Image.open(io.BytesIO(media.media_get(api.miniprogram, media_id).data))


def test_an_uploaded_jpeg_keeps_its_pixels_but_not_its_exif(personal_api):
    """EXIF (camera make, software) is gone; format and size stay."""
    assert Image.open(io.BytesIO(jpeg_with_exif((800, 600)))).getexif()
    image = stored(personal_api, personal_api.upload(jpeg_with_exif((800, 600))))
    assert (image.format, image.size) == ("JPEG", (800, 600))
    assert not image.getexif()
    assert "exif" not in image.info


def test_an_uploaded_png_loses_its_text_chunks(personal_api):
    image = stored(personal_api, personal_api.upload(png_with_text((300, 200))))
    assert (image.format, image.size) == ("PNG", (300, 200))
    assert not getattr(image, "text", {})
    assert "Author" not in image.info and "Comment" not in image.info


def test_an_uploaded_gif_loses_its_comment(personal_api):
    out = io.BytesIO()
    Image.new("P", (200, 200), 3).save(out, format="GIF", comment=b"private note")
    image = stored(personal_api, personal_api.upload(out.getvalue()))
    assert image.format == "GIF" and "comment" not in image.info


def test_the_largest_media_side_is_its_own_policy_row(personal_api, override):
    """Media follows media.image_max_side_pixels, not the avatar's row."""
    override("media.image_max_side_pixels", 500)
    assert personal_api.upload_raw(image_bytes("PNG", (600, 300)))["errcode"] == 40097
    assert "media_id" in personal_api.upload_raw(image_bytes("PNG", (500, 300)))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "BMP"])
def test_each_accepted_format_stays_in_its_format(personal_api, fmt):
    image = stored(personal_api, personal_api.upload(image_bytes(fmt, (320, 240))))
    assert (image.format, image.size) == (fmt, (320, 240))
