"""VER-2: the experience version in the console's version management: one development
version chosen as the trial version, with a QR code (a real PNG) that opens the
shareable phone page."""

from __future__ import annotations

import io

import zxingcpp
from django.conf import settings
from django.test import Client
from django.urls import reverse
from PIL import Image

from miniport.releases.models import Experience
from tests.console.test_versions_development import console_of
from tests.releases.version_support import (  # noqa: F401 - the `app` fixture
    add_member,
    app_fixture,
    make_app,
    snapshot,
    upload,
)


def set_experience(client: Client, version):
    url = reverse("console:versions_experience_set", kwargs={"pk": version.pk})
    return client.post(url)


def decoded(png: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert results, "no QR code found"
    return results[0].text


def test_a_developer_sets_a_development_version_as_the_experience_version(app):
    """VER-2: the chosen version is the experience version, marked on the page."""
    older = upload(app, "1.0.0")
    upload(app, "1.0.1")
    client = console_of(app.developer)
    response = set_experience(client, older)
    assert response.status_code == 302 and response.url == reverse("console:versions")
    experience = Experience.objects.get(miniprogram=app.miniprogram)
    assert experience.dev_version == older
    history = client.get(reverse("console:versions_history")).content.decode()
    marked = history.split(f'data-user-version="{older.user_version}"', 1)[1].split("</tr>")[0]
    assert 'data-testid="experience-badge"' in marked
    page = client.get(reverse("console:versions")).content.decode()
    assert 'data-testid="experience-version">1.0.0<' in page


def test_choosing_again_replaces_the_experience_version(app):
    """VER-2: at most one experience version: a new choice replaces the old one."""
    first, second = upload(app, "1.0.0"), upload(app, "1.0.1")
    client = console_of(app.admin)
    set_experience(client, first)
    set_experience(client, second)
    assert list(Experience.objects.values_list("dev_version", flat=True)) == [second.pk]


def test_the_experience_qr_code_is_a_png_that_opens_the_phone_page(app):
    """VER-2: the QR code is a real PNG carrying the shareable phone page's address."""
    set_experience(console_of(app.developer), upload(app))
    client = console_of(app.admin)
    page = client.get(reverse("console:versions")).content.decode()
    assert 'data-testid="experience-qr"' in page
    response = client.get(reverse("console:versions_experience_qr"))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    text = decoded(response.content)
    assert text == f"{settings.SITE_URL}/m/trial/{app.appid}/"
    assert f'href="{text}"' in page


def test_the_page_says_when_no_experience_version_is_chosen(app):
    """VER-2: before a choice the card says so and shows no QR code."""
    upload(app)
    page = console_of(app.developer).get(reverse("console:versions")).content.decode()
    assert 'data-testid="no-experience"' in page and 'data-testid="experience-qr"' not in page


def test_a_version_of_another_mini_program_cannot_be_chosen(app, provision, make_identity):
    """VER-2: a development version of another mini program answers 404; nothing
    changes."""
    other = make_app(provision, make_identity)
    foreign = upload(other, "9.9.9")
    client = console_of(app.admin)
    before = snapshot()
    assert set_experience(client, foreign).status_code == 404
    assert snapshot() == before


def test_a_data_analyst_may_not_choose_the_experience_version(app, make_identity):
    """VER-2 / MEM-5: the data analyst only uses the experience version: the page does
    not exist for them (404), nothing changes."""
    analyst = make_identity()
    add_member(app.miniprogram, analyst, kind="project", roles=("data_analyst",))
    version = upload(app)
    client = console_of(analyst)
    before = snapshot()
    assert set_experience(client, version).status_code == 404
    assert snapshot() == before
    assert not Experience.objects.exists()
