"""The review desk for code versions (issue 8 section 3; VER-3..VER-6, B-4): the
submission, its pre-checks and diff, the package's file tree and file viewer, rejection
with catalog reasons, free text and screenshots, delay, and the member rule."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from miniport.accounts.models import Account
from miniport.core.models import OutboxEvent
from miniport.releases.models import Release, Submission
from miniport.review import registry
from miniport.review.models import Review
from tests.releases.version_support import (  # noqa: F401
    app_fixture,
    package_bytes,
    released,
    snapshot,
    submit,
    upload,
)
from tests.releases.zips import app_files, make_zip

pytestmark = pytest.mark.django_db

BIG = 70 * 1024  # above the viewer's default cap (ops.review_file_view_bytes)


def package_with_extras() -> bytes:
    files = app_files(("pages/index/index", "pages/logs/logs", "pages/new/new"))
    files["utils/evil.js"] = b"const s = '<script>alert(1)</script>';\n"
    files["images/logo.png"] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
    files["utils/big.js"] = b"// " + b"x" * BIG + b"\n"
    return make_zip(files)


@pytest.fixture
def code_review(app):
    released(app, "1.0.0")
    version = upload(app, "2.0.0", data=package_with_extras())
    submission = submit(
        app,
        version,
        description="首页展示工具",
        feedback="请尽快",
        screenshots=["media-shot-1"],
    )
    return Review.objects.get(pk=submission.review_id)


def page(client, review, **params) -> str:
    response = client.get(f"/ops/reviews/{review.pk}/", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def png(side: int = 20) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (side, side), (200, 10, 10)).save(out, format="PNG")
    return out.getvalue()


def submission_of(review) -> Submission:
    return Submission.objects.get(review_id=review.pk)


def test_a_code_review_shows_the_submission_prechecks_diff_and_file_tree(staff_client, code_review):
    """VER-3, B-4: the reviewer sees what was submitted, the recorded pre-checks and the
    diff against the online version beside the package's files."""
    html = page(staff_client, code_review)
    assert 'data-testid="code-submission"' in html
    assert "首页展示工具" in html and "请尽快" in html
    assert f'src="/ops/reviews/{code_review.pk}/documents/screenshot-0/"' in html
    assert "pages/index/index" in html  # the item group's page
    assert 'data-testid="prechecks"' in html
    findings = submission_of(code_review).prechecks
    for finding in findings:
        assert f'data-finding="{finding["code"]}"' in html
    if not findings:
        assert "Every pre-check passed." in html
    # The diff: pages/new/new is new against 1.0.0.
    added = html.split('data-testid="pages-added"')[1].split("</td>")[0]
    assert "pages/new/new" in added
    assert 'data-testid="size-diff"' in html
    for path in ("app.json", "utils/evil.js", "images/logo.png", "utils/big.js"):
        assert f'data-path="{path}"' in html
    assert 'data-testid="reason-catalog"' in html and 'data-reason="test_account_needed"' in html
    assert 'data-testid="delay-form"' in html


def test_the_reviewer_sees_the_developers_preview_screenshots(staff_client, app):
    """VER-3: the preview screenshots of a submission are shown to the reviewer as
    images, served from their kept copies; a place past them, or another key, is 404."""
    from miniport.miniprograms.services import media

    mp = app.miniprogram
    uploaded = media.media_upload(
        actor=app.developer_actor, miniprogram=mp, upload=png(), media_type="image"
    )
    with media.Keeper(mp) as keeper:
        kept = keeper.keep(media.media_get(mp, uploaded.media_id), field="screenshots")
    submission = submit(app, upload(app, "3.0.0"), screenshots=[kept])
    review = Review.objects.get(pk=submission.review_id)
    html = page(staff_client, review)
    url = f"/ops/reviews/{review.pk}/documents/screenshot-0/"
    assert f'<img src="{url}"' in html
    shown = staff_client.get(url)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(shown.content)).size == (20, 20)
    for key in ("screenshot-1", "screenshot-x", "screenshot-٠", "other-0"):
        assert staff_client.get(f"/ops/reviews/{review.pk}/documents/{key}/").status_code == 404


