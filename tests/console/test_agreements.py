"""Issue 10 item 6: the agreements the registration form asks to accept are pages, in
both languages, linked from the form."""

from __future__ import annotations

import re

import pytest

from tests.console.conftest import en_client, zh_client

pytestmark = pytest.mark.django_db

AGREEMENTS = {
    "service-agreement": ("平台服务协议", "Platform Service Agreement"),
    "privacy-policy": ("隐私政策", "Privacy Policy"),
}


@pytest.mark.parametrize("slug", AGREEMENTS)
def test_each_agreement_is_a_page_in_both_languages(slug):
    zh_title, en_title = AGREEMENTS[slug]
    zh = zh_client().get(f"/agreements/{slug}/")
    en = en_client().get(f"/agreements/{slug}/")
    assert zh.status_code == en.status_code == 200
    assert f"<h1>{zh_title}</h1>" in zh.content.decode()
    en_doc = en.content.decode().split('data-testid="help-doc"')[1].split("</article>")[0]
    assert f"<h1>{en_title}</h1>" in en_doc
    assert not re.search(r"[\u4e00-\u9fff]", en_doc)


@pytest.mark.parametrize("client_of", [zh_client, en_client])
def test_the_registration_form_links_both_agreements(client_of):
    html = client_of().get("/register/").content.decode()
    agree = html.split('class="field agree-field"')[1].split("</div>")[0]
    assert 'name="agree"' in agree
    for slug in AGREEMENTS:
        assert f'href="/agreements/{slug}/"' in agree
        assert client_of().get(f"/agreements/{slug}/").status_code == 200
    assert 'target="_blank"' in agree  # the filled-in form stays where it is
