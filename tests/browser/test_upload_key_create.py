"""B-10 in a real browser: creating an upload key answers its private key as a download,
and the page then lists the new key (refresh-after-download.js), so nobody clicks again
and makes a second key."""

from __future__ import annotations

import pytest

from miniport.miniprograms.models import UploadKey
from tests.browser.conftest import console_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_after_the_private_key_downloads_the_page_lists_the_new_key(
    site, computer, provision, screenshot
):
    app = provision("personal")
    page = computer
    console_sign_in(page, site, app)

    page.goto(f"{site.url}/settings/dev/upload-keys/")
    page.fill("input[name=name]", "ci-main")
    with page.expect_download() as download:
        page.click("[data-testid=upload-key-create]")
    assert download.value.suggested_filename.endswith(".key")
    assert page.locator("[data-testid=upload-key-create]").is_disabled()
    page.wait_for_selector("text=ci-main", timeout=10_000)
    assert page.locator("[data-testid=upload-key-create]").is_enabled()
    assert UploadKey.objects.filter(miniprogram=app.miniprogram).count() == 1
    screenshot(page, "upload-key-listed-after-download")
