"""PLG-6: the plugin's documentation: upload of the doc/ folder (README.md and local
images only), rendered and sanitised, previewed as a draft, published as its own step,
kept in a history."""

from __future__ import annotations

import io
import os
import re
import zipfile

import pytest

from miniport.core.errors import PlatformError
from miniport.plugins.docs import selectors
from miniport.plugins.docs.errors import DocError
from miniport.plugins.docs.render import display_html
from miniport.plugins.docs.services import (
    plugin_doc_publish,
    plugin_doc_upload,
    plugin_doc_upload_folder,
)
from miniport.plugins.models import PluginDoc
from miniport.releases.errors import ReleaseError
from tests.plugins.docs.docmakers import XSS_CORPUS, doc_zip, png, readme_zip, set_policy
from tests.releases.zips import Raw, deflated_zeros, raw_zip

pytestmark = pytest.mark.django_db


def _refused(code, owner, data) -> PlatformError:
    before = PluginDoc.objects.count()
    with pytest.raises(PlatformError) as caught:
        plugin_doc_upload(actor=owner.developer_actor, plugin=owner.plugin, upload=data)
    assert caught.value.code == code, caught.value.message()
    assert PluginDoc.objects.count() == before
    return caught.value


def test_plg6_an_upload_is_a_draft_rendered_with_its_own_images(make_plugin):
    owner = make_plugin()
    data = readme_zip("# Hello\n\nSee ![pic](images/pic.png)\n", {"images/pic.png": png()})
    doc = plugin_doc_upload(actor=owner.developer_actor, plugin=owner.plugin, upload=data)
    assert doc.published_at is None
    assert "<h1>Hello</h1>" in doc.html
    assert [item["name"] for item in doc.images] == ["images/pic.png"]
    assert selectors.latest_draft(owner.plugin) == doc
    assert selectors.published_doc(owner.plugin) is None
    shown = display_html(doc.html, lambda index: f"/img/{index}")
    assert '<img src="/img/0" alt="pic">' in shown
    image = selectors.doc_image(doc, 0)
    assert image is not None and image[1] == "PNG"


def test_plg6_the_folder_may_be_zipped_without_its_doc_prefix(make_plugin):
    owner = make_plugin()
    data = readme_zip("plain", prefix="")
    doc = plugin_doc_upload(actor=owner.developer_actor, plugin=owner.plugin, upload=data)
    assert "plain" in doc.html


def test_plg6_a_folder_on_disk_is_uploaded_alike(make_plugin, tmp_path):
    owner = make_plugin()
    (tmp_path / "README.md").write_text("![a](a.png)\n", encoding="utf-8")
    (tmp_path / "a.png").write_bytes(png())
    doc = plugin_doc_upload_folder(actor=owner.developer_actor, plugin=owner.plugin, path=tmp_path)
    assert doc.images[0]["name"] == "a.png"


def test_plg6_a_symbolic_link_in_a_folder_on_disk_is_refused(make_plugin, tmp_path):
    owner = make_plugin()
    (tmp_path / "README.md").write_text("x", encoding="utf-8")
    os.symlink("/etc/passwd", tmp_path / "a.png")
    with pytest.raises(PlatformError) as caught:
        plugin_doc_upload_folder(actor=owner.developer_actor, plugin=owner.plugin, path=tmp_path)
    assert caught.value.code == ReleaseError.ENTRY_SYMLINK
    assert not PluginDoc.objects.exists()


def test_plg6_publishing_is_its_own_step_and_builds_the_history(make_plugin):
    owner = make_plugin()
    first = plugin_doc_upload(
        actor=owner.developer_actor, plugin=owner.plugin, upload=readme_zip("one")
    )
    plugin_doc_publish(actor=owner.admin_actor, doc=first)
    second = plugin_doc_upload(
        actor=owner.developer_actor, plugin=owner.plugin, upload=readme_zip("two")
    )
    assert selectors.published_doc(owner.plugin) == first
    plugin_doc_publish(actor=owner.admin_actor, doc=second)
    assert selectors.published_doc(owner.plugin) == second
    assert selectors.history(owner.plugin) == [second, first]
    second.refresh_from_db()
    assert second.published_by == owner.admin_actor.label


def test_plg6_a_published_document_is_not_published_twice(make_plugin):
    owner = make_plugin()
    doc = plugin_doc_upload(
        actor=owner.developer_actor, plugin=owner.plugin, upload=readme_zip("x")
    )
    published = plugin_doc_publish(actor=owner.admin_actor, doc=doc)
    with pytest.raises(PlatformError) as caught:
        plugin_doc_publish(actor=owner.admin_actor, doc=doc)
    assert caught.value.code == DocError.ALREADY_PUBLISHED
    doc.refresh_from_db()
    assert doc.published_at == published.published_at


