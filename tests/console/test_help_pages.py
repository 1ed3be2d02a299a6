"""Issue 10 item 6: the help section renders the Markdown documents kept in the
repository in the page's language, sanitised; the home checklist links to it."""

from __future__ import annotations

import re

import pytest

from miniport.console.views import help as help_views
from tests.console.conftest import en_client, two_step_login, zh_client

pytestmark = pytest.mark.django_db

GUIDES = ("getting-started", "api", "cli")


def test_the_help_index_lists_the_guides_and_the_agreements():
    html = en_client().get("/help/").content.decode()
    for slug in GUIDES:
        assert f'href="/help/{slug}/"' in html
    assert 'href="/agreements/service-agreement/"' in html
    assert 'href="/agreements/privacy-policy/"' in html


@pytest.mark.parametrize("slug", GUIDES)
def test_every_guide_renders_in_both_languages(slug):
    """Issue 10 item 6: Chinese on Chinese pages, English on English pages."""
    zh = zh_client().get(f"/help/{slug}/")
    en = en_client().get(f"/help/{slug}/")
    assert zh.status_code == en.status_code == 200
    zh_doc = zh.content.decode().split('data-testid="help-doc"')[1]
    en_doc = en.content.decode().split('data-testid="help-doc"')[1]
    assert "<h1>" in zh_doc and "<h1>" in en_doc
    assert re.search(r"[\u4e00-\u9fff]", zh_doc.split("</article>")[0])
    assert not re.search(r"[\u4e00-\u9fff]", en_doc.split("</article>")[0])


def test_the_guides_say_what_they_promise():
    started = en_client().get("/help/getting-started/").content.decode()
    for step in ("Register", "Activate", "administrator scans", "miniport upload", "Release"):
        assert step in started
    api = en_client().get("/help/api/").content.decode()
    for path in ("/cgi-bin/token", "/cgi-bin/stable_token", "/sns/jscode2session", "/wxa/"):
        assert path in api
    assert 'href="/openapi.json"' in api and "wechatpy" in api
    cli = en_client().get("/help/cli/").content.decode()
    for command in (
        "serve",
        "worker",
        "migrate",
        "demo",
        "identity",
        "app create",
        "upload",
        "review",
        "purge",
        "keys",
        "audit",
    ):
        assert f"miniport {command}" in cli


def test_an_unknown_document_is_a_404():
    assert en_client().get("/help/nothing-here/").status_code == 404
    assert en_client().get("/help/service-agreement/").status_code == 404  # an agreement
    assert en_client().get("/agreements/api/").status_code == 404


def test_markdown_is_sanitised():
    """Issue 10 item 6: a script tag, event handlers and javascript: links are stripped."""
    html = help_views.render_markdown(
        "# Title\n\n<script>alert(1)</script>\n\n"
        '<img src="x.png" onerror="alert(2)">\n\n'
        "[click](javascript:alert(3)) and **bold**\n"
    )
    assert "<h1>Title</h1>" in html and "<strong>bold</strong>" in html
    assert "<script" not in html and "alert(1)" not in html
    assert "onerror" not in html and 'href="javascript:' not in html


def test_a_document_with_a_script_renders_without_it(tmp_path, monkeypatch):
    """The page itself shows the sanitised document, in each language."""
    (tmp_path / "cli.en.md").write_text("# Tools\n\n<script>steal()</script>\n", encoding="utf-8")
    (tmp_path / "cli.zh.md").write_text("# 工具\n\n<script>steal()</script>\n", encoding="utf-8")
    monkeypatch.setattr(help_views, "HELP_DIR", tmp_path)
    help_views._rendered.cache_clear()
    try:
        en = en_client().get("/help/cli/").content.decode()
        zh = zh_client().get("/help/cli/").content.decode()
    finally:
        help_views._rendered.cache_clear()
    assert "<h1>Tools</h1>" in en and "<h1>工具</h1>" in zh
    assert "steal()" not in en and "steal()" not in zh


def test_the_home_checklist_links_the_tools_and_the_help(provision):
    """Issue 10 item 6: "developer tools" and "help documents" are links to real pages."""
    app = provision("personal")
    client = zh_client()
    two_step_login(client, app)
    client.post("/login/scan/complete/")
    html = client.get("/").content.decode()
    for key, href in (("dev_tools", "/help/cli/"), ("help", "/help/")):
        item = html.split(f'data-item="{key}"')[1].split("</li>")[0]
        assert f'<a href="{href}">' in item
        assert client.get(href).status_code == 200


def test_the_checklist_item_of_the_tools_says_what_the_help_page_offers(provision):
    """The help page offers the command line and upload keys, not a tool to download: the
    checklist item says so, under the help page's own title."""
    app = provision("personal")
    client = zh_client()
    two_step_login(client, app)
    client.post("/login/scan/complete/")
    html = client.get("/").content.decode()
    item = html.split('data-item="dev_tools"')[1].split("</li>")[0]
    assert "命令行与上传" in item and "miniport upload" in item and "代码上传密钥" in item
    assert "下载" not in item
