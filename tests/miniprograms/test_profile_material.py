"""INF-7: the mini program code and the offline promotion material."""

from __future__ import annotations

import io
import zipfile

import zxingcpp
from django.conf import settings
from PIL import Image

from miniport.miniprograms.services import material
from tests.miniprograms.profile_support import personal_app_fixture  # noqa: F401


def decode(png: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert results, "no QR code found"
    return results[0].text


def test_the_code_is_a_real_qr_code_of_the_launch_url(personal_app):
    """INF-7: scanning the code opens the mini program."""
    png = material.code_png(personal_app, 430)
    assert Image.open(io.BytesIO(png)).size == (430, 430)
    assert decode(png) == f"{settings.SITE_URL}/m/launch/{personal_app.appid}/"


def test_the_offline_material_holds_codes_in_several_sizes_and_a_poster(personal_app):
    """INF-7: a zip with the code in print sizes, a poster and a search box."""
    archive = zipfile.ZipFile(io.BytesIO(material.material_zip(personal_app)))
    names = archive.namelist()
    codes = [n for n in names if n.startswith("code/")]
    assert len(codes) == len(material.CODE_SIDES) >= 3
    for name, side in zip(
        sorted(codes, key=lambda n: int(n.rsplit("-", 1)[1][:-6])),
        sorted(material.CODE_SIDES),
        strict=True,
    ):
        image = Image.open(io.BytesIO(archive.read(name)))
        assert image.format == "PNG" and image.size == (side, side)
    poster = archive.read("poster.png")
    assert Image.open(io.BytesIO(poster)).size == material.POSTER_SIZE
    assert decode(poster) == material.launch_url(personal_app)
    assert Image.open(io.BytesIO(archive.read("search-box.png"))).format == "PNG"
