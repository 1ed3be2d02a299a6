"""VER-3, VER-4, B-4 in the console: the submit-for-review form (1 to 5 item groups with a
page of the package, an approved category, tags and a title; description, feedback,
preview screenshots), the pre-checks and the diff shown before confirming, the test
account exactly while its entry is open. Refusals show the coded message on the field
they name and change nothing."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from miniport.core import policy
from miniport.core.models import PolicyOverride
from miniport.miniprograms.errors import MiniProgramError
from miniport.releases.errors import ReleaseError
from miniport.releases.models import Submission
from miniport.web.sentences import sentence
from tests.miniprograms.conftest import console_login
from tests.miniprograms.profile_support import jpeg_with_exif
from tests.releases.version_support import (  # noqa: F401
    TOOLS,
    app_fixture,
    package_bytes,
    reject,
    released,
    snapshot,
    submit,
    upload,
)
from tests.releases.zips import app_files, make_zip

pytestmark = pytest.mark.django_db

URL = "/versions/submit/"
CATEGORY = f"{TOOLS[0]}:{TOOLS[1]}"


def browser(identity) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    console_login(client, identity)
    return client


@pytest.fixture
def admin(app) -> Client:
    return browser(app.admin)


def group(**changes) -> dict:
    data = {
        "item1_address": "pages/index/index",
        "item1_category": CATEGORY,
        "item1_tag": "tools search",
        "item1_title": "Home",
    }
    data.update(changes)
    return data


def form_data(version, **changes) -> dict:
    data = {"version": str(version.pk), "description": "please review", "feedback": ""}
    data.update(group())
    data.update(changes)
    return data


def checked(client, version, **changes):
    """The first POST: the pre-checks and the diff; answers the page and its signature."""
    response = client.post(URL, form_data(version, **changes))
    assert response.status_code == 200
    found = re.search(r'name="checked" value="([^"]+)"', response.content.decode())
    return response, found.group(1) if found else ""


def confirm(client, version, **changes):
    _page, signature = checked(client, version, **changes)
    assert signature, "the pre-checks were not shown"
    return client.post(URL, {**form_data(version, **changes), "checked": signature, "confirm": "1"})


def png(size=(64, 128)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 200, 30)).save(out, format="PNG")
    return out.getvalue()


# --- the form -------------------------------------------------------------------------


def test_the_form_offers_the_packages_pages_and_the_approved_categories(app, admin):
    """VER-3: the page path is chosen from the package, the category from the approved ones;
    there is one row per allowed group."""
    version = upload(app)
    response = admin.get(URL, {"version": version.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="pages/index/index"' in html and 'value="pages/logs/logs"' in html
    assert f'value="{CATEGORY}"' in html
    rows = policy.value("submit.max_items")
    assert html.count('name="item') == rows * 4
    assert f'name="item{rows + 1}_title"' not in html
    assert 'name="test_account"' not in html


def test_a_version_of_another_mini_program_or_none_is_not_found(app, admin, provision):
    """The development version is loaded through the session's mini program (404)."""
    assert admin.get(URL).status_code == 404
    assert admin.get(URL, {"version": "x"}).status_code == 404
    other = provision("personal").miniprogram
    from tests.releases.version_support import App

    foreign = upload(App(other, other.admin_identity, other.admin_identity, None, None))
    assert admin.get(URL, {"version": foreign.pk}).status_code == 404
    assert admin.post(URL, form_data(foreign)).status_code == 404


def test_checking_shows_the_prechecks_and_the_diff_and_submits_nothing(app, admin):
    """B-4: the pre-checks and the diff against the online version come before confirming."""
    released(app, "1.0.0")
    files = app_files(("pages/index/index", "pages/logs/logs", "pages/new/new"))
    files["pages/new/new.js"] = b"wx.request({url: 'https://api.example.com/x'})\n"
    newer = upload(app, "1.1.0", data=make_zip(files))
    before = Submission.objects.count()
    response, signature = checked(admin, newer)
    html = response.content.decode()
    assert signature
    assert 'data-testid="prechecks"' in html
    assert 'data-code="domain_not_configured"' in html and 'data-level="warning"' in html
    assert "+ pages/new/new" in html
    assert (
        'data-testid="confirm"' in html
        and "disabled" not in html.split('data-testid="confirm"')[1][:20]
    )
    assert Submission.objects.count() == before


