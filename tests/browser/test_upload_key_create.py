"""B-10 in a real browser: creating an upload key answers its private key as a download,
and the page then lists the new key (refresh-after-download.js), so nobody clicks again
and makes a second key."""

from __future__ import annotations

import pytest

from miniport.identities import services as identity_services
from miniport.identities.models import QrTicket
from miniport.miniprograms.models import UploadKey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_after_the_private_key_downloads_the_page_lists_the_new_key(
    site, computer, provision, screenshot
):
    app = provision("personal")
    page = computer
    page.goto(f"{site.url}/login/")
    page.fill("input[name=email]", app.miniprogram.account.email)
    page.fill("input[name=password]", app.password)
    with page.expect_navigation():
        page.click("form[data-testid=login-form] button[type=submit]")
    ticket = QrTicket.objects.filter(purpose="login", status="pending").latest("pk")
    identity_services.ticket_confirm(identity=app.miniprogram.admin_identity, token=ticket.token)
    page.wait_for_url(f"{site.url}/")

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
