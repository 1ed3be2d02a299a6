"""PLG-6 in the plugin's console, Documentation tab: upload of the doc/ folder (refusals
on the field, nothing stored), the preview of the draft, publishing as its own step, the
history and each of its documents, the images served typed and `nosniff`, the console's
Content-Security-Policy on the page; who may do what; the pages in one language."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from miniport.plugins.docs import selectors
from miniport.plugins.docs.services import plugin_doc_publish, plugin_doc_upload
from miniport.plugins.models import PluginDoc
from tests.console.plugin_support import console_of
from tests.i18n.test_one_language_per_page import offending
from tests.plugins import makers
from tests.plugins.docs.docmakers import png, readme_zip

pytestmark = pytest.mark.django_db
make_owner, make_plugin = makers.make_owner, makers.make_plugin
PAGE = "console:plugin_docs"


def zip_upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("doc.zip", data, content_type="application/zip")


def _doc_zip(title: str = "Guide") -> bytes:
    return readme_zip(f"# {title}\n\n![shot](shot.png)\n", {"shot.png": png()})


def test_plg6_a_developer_uploads_previews_and_the_admin_publishes(make_plugin):
    owner = make_plugin()
    developer = console_of(owner, "developer")
    response = developer.post(reverse("console:plugin_doc_upload"), {"doc": zip_upload(_doc_zip())})
    assert response.status_code == 302 and response["Location"] == reverse(
        "console:plugin_doc_preview"
    )
    preview = developer.get(reverse("console:plugin_doc_preview"))
    html = preview.content.decode()
    assert "<h1>Guide</h1>" in html
    doc = PluginDoc.objects.get()
    image_url = reverse("console:plugin_doc_image", kwargs={"pk": doc.pk, "index": 0})
    assert f'src="{image_url}"' in html
    assert 'data-testid="doc-publish"' not in html  # the developer may not publish
    assert "script-src 'self'" in preview["Content-Security-Policy"]
    assert developer.post(reverse("console:plugin_doc_publish", args=[doc.pk])).status_code == 403

    admin = console_of(owner)
    assert (
        'data-testid="doc-publish"'
        in admin.get(reverse("console:plugin_doc_preview")).content.decode()
    )
    assert admin.post(reverse("console:plugin_doc_publish", args=[doc.pk])).status_code == 302
    page = admin.get(reverse(PAGE)).content.decode()
    assert 'data-testid="published-doc"' in page and "<h1>Guide</h1>" in page
    assert f'data-doc="{doc.pk}"' in page
    assert admin.get(reverse("console:plugin_doc_preview")).status_code == 404


def test_plg6_the_history_lists_each_published_document_viewable(make_plugin):
    owner = make_plugin()
    first = plugin_doc_upload(
        actor=owner.developer_actor, plugin=owner.plugin, upload=_doc_zip("One")
    )
    plugin_doc_publish(actor=owner.admin_actor, doc=first)
    second = plugin_doc_upload(
        actor=owner.developer_actor, plugin=owner.plugin, upload=_doc_zip("Two")
    )
    plugin_doc_publish(actor=owner.admin_actor, doc=second)
    client = console_of(owner, "operator")
    page = client.get(reverse(PAGE)).content.decode()
    assert page.index(f'data-doc="{second.pk}"') < page.index(f'data-doc="{first.pk}"')
    old = client.get(reverse("console:plugin_doc", args=[first.pk])).content.decode()
    assert "<h1>One</h1>" in old and owner.admin_actor.label in old


def test_plg6_a_network_image_is_refused_on_the_field_naming_its_line(make_plugin):
    owner = make_plugin()
    client = console_of(owner, "developer")
    data = readme_zip("# T\n\n![x](https://cdn.example.com/a.png)\n")
    response = client.post(reverse("console:plugin_doc_upload"), {"doc": zip_upload(data)})
    assert response.status_code == 400
    assert "Line 3" in response.content.decode()
    assert not PluginDoc.objects.exists()


def test_plg6_images_are_served_typed_and_nosniff(make_plugin):
    owner = make_plugin()
    doc = plugin_doc_upload(actor=owner.developer_actor, plugin=owner.plugin, upload=_doc_zip())
    client = console_of(owner, "operator")
    response = client.get(reverse("console:plugin_doc_image", kwargs={"pk": doc.pk, "index": 0}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    missing = reverse("console:plugin_doc_image", kwargs={"pk": doc.pk, "index": 5})
    assert client.get(missing).status_code == 404


def test_plg6_an_operator_may_not_upload(make_plugin):
    owner = make_plugin()
    client = console_of(owner, "operator")
    assert 'data-testid="doc-upload-form"' not in client.get(reverse(PAGE)).content.decode()
    response = client.post(reverse("console:plugin_doc_upload"), {"doc": zip_upload(_doc_zip())})
    assert response.status_code == 403
    assert not PluginDoc.objects.exists()


def test_plg6_another_plugins_document_is_404(make_plugin):
    owner, other = make_plugin(), make_plugin()
    doc = plugin_doc_upload(actor=other.developer_actor, plugin=other.plugin, upload=_doc_zip())
    client = console_of(owner)
    assert client.get(reverse("console:plugin_doc", args=[doc.pk])).status_code == 404
    image = reverse("console:plugin_doc_image", kwargs={"pk": doc.pk, "index": 0})
    assert client.get(image).status_code == 404
    assert client.post(reverse("console:plugin_doc_publish", args=[doc.pk])).status_code == 404
    assert selectors.published_doc(other.plugin) is None


def test_plg6_without_a_plugin_the_pages_are_404(make_owner):
    owner = make_owner()
    client = console_of(owner)
    assert client.get(reverse(PAGE)).status_code == 404


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_plg6_the_documentation_pages_speak_one_language(make_plugin, language):
    owner = make_plugin()
    published = plugin_doc_upload(
        actor=owner.developer_actor, plugin=owner.plugin, upload=_doc_zip("指南")
    )
    plugin_doc_publish(actor=owner.admin_actor, doc=published)
    plugin_doc_upload(actor=owner.developer_actor, plugin=owner.plugin, upload=_doc_zip("草稿"))
    client = console_of(owner, language=language)
    mp = owner.miniprogram
    values = {
        owner.plugin.name,
        owner.plugin.appid,
        mp.name,
        mp.subject.name,
        mp.admin_identity.real_name,
        owner.admin_actor.label,
        owner.developer_actor.label,
        "Guide",
        "shot",
        "指南",
        "草稿",
    }
    problems = []
    for url in (
        reverse(PAGE),
        reverse("console:plugin_doc_preview"),
        reverse("console:plugin_doc", args=[published.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        problems.extend(
            f"{url}: {p}" for p in offending(response.content.decode(), language, values)
        )
    refused = client.post(
        reverse("console:plugin_doc_upload"),
        {"doc": zip_upload(readme_zip("![x](//cdn.example.com/a.png)"))},
    )
    problems.extend(offending(refused.content.decode(), language, values))
    assert problems == [], "\n".join(problems)