def test_confirming_what_was_checked_submits_for_review(app, admin):
    """VER-3: the confirmed form becomes a submission with its item groups, description
    and feedback; the page goes back to version management."""
    version = upload(app)
    response = confirm(admin, version, feedback="look at the search page")
    assert response.status_code == 302 and response.url == "/versions/"
    submission = Submission.objects.get()
    assert submission.dev_version == version and submission.state == "pending"
    assert submission.items[0]["address"] == "pages/index/index"
    assert (submission.items[0]["first_id"], submission.items[0]["second_id"]) == TOOLS
    assert submission.items[0]["tag"] == "tools search"
    assert submission.description == "please review"
    assert submission.feedback == "look at the search page"
    assert submission.submitted_by


def test_confirming_changed_content_checks_it_again_first(app, admin):
    """B-4: what is confirmed is what the pre-checks were shown for."""
    version = upload(app)
    _page, signature = checked(admin, version)
    response = admin.post(
        URL,
        {**form_data(version, item1_title="Other"), "checked": signature, "confirm": "1"},
    )
    assert response.status_code == 200 and 'data-testid="prechecks"' in response.content.decode()
    assert not Submission.objects.exists()
    forged = admin.post(URL, {**form_data(version), "checked": "forged", "confirm": "1"})
    assert forged.status_code == 200 and not Submission.objects.exists()


def test_a_blocking_precheck_disables_the_confirmation_and_is_refused_anyway(app, admin):
    """B-4: errors block. A package calling privacy APIs without the declaration shows the
    error; a forced confirmation is refused with the coded message and nothing changes."""
    files = app_files()
    files["pages/index/index.js"] = b"Page({onLoad() { wx.getLocation({}) }})\n"
    version = upload(app, "2.0.0", data=make_zip(files))
    response, signature = checked(admin, version)
    html = response.content.decode()
    assert 'data-code="privacy_declaration_missing"' in html and 'data-level="error"' in html
    assert 'data-testid="prechecks-blocked"' in html
    assert re.search(r'data-testid="confirm"\s+disabled', html)
    before = snapshot()
    forced = admin.post(URL, {**form_data(version), "checked": signature, "confirm": "1"})
    assert forced.status_code == 200
    assert (
        sentence(ReleaseError.PRECHECK_FAILED.message("en", reason=""))[:30]
        in forced.content.decode()
    )
    assert snapshot() == before
    declared = confirm(admin, version, privacy_declared="on")
    assert declared.status_code == 302 and Submission.objects.count() == 1


