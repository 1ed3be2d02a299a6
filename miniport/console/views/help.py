"""The help section and the agreements: Markdown documents kept in the repository
(`console/help/<slug>.<zh|en>.md`), in the page's language, rendered with markdown-it-py
and sanitised with nh3. Public pages: people read them before they have an account.
Templates in `templates/console/help/`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import nh3
from django.http import Http404
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from markdown_it import MarkdownIt

HELP_DIR = Path(__file__).resolve().parent.parent / "help"


@dataclass(frozen=True)
class Document:
    slug: str
    title: str | Promise


GUIDES = (
    Document("getting-started", _("Getting started")),
    Document("api", _("Server API")),
    Document("cli", _("Command line and upload")),
)
AGREEMENTS = (
    Document("service-agreement", _("Platform Service Agreement")),
    Document("privacy-policy", _("Privacy Policy")),
)

_MARKDOWN = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")


def render_markdown(text: str) -> str:
    """Markdown to HTML that is safe to show: whatever raw HTML the text carries goes
    through nh3's allow-list (scripts, styles, event handlers and javascript: links go)."""
    return nh3.clean(_MARKDOWN.render(text))


def _language() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh"


@lru_cache(maxsize=64)
def _rendered(path: Path) -> str:
    return render_markdown(path.read_text(encoding="utf-8"))


def document_html(slug: str) -> str:
    """The rendered document in the active language (Chinese when no English exists)."""
    for language in (_language(), "zh"):
        path = HELP_DIR / f"{slug}.{language}.md"
        if path.is_file():
            return _rendered(path)
    raise Http404(slug)


def _page(request, documents: tuple[Document, ...], slug: str, template: str):
    document = next((d for d in documents if d.slug == slug), None)
    if document is None:
        raise Http404(slug)
    context = {
        "document": document,
        "guides": GUIDES,
        "agreements": AGREEMENTS,
        "body": mark_safe(document_html(slug)),  # sanitised by nh3 in render_markdown
    }
    return render(request, template, context)


@require_GET
def help_index(request):
    """The help section: the guides, then the agreements."""
    return render(request, "console/help/index.html", {"guides": GUIDES, "agreements": AGREEMENTS})


@require_GET
def help_page(request, slug: str):
    return _page(request, GUIDES, slug, "console/help/page.html")


@require_GET
def agreement_page(request, slug: str):
    return _page(request, AGREEMENTS, slug, "console/help/page.html")
