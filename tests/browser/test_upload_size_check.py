"""VER-1 in a real browser: a code package over the console's cap is refused on its
field before it is sent (file-size-check.js); behind the front such a body would get the
front's bare 413 page and the form would be lost."""

from __future__ import annotations

import pytest

from miniport.core.actors import Actor
from miniport.core.services import policy_set_override
from miniport.releases.models import DevVersion
from tests.browser.conftest import console_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_package_over_the_console_cap_is_refused_on_its_field_before_sending(
    site, computer, provision, screenshot
):
    app = provision("personal")
    policy_set_override(actor=Actor.system("tests"), key="console.upload_max_bytes", value=4096)
    page = computer
    console_sign_in(page, site, app)

    page.goto(f"{site.url}/versions/upload/")
    page.fill("input[name=user_version]", "1.0.0")
    page.fill("textarea[name=user_desc]", "first")
    big = {"name": "project.zip", "mimeType": "application/zip", "buffer": b"PK" + b"x" * 8000}
    page.set_input_files("input[name=archive]", big)
    error = page.locator("[data-size-error]")
    assert error.is_visible() and "miniport" in error.inner_text()
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.method))
    page.click("[data-testid=upload]")
    page.wait_for_timeout(500)
    assert "POST" not in sent and page.url == f"{site.url}/versions/upload/"
    assert not DevVersion.objects.filter(miniprogram=app.miniprogram).exists()
    screenshot(page, "upload-over-the-cap")
    small = {"name": "project.zip", "mimeType": "application/zip", "buffer": b"PK" + b"x" * 100}
    page.set_input_files("input[name=archive]", small)
    assert not error.is_visible()