def test_the_file_viewer_shows_text_escaped(staff_client, code_review):
    """VER-3: a file's text, never its markup."""
    html = page(staff_client, code_review, file="utils/evil.js")
    viewer = html.split('data-testid="file-viewer"')[1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in viewer
    assert "<script>alert(1)</script>" not in html


def test_the_file_viewer_caps_what_it_reads(staff_client, code_review):
    """VER-3: a large file is shown up to the desk's cap and says so."""
    html = page(staff_client, code_review, file="utils/big.js")
    text = html.split('data-testid="file-text">')[1].split("</pre>")[0]
    assert len(text) == 64 * 1024
    assert 'data-testid="file-truncated"' in html


def test_the_file_viewer_names_a_binary_file_without_showing_it(staff_client, code_review):
    """VER-3: binary content is named and sized only."""
    html = page(staff_client, code_review, file="images/logo.png")
    assert 'data-testid="binary-file"' in html and 'data-testid="file-text"' not in html
    assert "IHDR" not in html


@pytest.mark.parametrize("path", ["../app.json", "/etc/passwd", "nope.js", "utils", "x" * 600])
def test_a_name_the_package_does_not_list_shows_nothing(staff_client, code_review, path):
    """VER-3: only the package's own listed files are opened."""
    html = page(staff_client, code_review, file=path)
    assert 'data-testid="file-missing"' in html and 'data-testid="file-text"' not in html


def test_rejecting_with_catalog_reasons_free_text_and_screenshots(staff_client, code_review):
    """VER-5, VER-4: several catalog reasons and a free one are stored (keys as keys),
    the screenshots are stored checked and told to the developer, and the catalog's
    test-account reason opens the test-account entry."""
    shot = SimpleUploadedFile("shot.png", png(), content_type="image/png")
    response = staff_client.post(
        f"/ops/reviews/{code_review.pk}/reject/",
        {
            "reason_keys": ["test_account_needed", "incomplete_features"],
            "reason": "首页按钮无响应",
            "note": "internal",
            "screenshots": [shot],
        },
    )
    assert response.status_code == 302 and response["Location"] == "/ops/reviews/"
    review = Review.objects.get(pk=code_review.pk)
    assert review.state == "rejected"
    assert review.reasons == ["test_account_needed", "incomplete_features", "首页按钮无响应"]
    names = review.material["decision_screenshots"]
    assert len(names) == 1 and names[0].startswith("review-screenshots/")
    submission = submission_of(review)
    assert submission.state == "rejected" and submission.test_account_requested
    assert submission.reason_keys == ["test_account_needed", "incomplete_features"]
    event = OutboxEvent.objects.filter(kind="code.audit_fail").latest("id").payload
    assert event["screenshots"] == names
    html = page(staff_client, review)
    reasons = html.split('data-testid="reasons"')[1].split("</td>")[0]
    assert "A test account is needed" in reasons and "首页按钮无响应" in reasons
    served = staff_client.get(f"/ops/reviews/{review.pk}/screenshots/0/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(served.content)).size == (20, 20)
    assert staff_client.get(f"/ops/reviews/{review.pk}/screenshots/1/").status_code == 404


def test_a_rejection_needs_a_catalog_reason_or_a_written_one(staff_client, code_review):
    """VER-5: refused without any reason; nothing changes."""
    before = snapshot()
    response = staff_client.post(f"/ops/reviews/{code_review.pk}/reject/", {"reason": "  "})
    assert response.status_code == 400
    assert 'data-testid="decision-error"' in response.content.decode()
    assert snapshot() == before


def test_an_unknown_catalog_key_is_refused_and_nothing_changes(staff_client, code_review):
    """VER-5: only the catalog's keys may be picked."""
    before = snapshot()
    staff_client.post(f"/ops/reviews/{code_review.pk}/reject/", {"reason_keys": ["made_up_reason"]})
    assert snapshot() == before
    assert Review.objects.get(pk=code_review.pk).state == "pending"


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("a.png", b"not an image at all", content_type="image/png"),
        SimpleUploadedFile("a.gif", b"GIF89a" + bytes(30), content_type="image/gif"),
    ],
)
def test_a_screenshot_that_is_not_a_png_or_jpeg_is_refused_and_nothing_is_stored(
    staff_client, code_review, upload, tmp_path
):
    """VER-5: screenshots are checked by content before anything is decided or stored."""
    before = snapshot()
    response = staff_client.post(
        f"/ops/reviews/{code_review.pk}/reject/",
        {
            "reason_keys": ["incomplete_features"],
            "reason": "首页按钮无响应",
            "note": "见截图",
            "screenshots": [upload],
        },
    )
    # The page again, with the refusal and what the reviewer typed (not a redirect that
    # loses it); the file must be chosen again.
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="decision-error"' in html
    assert ">首页按钮无响应</textarea>" in html and 'value="见截图"' in html
    assert 'data-reason="incomplete_features" checked' in html
    assert snapshot() == before
    assert not (tmp_path / "media" / "review-screenshots").exists()


def test_delaying_keeps_the_review_open_with_its_reason(staff_client, code_review):
    """VER-3 (delayed state, WeChat audit status 4): the review stays open and can still
    be approved; the developer is told why."""
    response = staff_client.post(
        f"/ops/reviews/{code_review.pk}/delay/", {"reason": "需要进一步核实资质"}
    )
    assert response.status_code == 302
    review = Review.objects.get(pk=code_review.pk)
    assert review.state == "delayed" and review.reasons == ["需要进一步核实资质"]
    assert submission_of(review).state == "delayed"
    assert OutboxEvent.objects.filter(kind="code.audit_delay").exists()
    html = page(staff_client, review)
    assert 'data-testid="delay-form"' not in html and 'data-testid="approve"' in html
    staff_client.post(f"/ops/reviews/{review.pk}/approve/")
    assert Review.objects.get(pk=review.pk).state == "approved"