@pytest.mark.parametrize(
    ("markdown", "line"),
    [
        ("# t\n\n![x](https://cdn.example.com/a.png)\n", 3),
        ("# t\n\ntext\n![x](http://cdn.example.com/a.png)\n", 4),
        ("a\nb\nc\n![x](//cdn.example.com/a.png)\n", 4),
        ('# t\n\n<img src="https://cdn.example.com/a.png">\n', 3),
        ("# t\n\n<p>\nhi <IMG SRC='HTTPS://cdn.example.com/a.png'>\n</p>\n", 4),
        ('x\n\n<img src="&#104;ttps://cdn.example.com/a.png">\n', 3),
    ],
)
def test_plg6_a_network_image_is_refused_naming_its_line(make_plugin, markdown, line):
    owner = make_plugin()
    error = _refused(DocError.NETWORK_IMAGE, owner, readme_zip(markdown))
    assert error.params["line"] == line
    assert f"line {line}" in error.message("en")
    assert f"第 {line} 行" in error.message("zh-hans")


def test_plg6_an_image_not_in_the_folder_is_refused_naming_its_line(make_plugin):
    owner = make_plugin()
    error = _refused(DocError.IMAGE_MISSING, owner, readme_zip("a\n\n![x](missing.png)\n"))
    assert error.params["line"] == 3
    assert "missing.png" in error.message("en")


def test_plg6_an_image_address_leaving_the_folder_is_refused(make_plugin):
    owner = make_plugin()
    _refused(DocError.IMAGE_MISSING, owner, readme_zip("![x](../../etc/a.png)\n"))


def test_plg6_a_data_image_is_refused(make_plugin):
    owner = make_plugin()
    _refused(DocError.IMAGE_NOT_LOCAL, owner, readme_zip('<img src="data:image/png;base64,AA">'))


def test_plg6_a_file_other_than_readme_and_images_is_refused_naming_it(make_plugin):
    owner = make_plugin()
    data = doc_zip({"doc/README.md": b"x", "doc/run.js": b"alert(1)"})
    error = _refused(DocError.FILE_NOT_ALLOWED, owner, data)
    assert "doc/run.js" in error.message("en")


def test_plg6_an_svg_is_not_an_image_of_the_folder(make_plugin):
    owner = make_plugin()
    data = doc_zip({"doc/README.md": b"x", "doc/a.svg": b"<svg onload=alert(1)></svg>"})
    _refused(DocError.FILE_NOT_ALLOWED, owner, data)


def test_plg6_a_readme_is_required(make_plugin):
    owner = make_plugin()
    _refused(DocError.README_MISSING, owner, doc_zip({"doc/a.png": png()}))


def test_plg6_a_readme_that_is_not_utf8_is_refused(make_plugin):
    owner = make_plugin()
    _refused(DocError.README_NOT_UTF8, owner, doc_zip({"README.md": "中文".encode("gbk")}))


def test_plg6_a_readme_over_its_limit_is_refused(make_plugin):
    owner = make_plugin()
    set_policy("plugin.doc_readme_max_bytes", 100)
    _refused(DocError.README_TOO_LARGE, owner, readme_zip("x" * 101))


def test_plg6_a_readme_of_thousands_of_nested_tags_is_refused_before_sanitising(make_plugin):
    owner = make_plugin()
    set_policy("plugin.doc_max_html_tags", 1000)
    refusal = _refused(DocError.README_TOO_COMPLEX, owner, readme_zip("<div>" * 1500))
    assert "1500" in refusal.message()


def test_plg6_a_readme_within_the_tag_limit_renders(make_plugin):
    owner = make_plugin()
    set_policy("plugin.doc_max_html_tags", 12)
    _refused(DocError.README_TOO_COMPLEX, owner, readme_zip("*a* " * 7))
    set_policy("plugin.doc_max_html_tags", 20000)
    doc = plugin_doc_upload(
        actor=owner.developer_actor, plugin=owner.plugin, upload=readme_zip("*a* " * 7)
    )
    assert doc.html.count("<em>") == 7


def test_plg6_an_image_that_is_not_one_is_refused_naming_it(make_plugin):
    owner = make_plugin()
    data = doc_zip({"README.md": b"x", "fake.png": b"<script>alert(1)</script>"})
    error = _refused(DocError.IMAGE_INVALID, owner, data)
    assert "fake.png" in error.message("en")


def test_plg6_too_many_images_are_refused(make_plugin):
    owner = make_plugin()
    set_policy("plugin.doc_max_images", 2)
    images = {f"{n}.png": png() for n in range(3)}
    _refused(DocError.TOO_MANY_IMAGES, owner, readme_zip("x", images))


