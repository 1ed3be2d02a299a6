"""INF-4: the avatar — PNG or JPEG judged by content, size and pixel caps, re-encoded
to a clean square without metadata, 5 changes a year."""

from __future__ import annotations

import io
import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from miniport.core import policy
from miniport.core.errors import PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.services import avatar
from tests.miniprograms.profile_support import (  # noqa: F401
    actor_of,
    fresh,
    image_bytes,
    jpeg_with_exif,
    personal_app_fixture,  # noqa: F401
    png_header_only,
    png_with_text,
    snapshot,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def upload(mp, data, name="avatar.png", box=None):
    file = SimpleUploadedFile(name, data, content_type="image/png")
    return avatar.avatar_change(actor=actor_of(mp), miniprogram=mp, upload=file, box=box)


def stored_files() -> list[str]:
    if not default_storage.exists("avatars"):
        return []
    return sorted(default_storage.listdir("avatars")[1])


def stored_avatar(mp) -> Image.Image:
    with default_storage.open(fresh(mp).avatar.name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
        return image


def refused(mp, data, name="avatar.png"):
    before = snapshot(mp)
    files = stored_files()
    with pytest.raises(PlatformError) as caught:
        upload(mp, data, name)
    assert caught.value.code == MiniProgramError.IMAGE_INVALID
    assert caught.value.field == "avatar"
    assert snapshot(mp) == before
    assert stored_files() == files
    return caught.value


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_png_and_jpeg_avatars_are_stored_as_squares_of_the_output_side(personal_app, fmt):
    """INF-4: accepted formats, re-encoded to a square of avatar.output_side_pixels."""
    upload(personal_app, image_bytes(fmt, (500, 300)), name="whatever.bin")
    image = stored_avatar(personal_app)
    side = policy.value("avatar.output_side_pixels")
    assert image.format == fmt
    assert image.size == (side, side)


def test_a_gif_renamed_to_png_is_refused(personal_app):
    """INF-4: the content decides, not the extension."""
    refused(personal_app, image_bytes("GIF", (300, 300)), name="looks-like.png")


def test_a_text_file_is_refused(personal_app):
    refused(personal_app, b"this is not an image at all\n" * 20, name="avatar.jpg")


def test_an_oversize_file_is_refused(personal_app, settings):
    """INF-4: avatar.max_bytes."""
    limit = policy.value("avatar.max_bytes")
    noisy = Image.frombytes("RGB", (1400, 1400), os.urandom(1400 * 1400 * 3))
    out = io.BytesIO()
    noisy.save(out, format="PNG", compress_level=0)
    data = out.getvalue()
    assert len(data) > limit
    error = refused(personal_app, data)
    assert "KB" in str(error)


def test_too_small_and_too_large_dimensions_are_refused(personal_app):
    """INF-4: pixel caps from policy."""
    refused(personal_app, image_bytes("PNG", (policy.value("avatar.min_side_pixels") - 1, 400)))
    big = policy.value("avatar.max_side_pixels") + 1
    refused(
        personal_app,
        image_bytes("PNG", (big, 10 + policy.value("avatar.min_side_pixels")), compress_level=9),
    )


def test_a_huge_canvas_is_refused_without_decoding_it(personal_app, monkeypatch):
    """INF-4: a decompression bomb is judged by its header and never loaded."""
    loads = []
    original = ImageFile.ImageFile.load

    def spy(self, *args, **kwargs):
        loads.append(self.size)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    error = refused(personal_app, png_header_only(100_000, 100_000))
    assert loads == []
    # Its size is said to be the problem, not its format.
    assert str(policy.value("avatar.max_side_pixels")) in error.message()


def test_exif_is_stripped_from_a_jpeg(personal_app):
    """INF-4: no metadata survives re-encoding."""
    data = jpeg_with_exif()
    assert Image.open(io.BytesIO(data)).getexif()
    upload(personal_app, data, name="photo.jpg")
    image = stored_avatar(personal_app)
    assert not image.getexif()
    assert "exif" not in image.info
    with default_storage.open(fresh(personal_app).avatar.name, "rb") as handle:
        assert b"SecretCam" not in handle.read()


def test_text_chunks_are_stripped_from_a_png(personal_app):
    upload(personal_app, png_with_text())
    image = stored_avatar(personal_app)
    assert "Author" not in image.info and "Comment" not in image.info
    with default_storage.open(fresh(personal_app).avatar.name, "rb") as handle:
        assert b"someone@example.com" not in handle.read()


def test_a_crop_box_keeps_the_chosen_part(personal_app):
    image = Image.new("RGB", (600, 300), (255, 0, 0))
    image.paste((0, 0, 255), (300, 0, 600, 300))
    out = io.BytesIO()
    image.save(out, format="PNG")
    upload(personal_app, out.getvalue(), box=(0.5, 0.0, 1.0, 1.0))
    assert stored_avatar(personal_app).convert("RGB").getpixel((10, 10)) == (0, 0, 255)


def test_five_avatar_changes_a_year(personal_app, django_capture_on_commit_callbacks):
    """INF-4: 5 changes a year; the sixth is refused and nothing is stored."""
    with time_machine.travel(datetime(2025, 7, 1, 9, tzinfo=SHANGHAI), tick=False):
        for n in range(5):
            with django_capture_on_commit_callbacks(execute=True):
                upload(personal_app, image_bytes("PNG", (300, 300), color=(n * 40, 0, 0)))
        assert len(stored_files()) == 1  # each replaced avatar is removed
        before = snapshot(personal_app)
        with pytest.raises(PlatformError) as caught:
            upload(personal_app, image_bytes("PNG", (300, 300)))
        assert caught.value.code == MiniProgramError.AVATAR_QUOTA
        assert snapshot(personal_app) == before
        assert len(stored_files()) == 1