def test_a_delay_needs_a_reason(staff_client, code_review):
    """VER-3: refused without a reason; nothing changes."""
    before = snapshot()
    staff_client.post(f"/ops/reviews/{code_review.pk}/delay/", {"reason": ""})
    assert snapshot() == before


def test_approving_a_code_review_from_the_desk_never_releases(staff_client, code_review, app):
    """VER-6: approval does not put the version online; release is a manual action."""
    online = Release.objects.get(miniprogram=app.miniprogram, state="current")
    staff_client.post(f"/ops/reviews/{code_review.pk}/approve/")
    assert submission_of(code_review).state == "approved"
    assert Release.objects.get(miniprogram=app.miniprogram, state="current") == online
    assert not Release.objects.filter(miniprogram=app.miniprogram, state="gray").exists()


def test_a_reviewer_who_is_a_member_never_reviews_its_code(client, app, code_review):
    """Issue 8 section 3: the account that owns the mini program, made staff, sees why
    and can neither claim, approve, reject nor delay its code review."""
    Account.objects.filter(pk=app.miniprogram.account_id).update(is_staff=True)
    client.force_login(Account.objects.get(pk=app.miniprogram.account_id))
    html = page(client, code_review)
    assert 'data-testid="member-notice"' in html and 'data-testid="approve"' not in html
    before = snapshot()
    for action, data, status in (
        ("claim", {}, 302),
        ("approve", {}, 302),
        ("reject", {"reason_keys": ["incomplete_features"]}, 400),
        ("delay", {"reason": "x"}, 400),
    ):
        answer = client.post(f"/ops/reviews/{code_review.pk}/{action}/", data)
        assert answer.status_code == status
    assert snapshot() == before


def test_kinds_without_desk_hooks_keep_the_plain_detail_page(staff_client, app):
    """The desk names no kind: a kind with no `detail` shows its description only."""
    kind = registry.get("code")
    assert kind.detail is not None and kind.reason_choices is not None
    registry.register(
        registry.Kind(
            key="plain_test_kind",
            label="plain",
            describe=lambda review: registry.Description(title="plain thing"),
            approve=lambda review, actor: None,
            reject=lambda review, actor, reasons: None,
            is_member=lambda review, actor: False,
        )
    )
    try:
        review = Review.objects.create(
            kind="plain_test_kind", target_id="1", submitted_at=submission_time()
        )
        html = page(staff_client, review)
        assert "plain thing" in html and 'data-testid="file-tree"' not in html
        assert 'data-testid="reason-catalog"' not in html and 'data-testid="delay-form"' not in html
        response = staff_client.post(f"/ops/reviews/{review.pk}/reject/", {"reason": "no"})
        assert response.status_code == 302
        assert Review.objects.get(pk=review.pk).state == "rejected"
    finally:
        registry.unregister("plain_test_kind")


def submission_time():
    from miniport.core import clock

    return clock.now()


def test_extending_a_kind_keeps_its_decisions_and_refuses_unknown_hooks():
    """The registry's desk hooks are added without changing the decision callbacks."""
    kind = registry.get("code")
    with pytest.raises(ValueError):
        registry.extend("code", approve=lambda review, actor: None)
    again = registry.extend("code", detail=kind.detail)
    assert again.approve is kind.approve and again.reject is kind.reject
    from miniport.releases.review_kind import KIND

    registry.register(KIND)  # registering the bare kind again keeps the hooks
    assert registry.get("code").detail is kind.detail


def test_the_code_review_page_speaks_chinese_by_default(staff_client, code_review):
    """B-11: the desk's code review in Chinese."""
    html = staff_client.get(
        f"/ops/reviews/{code_review.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "提交前检查" in html and "与线上版本的差异" in html and "需要提供测试帐号" in html


def test_the_decision_message_keeps_a_space_between_the_version_and_the_words(
    staff_client, code_review
):
    """Chinese puts a space between a version number and the words after it."""
    response = staff_client.post(
        f"/ops/reviews/{code_review.pk}/reject/",
        {"reason_keys": ["incomplete_features"]},
        follow=True,
    )
    html = response.content.decode()
    assert "代码版本 2.0.0 已驳回。" in html and "2.0.0已驳回" not in html


def test_the_approval_message_keeps_a_space_after_the_version(staff_client, app):
    released(app, "1.0.0")
    submission = submit(app, upload(app, "1.1.0"))
    response = staff_client.post(f"/ops/reviews/{submission.review_id}/approve/", follow=True)
    html = response.content.decode()
    assert "代码版本 1.1.0 已通过审核。" in html and "1.1.0已通过审核" not in html
