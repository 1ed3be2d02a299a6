"""VER-1: development versions in the console's version management (seed 004 "版本管理",
"开发版本"): each developer's latest upload with version, developer, time and note, the
full history, the package's file tree with a file viewer, and the upload form."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.timezone import localtime

from miniport.core.actors import Actor
from miniport.core.services import policy_set_override
from miniport.releases.errors import ReleaseError
from miniport.releases.models import DevVersion
from miniport.web.sentences import sentence
from tests.miniprograms.conftest import console_login
from tests.releases.version_support import (  # noqa: F401 - the `app` fixture
    add_member,
    app_fixture,
    package_bytes,
    snapshot,
    upload,
)
from tests.releases.zips import Raw, make_zip, noise, raw_package, with_files

SYSTEM = Actor.system("tests")


def console_of(identity) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = console_login(client, identity)
    assert response.status_code == 302, response
    return client


def rows_of(html: str) -> list[str]:
    return re.findall(r'data-user-version="([^"]*)"', html)


def test_the_page_shows_each_developers_latest_upload_with_version_developer_time_and_note(app):
    """VER-1: one row per developer, their newest upload, with its version, developer,
    time and note; older uploads stay in the history."""
    upload(app, "1.0.0")
    latest = upload(app, "1.0.1", user_desc="修复首页")
    own = upload(app, "2.0.0", actor=app.admin_actor)
    html = console_of(app.admin).get(reverse("console:versions")).content.decode()
    assert rows_of(html) == ["2.0.0", "1.0.1"]
    assert latest.developer_label == app.developer.wechat_id
    assert app.developer.wechat_id in html and own.developer_label in html
    assert "修复首页" in html
    assert localtime(latest.uploaded_at).strftime("%Y-%m-%d %H:%M:%S") in html


def test_the_history_keeps_every_upload_newest_first_page_by_page(app):
    """VER-1: the history is kept: every upload, newest first, in pages of the policy's
    size."""
    for number in range(3):
        upload(app, f"1.0.{number}")
    policy_set_override(actor=SYSTEM, key="console.versions_page_size", value=2)
    client = console_of(app.developer)
    first = client.get(reverse("console:versions_history")).content.decode()
    second = client.get(reverse("console:versions_history") + "?page=2").content.decode()
    assert rows_of(first) == ["1.0.2", "1.0.1"]
    assert rows_of(second) == ["1.0.0"]


def test_the_file_tree_lists_the_packages_folders_and_files(app):
    """VER-1: the package's file tree is browsable."""
    version = upload(app)
    html = console_of(app.developer).get(files_url(version)).content.decode()
    assert 'data-file="app.json"' in html
    assert 'data-folder="pages/index"' in html
    assert 'data-file="pages/index/index.js"' in html


def files_url(version: DevVersion, path: str | None = None) -> str:
    url = reverse("console:versions_files", kwargs={"pk": version.pk})
    return url if path is None else f"{url}?path={path}"


def upload_files(app, extra: dict[str, bytes]) -> DevVersion:
    return upload(app, data=with_files(extra))


