"""README.md to safe HTML (PLG-6): markdown-it-py renders (CommonMark, raw HTML allowed
so that nh3 is the one gate), nh3 sanitises with a short list of tags and attributes.

- Links keep only http, https and mailto URLs and relative ones (nh3's url_schemes);
  `javascript:`, `data:`, `vbscript:` in any case or encoding lose their href.
- Images show only the document's own files: every `src` is rewritten to a placeholder
  naming the image's index (`doc-image:N`... see `IMAGE_PLACEHOLDER`), anything else
  drops the image's src. The placeholder is turned into the console's URL of the stored
  image when the page is shown (`display_html`), sanitised once more on the way.
- script, style, iframe, object, embed, svg, math, form... are removed with their content.

Before rendering, `image_references` lists every image the README shows (Markdown `![]()`
and HTML `<img src>`) with its line, so a network image is refused naming its line.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt

from miniport.core import policy
from miniport.core.errors import PlatformError
from miniport.plugins.docs.errors import DocError

TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl",
        "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol",
        "p", "pre", "s", "strong", "sub", "summary", "sup", "table", "tbody", "td", "th",
        "thead", "tr", "ul",
    }
)  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
    "code": {"class"},
}
CLEAN_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "svg", "math",
                           "noscript", "template", "textarea", "select", "frame", "frameset"})  # fmt: skip
URL_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_PLACEHOLDER = "doc-image/"
_PLACEHOLDER = re.compile(r"^doc-image/([0-9]{1,4})\Z")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]")
_HTML_IMG_SRC = re.compile(
    r"<img\b[^>]*?\bsrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.IGNORECASE
)


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")


@dataclass(frozen=True)
class ImageReference:
    line: int  # 1-based line of README.md
    src: str
    network: bool  # http(s):// or protocol-relative //
    local: bool  # a relative path (a file of doc/)


def classify(src: str) -> tuple[bool, bool]:
    """(network, local) of an image address as written."""
    bare = _CONTROL.sub("", html_lib.unescape(src))
    if bare.startswith("//"):
        return True, False
    match = _SCHEME.match(bare)
    if match:
        return match.group(1).lower() in ("http", "https"), False
    return False, bool(bare) and not bare.startswith("#") and not bare.startswith("?")


def _line_of(lines: list[str], span: list[int] | None, needle: str) -> int:
    if span is None:
        return 1
    start, end = span
    for number in range(start, max(end, start + 1)):
        if number < len(lines) and needle and needle in lines[number]:
            return number + 1
    return start + 1


def image_references(markdown: str) -> list[ImageReference]:
    """Every image of the README (Markdown and HTML), in order, with its line."""
    lines = markdown.split("\n")
    found: list[ImageReference] = []

    def add(span, src: str, written: str) -> None:
        network, local = classify(src)
        found.append(ImageReference(_line_of(lines, span, written), src, network, local))

    def html_images(span, text: str) -> None:
        if span is None:
            return
        for match in _HTML_IMG_SRC.finditer(text):
            written = next(g for g in match.groups() if g is not None)
            add(span, html_lib.unescape(written), written)

    for token in _markdown().parse(markdown):
        span = token.map
        if token.type == "html_block":
            html_images(span, token.content)
        if token.type != "inline" or not token.children:
            continue
        inline_text = token.content
        for child in token.children:
            if child.type == "image":
                src = str(child.attrGet("src") or "")
                add(span, src, _written_target(inline_text, src))
            elif child.type == "html_inline":
                html_images(span, child.content)
    # An image markdown-it did not take as one (its URL failed validation) still counts
    # when its text looks like one: refuse network images written that way too.
    return found


def _written_target(text: str, src: str) -> str:
    """The text of the image target to find its line (src is normalised by
    markdown-it, the source line has it as written)."""
    for match in re.finditer(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)", text):
        target = match.group(1)
        if html_lib.unescape(target) == src or target in src or src.endswith(target):
            return target
    return src


def _clean(html: str, image_src: Callable[[str], str | None]) -> str:
    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            return image_src(value)
        if tag == "code" and attribute == "class":
            return value if re.fullmatch(r"language-[A-Za-z0-9_+-]{1,30}", value) else None
        return value

    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(CLEAN_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=attribute_filter,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render(markdown: str, image_index: Callable[[str], int | None]) -> str:
    """The README as sanitised HTML, each image's src a placeholder of its stored index
    (`image_index(src) -> index | None`; None drops the src)."""
    raw = _markdown().render(markdown)
    # Sanitising costs time per element: a README of tens of thousands of nested tags
    # would hold a worker for seconds at upload and at every view.
    limit = policy.value("plugin.doc_max_html_tags")
    tags = raw.count("<")
    if tags > limit:
        raise PlatformError(DocError.README_TOO_COMPLEX, tags=tags, limit=limit)

    def image_src(value: str) -> str | None:
        index = image_index(value)
        return None if index is None else f"{IMAGE_PLACEHOLDER}{index}"

    return _clean(raw, image_src)


def display_html(stored: str, image_url: Callable[[int], str]) -> str:
    """The stored HTML as a page shows it: placeholders become the URLs of the stored
    images (`image_url(index)`), every other src is dropped; sanitised again."""

    def image_src(value: str) -> str | None:
        match = _PLACEHOLDER.match(value)
        return image_url(int(match.group(1))) if match else None

    return _clean(stored, image_src)