def test_plg6_an_image_is_reencoded_from_its_pixels(make_plugin):
    owner = make_plugin()
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(out, format="PNG", pnginfo=info)
    doc = plugin_doc_upload(
        actor=owner.developer_actor,
        plugin=owner.plugin,
        upload=readme_zip("![a](a.png)", {"a.png": out.getvalue()}),
    )
    data, fmt = selectors.doc_image(doc, 0)
    assert fmt == "PNG" and b"<script>" not in data


def test_plg6_path_traversal_in_the_zip_is_refused(make_plugin):
    owner = make_plugin()
    data = raw_zip([Raw("README.md", b"x"), Raw("../evil.png", png())])
    _refused(ReleaseError.ENTRY_NAME_PARENT, owner, data)


def test_plg6_a_symbolic_link_in_the_zip_is_refused(make_plugin):
    owner = make_plugin()
    data = doc_zip({"README.md": b"x"}, symlinks={"a.png": "/etc/passwd"})
    _refused(ReleaseError.ENTRY_SYMLINK, owner, data)


def test_plg6_a_zip_bomb_is_refused(make_plugin):
    owner = make_plugin()
    payload, crc = deflated_zeros(64 * 1024 * 1024)
    data = raw_zip(
        [
            Raw("README.md", b"x"),
            Raw("a.png", payload=payload, crc=crc, file_size=1000),
        ]
    )
    error = _refused(ReleaseError.ENTRY_SIZE_MISMATCH, owner, data)
    assert error.params["entry"] == "a.png"


def test_plg6_a_zip_bomb_declaring_its_size_is_refused(make_plugin):
    owner = make_plugin()
    payload, crc = deflated_zeros(64 * 1024 * 1024)
    data = raw_zip(
        [Raw("README.md", b"x"), Raw("a.png", payload=payload, crc=crc, file_size=64 * 1024 * 1024)]
    )
    _refused(DocError.IMAGE_TOO_LARGE, owner, data)


def test_plg6_what_is_not_a_zip_is_refused_as_documentation_not_a_code_package(make_plugin):
    owner = make_plugin()
    error = _refused(DocError.NOT_A_ZIP, owner, b"not a zip at all")
    assert error.message("zh-hans").startswith("文档压缩包不是有效的 zip 文件")
    assert "code package" not in error.message("en")


_EXECUTABLE = (
    re.compile(r"<\s*script", re.I),
    re.compile(r"\son[a-z]+\s*=", re.I),
    re.compile(
        r"(href|src|action|data|xlink:href|formaction)\s*=\s*\"?\s*(javascript|data|vbscript):",
        re.I,
    ),
    re.compile(r"<\s*(svg|iframe|object|embed|style|math|form|meta|base|link|body)\b", re.I),
    re.compile(r"expression\s*\(", re.I),
    re.compile(r"\sstyle\s*=", re.I),
)


@pytest.mark.parametrize("markdown", XSS_CORPUS)
def test_plg6_nothing_executable_survives_the_markdown_xss_corpus(make_plugin, markdown):
    owner = make_plugin()
    data = readme_zip(f"# Title\n\n{markdown}\n\ntext\n", {"picture.png": png()})
    doc = plugin_doc_upload(actor=owner.developer_actor, plugin=owner.plugin, upload=data)
    for html in (doc.html, display_html(doc.html, lambda index: f"/img/{index}")):
        for pattern in _EXECUTABLE:
            assert not pattern.search(html), (pattern.pattern, html)
        for url in re.findall(r"(?:href|src)=\"([^\"]*)\"", html):
            assert url.startswith(("http://", "https://", "mailto:", "/img/", "doc-image/")) or (
                ":" not in url.split("/")[0]
            ), html


def test_plg6_links_keep_http_https_mailto_and_relative_addresses(make_plugin):
    owner = make_plugin()
    markdown = (
        "[a](https://example.com) [b](mailto:a@example.com) [c](guide.html) [d](http://x.org)"
    )
    doc = plugin_doc_upload(
        actor=owner.developer_actor, plugin=owner.plugin, upload=readme_zip(markdown)
    )
    for href in ("https://example.com", "mailto:a@example.com", "guide.html", "http://x.org"):
        assert f'href="{href}"' in doc.html
    assert 'rel="noopener noreferrer nofollow"' in doc.html


def test_plg6_an_empty_zip_names_the_missing_readme(make_plugin):
    owner = make_plugin()
    out = io.BytesIO()
    zipfile.ZipFile(out, "w").close()
    _refused(DocError.README_MISSING, owner, out.getvalue())
