"""INF-7: the offline material's poster and search box wrap and shrink the longest
name and introduction the policy allows so every drawn line stays on the canvas and
no text is lost."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from miniport.core import policy
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.services import material
from tests.miniprograms.profile_support import personal_app_fixture  # noqa: F401


@pytest.fixture
def long_texts(personal_app):
    name = ("风" * 18 + " Long Names!")[: policy.value("name.max_length")]
    intro = ("这是一段很长的介绍，用来检查海报能否换行。Wrapping works for words too. " * 6)[
        : policy.value("introduction.max_length")
    ]
    assert (len(name), len(intro)) == (30, 120)
    MiniProgram.objects.filter(pk=personal_app.pk).update(name=name, introduction=intro)
    personal_app.refresh_from_db()
    return personal_app


def inside(draw, lines, size):
    width, height = size
    for line in lines:
        left, top, right, bottom = draw.textbbox((line.x, line.y), line.text, font=line.font)
        assert left >= 0 and right <= width, (line.text, left, right)
        assert top >= 0 and bottom <= height, (line.text, top, bottom)


def squeezed(text: str) -> str:
    return "".join(text.split())


def test_a_long_name_and_introduction_stay_inside_the_poster(long_texts):
    """INF-7: 30-character name, 120-character introduction."""
    draw = ImageDraw.Draw(Image.new("RGB", material.POSTER_SIZE))
    lines, code_top = material.poster_layout(long_texts, draw)
    inside(draw, lines, material.POSTER_SIZE)
    texts = [line.text for line in lines]
    name_lines = [line for line in lines if line.fill == material.INK][:-1]
    assert 1 < len(name_lines) <= 2
    assert squeezed("".join(t for t in texts)).startswith(squeezed(long_texts.name))
    assert squeezed(long_texts.introduction) in squeezed("".join(texts))
    # The code sits below the text and above the hint, on the poster.
    text_bottom = max(
        draw.textbbox((line.x, line.y), line.text, font=line.font)[3]
        for line in lines
        if line.y < code_top
    )
    assert text_bottom < code_top
    assert code_top + material.CODE_ON_POSTER < material.POSTER_SIZE[1]


def test_the_poster_with_long_texts_still_carries_a_readable_code(long_texts):
    png = material.poster_png(long_texts)
    assert Image.open(io.BytesIO(png)).size == material.POSTER_SIZE
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert results and results[0].text == material.launch_url(long_texts)


def test_a_long_name_stays_inside_the_search_box(long_texts):
    """INF-7: shrunk to one line inside the box."""
    draw = ImageDraw.Draw(Image.new("RGB", material.SEARCH_BOX_SIZE))
    lines = material.search_box_layout(long_texts, draw)
    assert [line.text for line in lines] == [long_texts.name]
    width, _height = material.SEARCH_BOX_SIZE
    inside(draw, lines, (width - 30, material.SEARCH_BOX_SIZE[1] - 30))


def test_a_short_name_keeps_the_full_title_size(personal_app):
    draw = ImageDraw.Draw(Image.new("RGB", material.POSTER_SIZE))
    lines, _code_top = material.poster_layout(personal_app, draw)
    assert lines[0].text == personal_app.name and lines[0].size == 88