def test_the_prechecks_name_what_the_submission_would_refuse_before_it_is_made(app, admin):
    """B-4: no name yet, or a review still open, shows in the pre-checks as an error and
    disables the confirmation, instead of passing and being refused on "submit"."""
    version = upload(app)
    type(app.miniprogram).objects.filter(pk=app.miniprogram.pk).update(name=None)
    response, _signature = checked(admin, version)
    html = response.content.decode()
    assert 'data-code="not_initialised"' in html and 'data-testid="prechecks-blocked"' in html
    assert re.search(r'data-testid="confirm"\s+disabled', html)
    type(app.miniprogram).objects.filter(pk=app.miniprogram.pk).update(name="小工具")
    assert confirm(admin, version).status_code == 302
    newer = upload(app, "2.0.0")
    response, _signature = checked(admin, newer)
    html = response.content.decode()
    assert 'data-code="audit_already_open"' in html
    assert re.search(r'data-testid="confirm"\s+disabled', html)
    assert Submission.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "code", "params"),
    [
        (
            {"item1_tag": "x" * 21},
            "item1_tag",
            ReleaseError.TAG_INVALID,
            {"item": 1, "reason": "x" * 21},
        ),
        (
            {"item1_tag": " ".join(f"t{n}" for n in range(11))},
            "item1_tag",
            ReleaseError.TAG_INVALID,
            {"item": 1, "reason": "> 10"},
        ),
        (
            {"item1_title": "t" * 33},
            "item1_title",
            ReleaseError.TITLE_INVALID,
            {"item": 1, "limit": 32},
        ),
        ({"item1_category": ""}, "item1_category", ReleaseError.ITEM_CATEGORY_MISSING, {"item": 1}),
        (
            {"item1_address": "", "item1_category": "", "item1_tag": "", "item1_title": ""},
            None,
            ReleaseError.ITEM_COUNT_INVALID,
            {"limit": 5},
        ),
    ],
    ids=["tag-too-long", "too-many-tags", "title-too-long", "no-category", "no-group"],
)
def test_an_item_refusal_names_its_field_and_changes_nothing(
    app, admin, changes, field, code, params
):
    """VER-3: at most 10 tags of at most 20 characters, a title of at most 32, an approved
    category, 1 to 5 groups: each refusal is the coded message on the field it names."""
    version = upload(app)
    before = snapshot()
    response = admin.post(URL, form_data(version, **changes))
    assert response.status_code == 200
    form = response.context["form"]
    message = code.message("en", **params)
    assert message in (form.errors.get(field) or form.non_field_errors())
    assert "checked" not in response.content.decode().split('name="checked"')[0][-5:]
    assert response.context["preview"] is None
    assert snapshot() == before


def test_two_groups_become_two_item_groups(app, admin):
    """VER-3: several key pages, each with its own category, tags and title."""
    version = upload(app)
    second = {
        "item2_address": "pages/logs/logs",
        "item2_category": CATEGORY,
        "item2_tag": "logs",
        "item2_title": "Logs",
    }
    assert confirm(admin, version, **second).status_code == 302
    items = Submission.objects.get().items
    assert [i["address"] for i in items] == ["pages/index/index", "pages/logs/logs"]


def test_a_description_over_its_limit_is_refused_on_its_field(app, admin):
    """VER-3: description within `submit.max_description_chars` (85051)."""
    PolicyOverride.objects.create(key="submit.max_description_chars", value=10)
    policy.forget_cached()
    version = upload(app)
    before = snapshot()
    response = confirm(admin, version, description="d" * 11)
    assert response.status_code == 200
    assert response.context["form"].errors.get("description")
    assert snapshot() == before


def test_a_second_submission_while_one_is_open_shows_85009(app, admin):
    """VER-3: at most one open review per mini program."""
    submit(app)
    other = upload(app, "1.0.1")
    before = snapshot()
    response = confirm(admin, other)
    assert response.status_code == 200
    assert sentence(ReleaseError.AUDIT_ALREADY_OPEN.message("en")) in response.content.decode()
    assert snapshot() == before


# --- screenshots -----------------------------------------------------------------------


def test_screenshots_are_checked_reencoded_and_kept_with_the_submission(app, admin):
    """VER-3: preview screenshots, checked by content and re-encoded like avatars (no EXIF)."""
    version = upload(app)
    shot = SimpleUploadedFile("shot.jpg", jpeg_with_exif(), content_type="image/jpeg")
    first = admin.post(URL, {**form_data(version), "screenshots": [shot]})
    assert first.status_code == 200
    html = first.content.decode()
    signature = re.search(r'name="checked" value="([^"]+)"', html).group(1)
    shots = re.search(r'name="shots" value="([^"]*)"', html).group(1)
    assert shots and 'data-testid="screenshots-kept"' in html
    done = admin.post(
        URL, {**form_data(version), "shots": shots, "checked": signature, "confirm": "1"}
    )
    assert done.status_code == 302
    [name] = Submission.objects.get().screenshots
    with default_storage.open(name, "rb") as handle:
        data = handle.read()
    assert b"SecretCam" not in data and b"tracking-software" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and not image.getexif()
    served = admin.get("/versions/screenshot/", {"submission": Submission.objects.get().pk, "n": 0})
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"