def test_the_file_viewer_shows_a_text_file_escaped(app):
    """VER-1: a file's text is shown, never interpreted: markup in the code is escaped."""
    version = upload_files(app, {"pages/evil.wxml": b"<script>alert('x')</script>\n"})
    response = console_of(app.developer).get(files_url(version, "pages/evil.wxml"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<script>alert" not in html


def test_a_binary_file_is_named_with_its_size_only(app):
    """VER-1: binary files (images, fonts) are named with their size, their bytes never
    shown."""
    image = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    version = upload_files(app, {"images/logo.png": image})
    response = console_of(app.developer).get(files_url(version, "images/logo.png"))
    viewer = response.content.decode().split('data-testid="file-viewer"', 1)[1]
    assert 'data-testid="viewer-binary"' in viewer and f"{len(image)} bytes" in viewer
    assert 'data-testid="viewer-text"' not in viewer


def test_a_long_file_is_shown_up_to_the_policys_limit(app):
    """VER-1: the viewer shows at most `console.file_viewer_max_bytes` of a file and says
    so."""
    policy_set_override(actor=SYSTEM, key="console.file_viewer_max_bytes", value=100)
    version = upload_files(app, {"utils/long.js": b"// " + b"x" * 497})
    response = console_of(app.developer).get(files_url(version, "utils/long.js"))
    html = response.content.decode()
    assert 'data-testid="viewer-truncated"' in html
    shown = re.search(r'data-testid="viewer-text">([^<]*)</pre>', html).group(1)
    assert len(shown) == 100


@pytest.mark.parametrize("path", ["../../etc/passwd", "pages/none.js", "/app.json", "pages"])
def test_the_viewer_opens_only_files_the_package_lists(app, path):
    """VER-1: only names of the package's manifest are opened; anything else is 404."""
    version = upload(app)
    assert console_of(app.developer).get(files_url(version, path)).status_code == 404


def upload_form(client: Client, data: bytes, **fields):
    archive = io.BytesIO(data)
    archive.name = "code.zip"
    payload = {"archive": archive, "user_version": "1.2.0", "user_desc": "从控制台上传"}
    payload.update(fields)
    return client.post(reverse("console:versions_upload"), payload)


def test_a_developer_uploads_from_the_console(app):
    """VER-1: the console's upload records a version of the uploading developer."""
    response = upload_form(console_of(app.developer), package_bytes("console"))
    assert response.status_code == 302 and response.url == reverse("console:versions")
    version = DevVersion.objects.get(miniprogram=app.miniprogram)
    assert (version.user_version, version.user_desc, version.source) == (
        "1.2.0",
        "从控制台上传",
        "console",
    )
    assert version.developer_identity == app.developer


def test_a_refused_package_names_the_entry_and_the_rule_next_to_the_field_and_stores_nothing(
    app,
):
    """VER-1: the package is validated before anything is stored; the refusal is shown
    next to the archive field naming the entry and the rule."""
    client = console_of(app.developer)
    before = snapshot()
    response = upload_form(client, raw_package(Raw("../evil.js", b"x")))
    assert response.status_code == 400
    errors = response.content.decode().split('data-testid="error-archive"', 1)[1]
    expected = ReleaseError.ENTRY_NAME_PARENT.message(entry="../evil.js")
    assert sentence(expected.split(":")[0]) in errors and "&#x27;..&#x27;" in errors
    assert snapshot() == before


def test_a_missing_app_json_is_refused_next_to_the_archive_field(app):
    """VER-1: `app.json` is required; nothing is stored."""
    client = console_of(app.developer)
    before = snapshot()
    response = upload_form(client, make_zip({"index.js": b"//"}))
    assert response.status_code == 400
    assert "app.json" in response.content.decode().split('data-testid="error-archive"', 1)[1]
    assert snapshot() == before


def test_a_missing_version_number_is_shown_next_to_its_field(app):
    """VER-1: the version number is required (the service's rule, on its field)."""
    client = console_of(app.developer)
    before = snapshot()
    response = upload_form(client, package_bytes("x"), user_version=" ")
    assert response.status_code == 400
    assert 'data-testid="error-user_version"' in response.content.decode()
    assert snapshot() == before


def test_an_upload_over_the_consoles_limit_is_refused_unread_with_413(app):
    """VER-1: a request larger than `console.upload_max_bytes` is refused before its body
    is read: a page with the limit, no error 500, nothing stored."""
    policy_set_override(actor=SYSTEM, key="console.upload_max_bytes", value=4096)
    client = console_of(app.developer)
    before = snapshot()
    data = with_files({"assets/big.bin": noise(8192)})
    assert len(data) > 4096
    response = upload_form(client, data)
    assert response.status_code == 413
    errors = response.content.decode().split('data-testid="error-archive"', 1)[1]
    # The limit is said as a size, not as a count of bytes.
    assert "The upload is larger than 4.0\xa0KB: the console did not read it." in errors
    assert snapshot() == before


def test_the_upload_form_says_its_limit_as_a_size(app):
    """VER-1: the archive's help text names the console's cap in KB or MB, not in bytes."""
    policy_set_override(actor=SYSTEM, key="console.upload_max_bytes", value=3 * 1024 * 1024)
    html = console_of(app.developer).get(reverse("console:versions_upload")).content.decode()
    assert "the console reads at most 3.0\xa0MB." in html
    assert "3145728 bytes" not in html


def test_the_upload_still_requires_the_csrf_token(app):
    """VER-1: the upload checks CSRF itself (after the size check): without the token,
    403 and nothing stored."""
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.cookies = console_of(app.developer).cookies
    before = snapshot()
    assert upload_form(client, package_bytes("csrf")).status_code == 403
    assert snapshot() == before


def test_an_operator_sees_the_versions_but_may_not_upload(app, make_identity):
    """VER-1 / MEM-5: developers upload; the operator (management) sees the page without
    the upload link and is refused the upload (403), nothing stored."""
    operator = make_identity()
    add_member(app.miniprogram, operator, kind="project", roles=("operator",))
    client = console_of(operator)
    html = client.get(reverse("console:versions")).content.decode()
    assert 'data-testid="dev-versions"' in html and 'data-testid="upload-link"' not in html
    before = snapshot()
    assert upload_form(client, package_bytes("op")).status_code == 403
    assert snapshot() == before


def test_a_data_analyst_does_not_find_the_pages(app, make_identity):
    """VER-1 / MEM-5: the data analyst (statistics, experience version only) gets 404 for
    the page and the package's files."""
    analyst = make_identity()
    add_member(app.miniprogram, analyst, kind="project", roles=("data_analyst",))
    version = upload(app)
    client = console_of(analyst)
    for url in (reverse("console:versions"), files_url(version, "app.json")):
        assert client.get(url).status_code == 404