def test_a_file_that_is_no_image_is_refused_on_the_screenshots_field(app, admin):
    version = upload(app)
    before = snapshot()
    fake = SimpleUploadedFile("shot.png", b"not an image at all", content_type="image/png")
    response = admin.post(URL, {**form_data(version), "screenshots": [fake]})
    assert response.status_code == 200
    errors = response.context["form"].errors["screenshots"]
    assert errors and errors[0].startswith(
        MiniProgramError.IMAGE_INVALID.message("en", reason="")[:10]
    )
    assert response.context["preview"] is None
    assert snapshot() == before


def test_more_screenshots_than_the_policy_allows_are_refused(app, admin):
    version = upload(app)
    limit = policy.value("submit.max_screenshots")
    files = [
        SimpleUploadedFile(f"s{n}.png", png(), content_type="image/png") for n in range(limit + 1)
    ]
    before = snapshot()
    response = admin.post(URL, {**form_data(version), "screenshots": files})
    assert response.context["form"].errors["screenshots"]
    assert snapshot() == before


# --- the test account (VER-4) ------------------------------------------------------------


def test_the_test_account_entry_opens_after_a_rejection_asking_for_one(app, admin):
    """VER-4: the first submission is rejected for a test account; the next submission's
    form has the test-account entry and requires it."""
    reject(submit(app), ["test_account_needed"])
    version = upload(app, "1.0.1")
    page = admin.get(URL, {"version": version.pk}).content.decode()
    assert 'data-testid="test-account"' in page and 'name="test_password"' in page
    before = snapshot()
    missing = confirm(admin, version)
    assert missing.status_code == 200
    assert missing.context["form"].errors["test_account"] == [
        ReleaseError.TEST_ACCOUNT_REQUIRED.message("en")
    ]
    assert snapshot() == before
    done = confirm(admin, version, test_account="reviewer", test_password="s3cret")
    assert done.status_code == 302
    latest = Submission.objects.order_by("-id").first()
    assert latest.test_account["account"] == "reviewer"
    assert latest.test_account["password"] == "s3cret"


def test_the_entry_stays_closed_after_another_rejection(app, admin):
    """VER-4: only a rejection asking for a test account opens the entry."""
    reject(submit(app), ["free text reason"])
    version = upload(app, "1.0.1")
    page = admin.get(URL, {"version": version.pk}).content.decode()
    assert 'data-testid="test-account"' not in page


# --- who may ---------------------------------------------------------------------------


def test_only_the_administrator_submits_for_review(app):
    """Seed 001: the administrator submits; a developer sees version management but may
    not submit (403), and nothing changes."""
    version = upload(app)
    developer = browser(app.developer)
    before = snapshot()
    assert developer.get(URL, {"version": version.pk}).status_code == 403
    assert developer.post(URL, form_data(version)).status_code == 403
    assert snapshot() == before


def test_the_form_is_in_chinese_by_default(app):
    client = Client()
    console_login(client, app.admin)
    version = upload(app)
    html = client.get(URL, {"version": version.pk}).content.decode()
    assert "提交审核" in html and "页面" in html


def test_the_help_under_the_groups_says_the_title_limit_is_for_titles(app):
    """The help line names what each limit is for: the tags', then the titles'."""
    client = Client()
    console_login(client, app.admin)
    version = upload(app)
    html = client.get(URL, {"version": version.pk}).content.decode()
    limit = policy.value("submit.max_title_chars")
    assert f"标题最多 {limit} 个字符。" in html
    english = browser(app.admin).get(URL, {"version": version.pk}).content.decode()
    assert f"Titles: at most {limit} characters." in english


def test_a_test_account_without_its_password_is_refused_on_its_field(app, admin):
    """VER-4: the test account needs an account and a password."""
    reject(submit(app), ["test_account_needed"])
    version = upload(app, "1.0.1")
    before = snapshot()
    response = confirm(admin, version, test_account="reviewer")
    assert response.status_code == 200
    assert response.context["form"].errors["test_account"]
    assert snapshot() == before
